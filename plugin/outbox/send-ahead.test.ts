// A sender that asks for it (the VMS alarm) gets a record while it is being written; the outcome is applied once the
// record is stored: delivered records are never sent twice, failed ones are sent again from disk, order holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openOutbox, type BatchSender, type OutboundRecord, type SendOutcome } from './index.js';
import { tempDir, waitFor } from './test-support/fixtures.js';

const FAST = { backoff: { baseMs: 5, capMs: 20 }, authRetryMs: 50 };

/** Records every send in order; answers with the next scripted outcome (delivered once the script runs out). */
class ScriptedSender implements BatchSender {
  readonly maxBatch = 1;
  readonly sendsAhead = true;
  readonly sent: number[] = [];
  readonly storedWhenSent: boolean[] = [];
  stored = new Set<number>();

  constructor(private readonly script: SendOutcome[] = []) {}

  send(records: readonly OutboundRecord[]): Promise<SendOutcome> {
    const n = (records[0]?.payload as { n: number }).n;
    this.sent.push(n);
    this.storedWhenSent.push(this.stored.has(n));
    return Promise.resolve(this.script.shift() ?? { type: 'done', items: [{ status: 'delivered' }] });
  }
}

async function outboxWith(t: Parameters<typeof tempDir>[0], sender: ScriptedSender) {
  const outbox = await openOutbox({ dir: await tempDir(t), senders: { vms: sender }, ...FAST });
  t.after(async () => {
    await outbox.close();
  });
  return outbox;
}

async function append(outbox: Awaited<ReturnType<typeof openOutbox>>, sender: ScriptedSender, n: number): Promise<void> {
  await outbox.append('vms', 'cam1', { n });
  sender.stored.add(n);
}

test('a record sent ahead leaves before it is stored and is not sent again once it is', async (t) => {
  const sender = new ScriptedSender();
  const outbox = await outboxWith(t, sender);
  await append(outbox, sender, 1);
  await waitFor('acknowledged', () => outbox.stats().pending === 0);
  assert.deepEqual(sender.sent, [1]);
  assert.deepEqual(sender.storedWhenSent, [false], 'the send started before append() resolved');
  assert.equal(outbox.stats().delivered, 1);
});

test('a record whose send ahead failed is sent again from disk', async (t) => {
  const sender = new ScriptedSender([{ type: 'retry', reason: 'connection refused' }]);
  const outbox = await outboxWith(t, sender);
  await append(outbox, sender, 1);
  await waitFor('delivered on the retry', () => outbox.stats().pending === 0);
  assert.deepEqual(sender.sent, [1, 1]);
  assert.deepEqual(sender.storedWhenSent, [false, true]);
  assert.equal(outbox.stats().delivered, 1);
});

test('a record refused when sent ahead is dead-lettered without a second send', async (t) => {
  const sender = new ScriptedSender([{ type: 'done', items: [{ status: 'rejected', reason: 'Event message not known' }] }]);
  const outbox = await outboxWith(t, sender);
  await append(outbox, sender, 1);
  await waitFor('settled', () => outbox.stats().pending === 0);
  assert.deepEqual(sender.sent, [1]);
  assert.equal(outbox.stats().deadLettered, 1);
});

test('records appended together still leave in order, each once', async (t) => {
  const sender = new ScriptedSender([{ type: 'retry', reason: 'busy' }]);
  const outbox = await outboxWith(t, sender);
  await Promise.all([1, 2, 3, 4, 5].map((n) => append(outbox, sender, n)));
  await append(outbox, sender, 6);
  await waitFor('all delivered', () => outbox.stats().pending === 0);
  const firstSends = sender.sent.filter((n, i) => sender.sent.indexOf(n) === i);
  assert.deepEqual(firstSends, [1, 2, 3, 4, 5, 6], 'no record overtakes an earlier one');
  assert.deepEqual(sender.sent.filter((n) => n === 1), [1, 1], 'only the failed record went twice');
  assert.equal(sender.sent.length, 7);
  assert.equal(outbox.stats().delivered, 6);
});
