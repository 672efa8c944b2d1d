// Registries with TLS and credentials, and the tools logging in to them.
import { Given, When } from '@cucumber/cucumber';
import type { LoginTool } from '../support/registry-logins.ts';
import type { SigproofWorld } from '../support/world.ts';
import { mustSucceed } from './check.ts';

Given('the registry {string} with TLS and credentials', async function (this: SigproofWorld, name: string) {
  await this.registries.start(name, 'distribution', 'trusted');
});

Given('the registries {string} and {string} with TLS and credentials of their own', async function (this: SigproofWorld, a: string, b: string) {
  await Promise.all([a, b].map((name) => this.registries.start(name, 'distribution', 'trusted')));
});

Given('the registry {string} with TLS from a CA nobody trusts, and credentials', async function (this: SigproofWorld, name: string) {
  await this.registries.start(name, 'distribution', 'untrusted');
});

Given('{loginTool} is logged in to {string}', async function (this: SigproofWorld, tool: LoginTool, registry: string) {
  mustSucceed(await this.logins.login(tool, registry));
});

When('{loginTool} logs in to {string}', async function (this: SigproofWorld, tool: LoginTool, registry: string) {
  this.expectOutcome(await this.logins.login(tool, registry));
});

When('{loginTool} logs in to {string} with a wrong password', async function (this: SigproofWorld, tool: LoginTool, registry: string) {
  this.expectOutcome(await this.logins.login(tool, registry, { wrongPassword: true }));
});

Given('notation reads the credentials of {string} from its docker config file', function (this: SigproofWorld, registry: string) {
  const file = this.logins.notationDockerConfig(registry);
  this.scenario.note('notation credentials', `the credentials of "${registry}" are in ${file} (0600), as "auths" (notation login keeps no password without a credentials store)`);
});

Given('the cluster and the node get a wrong password for {string}', function (this: SigproofWorld, registry: string) {
  this.registries.giveWrongPassword(registry);
});
