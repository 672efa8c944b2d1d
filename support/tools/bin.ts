// Resolves every external program to one exact file: Go-built tools from
// .tools/bin (never whatever is on PATH), Debian tools from their package paths.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { DEBIAN_PACKAGES, TOOLS, binariesOf } from '../../tools/versions.ts';
import { INSTALL_COMMAND, TOOLS_BIN } from '../paths.ts';

const PROJECT_BINARIES = new Map(TOOLS.flatMap((t) => binariesOf(t).map((b) => [b, t] as const)));
const SYSTEM_BINARIES = new Map(DEBIAN_PACKAGES.map((p) => [p.provides.split('/').pop() as string, p] as const));

export class MissingToolError extends Error {}

export function tool(bin: string): string {
  const pinned = PROJECT_BINARIES.get(bin);
  if (pinned) {
    const file = join(TOOLS_BIN, bin);
    if (!isExecutable(file)) {
      throw new MissingToolError(`${bin} (${pinned.name} ${pinned.recipe.version}) is not installed in .tools/bin. Run: ${INSTALL_COMMAND}`);
    }
    return file;
  }
  const pkg = SYSTEM_BINARIES.get(bin);
  if (pkg) {
    if (!isExecutable(pkg.provides)) {
      throw new MissingToolError(`${pkg.provides} is missing (Debian package ${pkg.name}). Run: ${INSTALL_COMMAND} (as root), or apt-get install -y ${pkg.name}`);
    }
    return pkg.provides;
  }
  throw new Error(`internal: "${bin}" is neither a pinned tool nor a known Debian package; add it to tools/versions.ts`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
