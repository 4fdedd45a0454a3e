import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError, freePort, isProcessAlive } from '../../contracts/index.js';
import { MilestoneReceiver } from '../../adapters/vms/milestone-event-receiver.js';
import { posExport, seedDemoSite, startDemoHub, type DemoSite } from './demo-hub.js';
import { startDemoStore, type DemoStore } from './demo-store.js';
import { appendJsonLine, demoPaths, writeDemoState, type DemoState } from './demo-logs.js';
import { VerifyingWebhookReceiver } from './webhook-receiver.js';

export interface DemoOptions {
  /** Emptied at start: the demo always begins from the same state. */
  dir: string;
  /** The hub's port; 0 picks a free one. */
  port: number;
  say: (line: string) => void;
}

export interface RunningDemo {
  state: DemoState;
  site: DemoSite;
  store: DemoStore;
  stop(): Promise<void>;
}


function announce(say: (line: string) => void, state: DemoState, site: DemoSite): void {
  const people = site.accounts.map((a) => `    ${a.role.padEnd(17)} ${a.email.padEnd(36)} ${a.password}`);
  say([
    '',
    `Vigil demo is running. Open the console: ${state.consoleUrl}`,
    '  Sign in as one of the seeded people (passwords are new at every start):',
    ...people,
    '',
    '  What to look at:',
    '    - the review queue: a scan avoidance at checkout lane 1 of Demo Store A arrives within a minute, with its',
    '      clip, the boxes the detector drew and the receipt lines of the transaction it happened in;',
    `    - ${state.webhookLog}: each signed delivery the receiver verified (standardwebhooks);`,
    `    - ${state.vmsLog}: each analytics event the Milestone Event Server stand-in received (the operators' alarm).`,
    `  API: ${state.hubUrl}/v1/openapi.json (an lp_admin token is in ${resolve(state.webhookLog, '..', 'state.json')}).`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n'));
}


/** One demo per directory: a second would empty the first one's data under it. */
function claimDirectory(dir: string): () => void {
  const lock = join(dir, 'demo.pid');
  let owner = Number.NaN;
  try {
    owner = Number(readFileSync(lock, 'utf8').trim());
  } catch {
    // no demo ran here, or it left no lock
  }
  if (Number.isInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
    throw new AppError('conflict', `a demo (process ${owner}) is already running in ${dir}: stop it with Ctrl-C, or give this one another --dir`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(lock, `${process.pid}\n`);
  return () => rmSync(lock, { force: true });
}

/** Starts every part of the demo, in the order each needs the others, and writes state.json once all are up. */
export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const paths = demoPaths(resolve(options.dir));
  const release = claimDirectory(paths.dir);
  const stops: Array<() => Promise<unknown>> = [async () => release()];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const webhooks = new VerifyingWebhookReceiver((delivery) => appendJsonLine(paths.webhookLog, delivery));
    const webhookUrl = await webhooks.listen();
    stops.push(() => webhooks.close());
    const vms = new MilestoneReceiver((alarm) => appendJsonLine(paths.vmsLog, { at: new Date(alarm.at).toISOString(), customTag: alarm.customTag, xml: alarm.bytes.toString('utf8').slice(alarm.bytes.indexOf('\r\n\r\n') + 4) }));
    const vmsPort = await vms.listen();
    stops.push(() => vms.close());

    options.say('starting the hub (PGlite, built-in OpenID provider)…');
    const hub = await startDemoHub(paths.dir, options.port);
    stops.push(() => hub.stop());
    const site = await seedDemoSite(hub, webhookUrl);
    webhooks.useSecret(site.webhookSecret);

    options.say('starting the simulated cameras, the POS journal and the plugin…');
    const store: DemoStore = await startDemoStore({
      dir: paths.dir, hubUrl: hub.url, site, vmsPort, journalPort: await freePort(), postTransactions: posExport(hub.url, site.posToken),
    });
    stops.push(() => store.stop());

    const state: DemoState = {
      hubUrl: hub.url, consoleUrl: `${hub.url}/console`, adminToken: site.adminToken,
      webhookLog: paths.webhookLog, vmsLog: paths.vmsLog, startedAt: new Date().toISOString(),
    };
    writeDemoState(paths, state);
    announce(options.say, state, site);
    return { state, site, store, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
