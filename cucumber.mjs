// cucumber-js profiles. Step and support code is TypeScript, run by Node's own
// type stripping (Node >= 22.18 / 24), so no loader is needed.
const common = {
  import: ['support/**/*.ts', 'steps/**/*.ts'],
  paths: ['features/**/*.feature'],
  format: [
    'progress',
    'html:reports/cucumber.html',
    'junit:reports/junit.xml',
    'message:reports/messages.ndjson',
  ],
  formatOptions: { snippetInterface: 'async-await' },
};

export default {
  ...common,
  // Scenarios share nothing but the machine: two workers keep both cores busy
  // while one waits on a registry or a signer.
  parallel: Number(process.env.SIGPROOF_PARALLEL ?? 2),
};

/** One scenario at a time, for debugging with readable interleaved output. */
export const serial = { ...common, parallel: 0 };
