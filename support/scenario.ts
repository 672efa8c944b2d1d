// What every area module of a scenario shares: its temp dir, its teardown
// stack, and the evidence it attaches to the report (notes, component logs,
// typed observations). Areas take this, never the World.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JSON_MEDIA_TYPE, LOG_MEDIA_TYPE, OBSERVATION_MEDIA_TYPE, TEXT_MEDIA_TYPE } from './report/attachments.ts';
import { ATTACHMENT } from './report/attachments.ts';
import type { Observation } from './report/observations.ts';
import { TeardownStack } from './teardown.ts';

type Attach = (data: string, options: { mediaType: string; fileName?: string }) => unknown;

const LOG_TAIL_BYTES = 256 * 1024;

export class Scenario {
  /** Set by the Before hook; every path of the scenario lives below it. */
  dir = '';
  readonly teardown = new TeardownStack();
  private readonly attachFn: Attach;

  constructor(attachFn: Attach) {
    this.attachFn = attachFn;
  }

  path(...parts: string[]): string {
    if (!this.dir) throw new Error('internal: the scenario has no temp dir yet (the Before hook makes it)');
    return join(this.dir, ...parts);
  }

  /** Evidence for the reader of the report, inline. */
  note(fileName: string, text: string): void {
    void this.attachFn(text, { mediaType: TEXT_MEDIA_TYPE, fileName });
  }

  json(fileName: string, value: unknown): void {
    void this.attachFn(JSON.stringify(value), { mediaType: JSON_MEDIA_TYPE, fileName });
  }

  /** The last 256 kB of a component's log, as a file next to the HTML report. */
  attachLog(fileName: string, file: string): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    if (!text.trim()) return;
    void this.attachFn(text.length > LOG_TAIL_BYTES ? `(last ${LOG_TAIL_BYTES / 1024} kB)\n${text.slice(-LOG_TAIL_BYTES)}` : text, { mediaType: LOG_MEDIA_TYPE, fileName });
  }

  /** A typed observation, attached to the step that is running: the reports are built from these. */
  observe(observation: Observation): void {
    void this.attachFn(JSON.stringify(observation), { mediaType: OBSERVATION_MEDIA_TYPE, fileName: ATTACHMENT.observation });
  }
}
