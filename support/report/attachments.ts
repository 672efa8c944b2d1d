// Every attachment sigproof writes into the message stream, by name and media
// type. The hooks and steps write them; the report reader, the formatters and
// the test command read them. Nothing else names an attachment.

/** What a driver call concluded (support/report/observations.ts), attached to the step that checked it. */
export const OBSERVATION_MEDIA_TYPE = 'application/vnd.sigproof.observation+json';
/** Commands, notes and evidence: shown inline in the HTML report. */
export const TEXT_MEDIA_TYPE = 'text/plain';
/** Component logs of a failed scenario: cucumber.mjs writes these to files next to the report. */
export const LOG_MEDIA_TYPE = 'text/plain; charset=utf-8';
export const JSON_MEDIA_TYPE = 'application/json';

export const ATTACHMENT = {
  /** Why a scenario was skipped (text). */
  skipReason: 'skip reason',
  /** A tool the scenario replaced: JSON {bin, path, version}. */
  toolOverride: 'tool override',
  /** Versions of the tools the scenario used (text). */
  toolVersions: 'tool versions',
  /** The environment and its boot times (text). */
  environment: 'environment',
  observation: 'observation',
} as const;

/** Evidence for the reader of the HTML report: shown, never read back by a report. */
export const EVIDENCE = {
  digests: 'digests',
  signatureStorage: 'signature storage',
  admission: (kind: string, name: string) => `admission of ${kind} ${name}`,
  userKyvernoPolicy: 'your Kyverno policy',
  userManifest: 'your workload manifest',
  kyvernoLogLine: 'kyverno log line',
  crioPolicy: 'CRI-O policy.json',
  containerdStart: 'containerd start',
  containerdPolicy: 'containerd verifier policy',
  nodeStart: 'node start',
  nodePolicy: "the node's new policy",
  podListing: 'kubectl get pods -o wide',
  events: 'kubectl get events',
  podFate: (name: string) => `what became of pod ${name}`,
  /** A component's log, attached when its scenario failed. */
  log: (component: string) => `log of ${component}`,
} as const;

/** Each external command is attached as "command N: program arg". */
export const COMMAND_ATTACHMENT_PREFIX = 'command ';

export function commandAttachmentName(n: number, argv: string[]): string {
  return `${COMMAND_ATTACHMENT_PREFIX}${n}: ${argv.slice(0, 2).join(' ')}`;
}
