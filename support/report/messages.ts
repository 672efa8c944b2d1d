// The one reader of cucumber's message stream, for every report: the progress
// lines, the summary table, the matrix and the findings. It feeds
// @cucumber/query and gives each finished scenario with its step statuses, its
// observations and its named attachments. Pure: no files, no cucumber runtime.
import { type Attachment, type Envelope, type TestCaseFinished, type TestStepResult, TestStepResultStatus } from '@cucumber/messages';
import { Query } from '@cucumber/query';
import { ATTACHMENT, COMMAND_ATTACHMENT_PREFIX, OBSERVATION_MEDIA_TYPE } from './attachments.ts';
import { type Observation, parseObservation } from './observations.ts';

export type Verdict = 'passed' | 'failed' | 'skipped';

const FAILING = new Set<string>([TestStepResultStatus.FAILED, TestStepResultStatus.AMBIGUOUS, TestStepResultStatus.UNDEFINED, TestStepResultStatus.PENDING, TestStepResultStatus.UNKNOWN]);

interface StepRecord {
  /** PASSED, FAILED, SKIPPED, …: a step that never ran is SKIPPED. */
  status: string;
  message?: string;
  /** What the step observed, in order. */
  observations: Observation[];
}

export interface ScenarioRecord {
  name: string;
  uri: string;
  tags: string[];
  /** The scenario's own steps (hooks left out), in order. */
  steps: StepRecord[];
  /** Observations attached by its hooks (warnings made at teardown). */
  hookObservations: Observation[];
  verdict: Verdict;
  /** The first line of the first error of a failed scenario (hooks included). */
  firstError?: string;
  /** That error, whole. */
  errorMessage?: string;
  skipReason?: string;
  /** Named attachments of the scenario (hooks included), by name. */
  attachments: { name: string; body: string }[];
  commands: number;
  durationMs: number;
}

const firstLine = (r: TestStepResult) => (r.message ?? r.exception?.message ?? r.status).split('\n')[0] ?? r.status;
const millis = (d: { seconds: number; nanos: number }) => d.seconds * 1000 + Math.round(d.nanos / 1e6);

function verdictOf(statuses: string[]): Verdict {
  if (statuses.some((s) => FAILING.has(s))) return 'failed';
  return statuses.includes(TestStepResultStatus.SKIPPED) ? 'skipped' : 'passed';
}

export class RunReader {
  private readonly query = new Query();
  private testCases = 0;

  update(envelope: Envelope): void {
    this.query.update(envelope);
    if (envelope.testCase) this.testCases++;
  }

  /** How many scenarios the run will finish (for "[12/144]"). */
  plannedScenarios(): number {
    return this.testCases;
  }

  /** Every finished scenario, not counting attempts that will be retried, in finishing order. */
  scenarios(): ScenarioRecord[] {
    return this.query
      .findAllTestCaseFinished()
      .filter((f) => !f.willBeRetried)
      .map((f) => this.scenario(f));
  }

  scenario(finished: TestCaseFinished): ScenarioRecord {
    const q = this.query;
    const started = q.findTestCaseStartedBy(finished);
    const pickle = q.findPickleBy(finished);
    const testCase = q.findTestCaseBy(finished);
    const results = new Map((started ? q.findTestStepsFinishedBy(started) : []).map((f) => [f.testStepId, f]));
    const attachments: { name: string; body: string }[] = [];
    const statuses: string[] = [];
    let error: TestStepResult | undefined;
    const steps: StepRecord[] = [];
    const hookObservations: Observation[] = [];
    for (const testStep of testCase?.testSteps ?? []) {
      const finishedStep = results.get(testStep.id);
      const result = finishedStep?.testStepResult;
      const status = result?.status ?? TestStepResultStatus.SKIPPED;
      statuses.push(status);
      if (result && FAILING.has(status)) error ??= result;
      const own = finishedStep ? q.findAttachmentsBy(finishedStep) : [];
      for (const a of own) if (a.fileName) attachments.push({ name: a.fileName, body: a.body });
      if (testStep.pickleStepId) steps.push({ status, message: result?.message, observations: observationsOf(own) });
      else hookObservations.push(...observationsOf(own));
    }
    const duration = q.findTestCaseDurationBy(finished);
    return {
      name: pickle?.name ?? '(unknown scenario)',
      uri: pickle?.uri ?? '',
      tags: (pickle?.tags ?? []).map((t) => t.name),
      steps,
      hookObservations,
      verdict: verdictOf(statuses),
      firstError: error && firstLine(error),
      errorMessage: error && (error.message ?? error.exception?.message ?? error.status),
      skipReason: attachments.find((a) => a.name === ATTACHMENT.skipReason)?.body,
      attachments,
      commands: attachments.filter((a) => a.name.startsWith(COMMAND_ATTACHMENT_PREFIX)).length,
      durationMs: duration ? millis(duration) : 0,
    };
  }

  /** BeforeAll/AfterAll hooks that failed, and a run that failed on its own: otherwise silent. */
  runFailures(): string[] {
    const failures = this.query
      .findAllTestRunHookFinished()
      .filter((h) => h.result.status !== TestStepResultStatus.PASSED)
      .map((h) => `a BeforeAll/AfterAll hook failed: ${h.result.message ?? h.result.exception?.message ?? h.result.status}`);
    const finished = this.query.findTestRunFinished();
    if (finished && !finished.success && (finished.message || finished.exception)) failures.push(`the run failed: ${finished.message ?? finished.exception?.message}`);
    return failures;
  }
}

function observationsOf(attachments: readonly Attachment[]): Observation[] {
  return attachments.filter((a) => a.mediaType === OBSERVATION_MEDIA_TYPE).map((a) => parseObservation(a.body));
}

/** A whole message stream (reports/messages.ndjson), read. */
export function readRun(ndjson: string): RunReader {
  const reader = new RunReader();
  for (const line of ndjson.split('\n')) if (line.trim()) reader.update(JSON.parse(line) as Envelope);
  return reader;
}

/** The scenario's observations in step order, then those of its hooks (the warnings made at teardown). */
export function observationsOfScenario(r: ScenarioRecord): Observation[] {
  return [...r.steps.flatMap((s) => s.observations), ...r.hookObservations];
}
