// The OCI hook's log: one JSON line per container creation it was called for
// (plugin/oci-hook-verifier.ts writes it). Read by scenarios and bench/hooks.ts.
import { readFileSync } from 'node:fs';

export interface HookDecision {
  time: string;
  container: string;
  image?: string;
  judged?: string[];
  allowed: boolean;
  reason: string;
  /** The hook's own run time, node's start included. */
  ms: number;
}

export function parseHookDecisions(file: string, text: string): HookDecision[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as HookDecision;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not a JSON decision: ${(err as Error).message}`);
      }
    });
}

export function readHookDecisions(file: string): HookDecision[] {
  return parseHookDecisions(file, readFileSync(file, 'utf8'));
}
