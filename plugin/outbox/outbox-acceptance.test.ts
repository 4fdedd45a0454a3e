// THE acceptance test of the outbox (Vigil issue 7, item 8): the hub is down for the whole first
// phase while 1,000 events of 3 cameras are queued and the plugin side is restarted twice (once
// killed with SIGKILL, once stopped gracefully); then the hub comes up and every event must arrive
// exactly once (by the hub's own answers and its database), in order per camera.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DetectionEventInput, Id } from '../../contracts/index.js';
import { startTestHub } from '../../test/support/hub.js';
import { startRecordingProxy } from './test-support/recording-proxy.js';
import { buildEvent, tempDir, waitFor } from './test-support/fixtures.js';

const CHILD = fileURLToPath(new URL('./test-support/plugin-child.ts', import.meta.url));
const TOTAL = 1000;

interface ChildRun {
  readonly child: ChildProcessWithoutNullStreams;
  readonly appended: string[];
  lastStats: { pending: number; health: string } | undefined;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(args: Record<string, unknown>): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const run: ChildRun = {
    child,
    appended: [],
    lastStats: undefined,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  void run.exited.then(({ code }) => {
    if (code !== 0 && code !== null) process.stderr.write(`plugin child failed (${code}): ${stderr}\n`);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('appended ')) run.appended.push(line.slice(9));
    else if (line.startsWith('stats ')) run.lastStats = JSON.parse(line.slice(6)) as ChildRun['lastStats'];
  });
  return run;
}

test('hub down, 1,000 events over 3 cameras, plugin restarted twice: all arrive once, in order per camera', { timeout: 240_000 }, async (t) => {
  const hub = await startTestHub();
  t.after(() => hub.stop());
  const store = await hub.createStore();
  const cameras = await Promise.all([0, 1, 2].map(() => hub.createCamera(store.id)));
  const token = await hub.createPluginToken([store.id]);
  const proxy = await startRecordingProxy(hub.url);
  t.after(() => proxy.close());
  const dir = await tempDir(t, 'vigil-accept-');
  const children: ChildRun[] = [];
  t.after(() => children.forEach((c) => c.child.kill('SIGKILL')));

  const events: DetectionEventInput[] = Array.from({ length: TOTAL }, (_, n) =>
    buildEvent({ cameraId: cameras[n % 3]!.id as Id<'camera'>, storeId: store.id as Id<'store'>, n }),
  );
  const eventsFile = join(dir, 'events.json');
  await writeFile(eventsFile, JSON.stringify(events));
  const base = { dir: join(dir, 'outbox'), hubUrl: proxy.url, token, eventsFile };

  // Phase 1: hub unreachable. First plugin run queues 400 events and is killed with SIGKILL.
  const first = startChild({ ...base, from: 0, to: 400 });
  children.push(first);
  await waitFor('first run appended 400', () => first.appended.length === 400, 120_000);
  await waitFor('first run tried the hub', () => proxy.refusedConnections > 0);
  first.child.kill('SIGKILL');
  await first.exited;

  // Second run queues 300 more and is stopped gracefully; the drain times out (hub still down).
  const second = startChild({ ...base, from: 400, to: 700 });
  children.push(second);
  await waitFor('second run appended 300', () => second.appended.length === 300, 120_000);
  assert.equal(second.lastStats === undefined || second.lastStats.pending >= 300, true);
  second.child.kill('SIGTERM');
  assert.equal((await second.exited).code, 0);

  // Third run queues the last 300; only then does the hub come up.
  const third = startChild({ ...base, from: 700, to: TOTAL });
  children.push(third);
  await waitFor('third run appended 300', () => third.appended.length === 300, 120_000);
  await waitFor('third run reports its backlog', () => third.lastStats?.pending === TOTAL, 30_000);
  assert.equal(proxy.answers.length, 0, 'nothing reached the hub while it was down');
  proxy.isUp = true;
  await waitFor('backlog drained', () => third.lastStats?.pending === 0, 120_000);
  third.child.kill('SIGTERM');
  await third.exited;

  // None twice, by the hub's answers: exactly one `created` per event, anything else only `duplicate`.
  const createdIds = proxy.answers.filter((a) => a.status === 'created').map((a) => a.id);
  assert.equal(createdIds.length, TOTAL);
  assert.equal(new Set(createdIds).size, TOTAL);
  assert.deepEqual(new Set(createdIds), new Set(events.map((e) => e.id)));
  assert.deepEqual(proxy.answers.filter((a) => a.status !== 'created' && a.status !== 'duplicate'), []);

  // In order per camera: the hub answers in the order sent, so first answers per camera follow append order.
  for (const camera of cameras) {
    const expected = events.filter((e) => e.cameraId === camera.id).map((e) => e.id);
    const order = new Map(events.map((e) => [e.id, e.cameraId]));
    assert.deepEqual(createdIds.filter((id) => order.get(id) === camera.id), expected, `order of camera ${camera.id}`);
  }

  // And by the hub's database: 1,000 rows, one per id.
  const rows = await hub.db.knex('detection_events').where({ tenant_id: hub.tenantId }).select('id');
  assert.equal(rows.length, TOTAL);
  assert.deepEqual(new Set(rows.map((r: { id: string }) => r.id)), new Set(events.map((e) => e.id)));
});
