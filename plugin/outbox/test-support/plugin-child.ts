// Child process for the acceptance test: plays the plugin side. It owns the outbox, sends to the hub
// through the real HubClient/EventSender, appends a slice of a prepared event file, and reports on
// stdout: "appended <id>" after each durable append, "stats <json>" twice a second, "closed <json>"
// after a graceful stop (SIGTERM). The parent restarts it (SIGKILL or SIGTERM) while the hub is down.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { DetectionEventInput } from '../../../contracts/index.js';
import { HubClient } from '../../hub-client/index.js';
import { EventSender, openOutbox } from '../index.js';

const argsSchema = z.object({
  dir: z.string(),
  hubUrl: z.string(),
  token: z.string(),
  eventsFile: z.string(),
  from: z.number().int(),
  to: z.number().int(),
});
const args = argsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const events = JSON.parse(await readFile(args.eventsFile, 'utf8')) as DetectionEventInput[];

const client = new HubClient({ baseUrl: args.hubUrl, token: args.token, timeoutMs: 10_000 });
const outbox = await openOutbox({
  dir: args.dir,
  senders: { event: new EventSender(client) },
  // Short backoff so the test does not wait a minute once the hub is back; the shape is the production one.
  backoff: { baseMs: 100, capMs: 1_000 },
});
const report = (): boolean => process.stdout.write(`stats ${JSON.stringify(outbox.stats())}\n`);
const timer = setInterval(report, 500);
process.once('SIGTERM', () => {
  clearInterval(timer);
  void outbox.close({ drainTimeoutMs: 1_000 }).then((result) => {
    process.stdout.write(`closed ${JSON.stringify(result)}\n`);
    process.exit(0);
  });
});
for (const event of events.slice(args.from, args.to)) {
  await outbox.appendEvent(event);
  process.stdout.write(`appended ${event.id}\n`);
}
report();
