import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a running demo stands: written once everything is up, for people and for the demo's own test. */
export interface DemoState {
  hubUrl: string;
  consoleUrl: string;
  /** An lp_admin API token of the demo tenant. */
  adminToken: string;
  /** JSON lines, one per delivery the verifying receiver took (verified or not). */
  webhookLog: string;
  /** JSON lines, one per analytics event the Milestone Event Server stand-in took. */
  vmsLog: string;
  startedAt: string;
}

export interface DemoPaths {
  dir: string;
  state: string;
  webhookLog: string;
  vmsLog: string;
}

export function demoPaths(dir: string): DemoPaths {
  return { dir, state: join(dir, 'state.json'), webhookLog: join(dir, 'webhooks.jsonl'), vmsLog: join(dir, 'vms.jsonl') };
}

/** Appends one JSON object as a line: each line is whole when written, so a reader never sees half of one. */
export function appendJsonLine(file: string, value: unknown): void {
  appendFileSync(file, `${JSON.stringify(value)}\n`);
}

export function writeDemoState(paths: DemoPaths, state: DemoState): void {
  writeFileSync(paths.state, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
