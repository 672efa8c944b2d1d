// cucumber-js profiles. Step and support code is TypeScript, run by Node's own
// type stripping (Node >= 22.18 / 24), so no loader is needed.
import { LOG_MEDIA_TYPE } from './support/report/attachments.ts';

const common = {
  import: ['support/**/*.ts', 'steps/**/*.ts'],
  // The run's plan: scenarios that need the shared cluster run last, and it boots in the background meanwhile.
  plugin: ['./support/run-plan.ts'],
  // No paths: cucumber-js's default is features/**/*.feature, and a profile's paths would be added to any
  // the command line names (npx cucumber-js features/x.feature would run the whole suite).
  format: ['./formatters/progress-lines.ts', 'html:reports/cucumber.html', './formatters/matrix.ts:reports/matrix.md', 'junit:reports/junit.xml', 'message:reports/messages.ndjson'],
  formatOptions: {
    snippetInterface: 'async-await',
    // Component logs have their own media type (commands are plain 'text/plain'); they go to files next to the
    // report instead of inflating the page.
    html: { externalAttachments: [LOG_MEDIA_TYPE] },
  },
};

export default {
  ...common,
  // Scenarios share nothing but the machine: two workers keep both cores busy
  // while one waits on a registry or a signer.
  parallel: Number(process.env.SIGPROOF_PARALLEL ?? 2),
};

/** One scenario at a time, for debugging with readable interleaved output. */
export const serial = { ...common, parallel: 0 };

// Tag-based subsets: `npx cucumber-js -p notation`, `-p runtime`, …
const subset = (tags) => ({ ...common, parallel: Number(process.env.SIGPROOF_PARALLEL ?? 2), tags });
export const notation = subset('@notation');
export const cosign = subset('@cosign');
export const oras = subset('@oras');
export const kyverno = subset('@kyverno');
export const runtime = subset('@runtime');
export const crio = subset('@crio');
export const containerd = subset('@containerd');
export const claims = subset('@claims');
export const findings = subset('@finding');
export const node = subset('@node');
export const hooks = subset('@oci-hook');
export const tls = subset('@tls');
export const byo = subset('@byo');
export const time = subset('@timestamps or @revocation or @rotation');
