// Where things live. Everything is derived from the repository root, so the
// suite behaves the same from any working directory.
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_BIN = join(REPO_ROOT, '.tools', 'bin');
export const REPORTS_DIR = join(REPO_ROOT, 'reports');
export const SCENARIOS_DIR = join(REPO_ROOT, 'scenarios');
export const POLICIES_DIR = join(REPO_ROOT, 'policies');

/** Built tools and Go caches live outside the checkout, so a fresh clone reuses them. */
export const CACHE_ROOT = process.env.SIGPROOF_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'sigproof');

/** The command a user runs to get the tools; every "missing tool" error names it. */
export const INSTALL_COMMAND = 'npm run tools';
