// Child process for the crash test: appends events in a loop with several appends in flight and
// prints "ok <eventId>" only after append() resolved (the record is fsynced). The parent kills it
// with SIGKILL at an arbitrary moment and checks that every printed id survived.
import { newId } from '../../../contracts/index.js';
import { openOutbox } from '../index.js';

const [dir, cameraId, storeId] = process.argv.slice(2);
if (!dir || !cameraId || !storeId) throw new Error('usage: append-loop-child.ts DIR CAMERA_ID STORE_ID');

const outbox = await openOutbox({ dir });
process.stdout.write('ready\n');
let n = 0;
async function appender(): Promise<void> {
  for (;;) {
    const id = newId('event');
    n += 1;
    await outbox.appendEvent({
      id,
      cameraId: cameraId!,
      storeId: storeId!,
      type: 'zone_dwell',
      occurredAt: new Date().toISOString(),
      confidence: 0.9,
      rule: { name: 'crash-test' },
      attributes: { n, pad: 'p'.repeat(200) },
    });
    process.stdout.write(`ok ${id}\n`);
  }
}
await Promise.all(Array.from({ length: 8 }, () => appender()));
