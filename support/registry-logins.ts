// Logging the tools in to a registry that asks for credentials, each the way
// its users do it: `oras login`, `notation login`, `cosign login`, the
// password on stdin, into the config file that tool reads afterwards. A wrong
// password is the registry's right one with a character changed, so it has the
// same length and shape (registry-tls.ts).
import type { CosignSigning } from './cosign-signing.ts';
import { orasLogin } from './drivers/oras.ts';
import { type Credentials, wrongPassword } from './env/registry-tls.ts';
import type { NotationSigning } from './notation-signing.ts';
import type { Outcome } from './outcome.ts';
import type { Registries } from './registries.ts';

const LOGIN_TOOLS = ['oras', 'notation', 'cosign v2', 'cosign v3'] as const;
export type LoginTool = (typeof LOGIN_TOOLS)[number];

export function parseLoginTool(text: string): LoginTool {
  const t = LOGIN_TOOLS.find((l) => l === text);
  if (!t) throw new Error(`unknown tool to log in with: "${text}". Known: ${LOGIN_TOOLS.join(', ')}`);
  return t;
}

/** What each tool prints when its login worked: cosign writes the config without asking the registry. */
const LOGIN_SUCCEEDED: Record<LoginTool, string> = { oras: 'Login Succeeded', notation: 'Login Succeeded', 'cosign v2': 'logged in via', 'cosign v3': 'logged in via' };

export class RegistryLogins {
  private readonly registries: Registries;
  private readonly notation: NotationSigning;
  private readonly cosign: CosignSigning;

  constructor(registries: Registries, notation: NotationSigning, cosign: CosignSigning) {
    this.registries = registries;
    this.notation = notation;
    this.cosign = cosign;
  }

  async login(tool: LoginTool, registryName: string, opts: { wrongPassword?: boolean } = {}): Promise<Outcome> {
    const { host, credentials } = this.secure(registryName);
    const { username, password } = opts.wrongPassword ? wrongPassword(credentials) : credentials;
    const record = await (tool === 'oras' ? orasLogin(host, username, password) : tool === 'notation' ? this.notation.cli.login(host, username, password) : this.cosign.cli(tool === 'cosign v2' ? 'v2' : 'v3').login(host, username, password));
    return { what: `${tool} login ${registryName}${opts.wrongPassword ? ' with a wrong password' : ''}`, record, successText: LOGIN_SUCCEEDED[tool] };
  }

  /** notation's way without `notation login`: the credentials in the docker config file it reads. */
  notationDockerConfig(registryName: string): string {
    const { host, credentials } = this.secure(registryName);
    return this.notation.cli.addDockerConfigAuth(host, credentials.username, credentials.password);
  }

  private secure(registryName: string): { host: string; credentials: Credentials } {
    const registry = this.registries.get(registryName);
    if (!registry.secure) throw new Error(`registry "${registryName}" asks for no credentials: start it with "Given the registry "${registryName}" with TLS and credentials"`);
    return { host: registry.host, credentials: registry.secure.credentials };
  }
}
