import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { ACE_40_JOURNAL, NCR_EJ_JOURNAL } from '../../adapters/pos/journal/journal-fixtures.js';
import { LanePosHub } from './lane-pos-hub.js';
import { LANE_A, endSocket, openSocket, portOf, posConfig, until, writeChunked } from './testing/pos-test-kit.js';

const NOW = Date.UTC(2026, 10, 24, 10, 15, 30);
const clock = (): number => NOW;

function listenHub(grammar: string, lanes = [{ workstationId: '003', laneId: LANE_A, offsetMs: 2_000 }]): LanePosHub {
  return new LanePosHub(posConfig({ sources: [{ type: 'tcp_listen', name: 'journal', host: '127.0.0.1', port: 0, grammar, timeZone: 'UTC' }], lanes }), { clock });
}

test('listen mode: a journal written in 7-byte chunks reads whole; garbage, NUL and over-long lines are counted, not fatal', { timeout: 10_000 }, async () => {
  const hub = listenHub('ace-40');
  await hub.start();
  try {
    const socket = await openSocket(portOf(hub, 0));
    const junk = Buffer.concat([Buffer.from('\u0000\u0000\u0000\r\n'), Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0a]), Buffer.from(`${'9'.repeat(9000)}\r\n`)]);
    await writeChunked(socket, Buffer.concat([Buffer.from(ACE_40_JOURNAL), junk, Buffer.from('#0412 T003 TR4823 OP117  11/24/26 10:30')]), 7);
    await endSocket(socket);
    await until(hub, () => hub.health().sources[0]?.connections === 0 && hub.health().sources[0]?.disconnects === 1);
    const events = hub.drain();
    assert.equal(events.length, 15, '14 of the journal and the unterminated last line, kept on a clean close');
    assert.deepEqual(events.slice(0, 3).map((e) => e.kind), ['transaction_start', 'sale', 'sale']);
    assert.equal(events[0]?.at, Date.UTC(2026, 10, 24, 10, 15) - 2_000, 'a timed line moves by the lane offset');
    assert.deepEqual([events[1]?.at, events[1]?.posTime], [NOW, NOW + 2_000], 'an untimed line happened on arrival');
    assert.ok(events.every((e) => e.laneId === LANE_A));
    const source = hub.health().sources[0];
    assert.deepEqual(source?.refused, { binary: 2, too_long: 1 });
    assert.deepEqual([source?.received, source?.events, source?.unmatched, source?.isUp], [24, 15, 0, true]);
    assert.deepEqual(hub.drain(), [], 'drain returns each event once');
  } finally {
    await hub.stop();
  }
});

test('listen mode: a connection that breaks mid-line costs that line only; other connections and the listener go on', { timeout: 10_000 }, async () => {
  const hub = listenHub('ncr-ej', [{ workstationId: '03', laneId: LANE_A, offsetMs: 0 }]);
  await hub.start();
  try {
    const port = portOf(hub, 0);
    const broken = await openSocket(port);
    const steady = await openSocket(port);
    await until(hub, () => hub.health().sources[0]?.connections === 2);
    await writeChunked(broken, Buffer.from('*** 11/24/2026 10:15:02 AM REG 03 TRX 0004821 CSH 117 START ***\n10:15:07 AM ITEM  4006'), 64);
    await until(hub, () => hub.health().sources[0]?.events === 1);
    broken.resetAndDestroy();
    await until(hub, () => hub.health().sources[0]?.disconnects === 1);
    await writeChunked(steady, Buffer.from(NCR_EJ_JOURNAL), 50);
    await until(hub, () => hub.health().sources[0]?.events === 17);
    assert.deepEqual(hub.health().sources[0]?.refused, { truncated: 1 });
    assert.equal(hub.health().sources[0]?.connections, 1);
    const late = await openSocket(port);
    await writeChunked(late, Buffer.from('*** 11/24/2026 10:16:02 AM REG 03 CSH 117 NO SALE ***\n'), 100);
    await until(hub, () => hub.health().sources[0]?.events === 18);
    steady.destroy();
    late.destroy();
    assert.equal(hub.drain(LANE_A).length, 18);
  } finally {
    await hub.stop();
  }
});

test('events of registers bound to no lane are counted per workstation and reported, not queued', { timeout: 10_000 }, async () => {
  const hub = listenHub('ncr-ej', [{ workstationId: '07', laneId: LANE_A, offsetMs: 0 }]);
  await hub.start();
  try {
    const socket = await openSocket(portOf(hub, 0));
    await writeChunked(socket, Buffer.from(NCR_EJ_JOURNAL), 1024);
    await endSocket(socket);
    await until(hub, () => hub.health().sources[0]?.events === 16);
    assert.deepEqual(hub.health().unknownWorkstations, { '03': 16 });
    assert.deepEqual(hub.health().sources[0]?.unknownWorkstations, { '03': 16 });
    assert.deepEqual(hub.drain(), []);
  } finally {
    await hub.stop();
  }
});

class JournalServer {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly onConnection: (socket: Socket) => void) {}

  async open(port = 0): Promise<number> {
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.onConnection(socket);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
    this.server = server;
    const address = server.address();
    return address !== null && typeof address === 'object' ? address.port : 0;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('connect mode: reads from the POS, notices the drop, retries with backoff and reads again once the POS is back', { timeout: 15_000 }, async () => {
  let round = 0;
  const pos = new JournalServer((socket) => {
    round += 1;
    socket.write(round === 1 ? '10:15:07 AM ITEM 4006381333931 PEN BLUE 2PK 2 X 5.00\r\n' : '10:15:31 AM DRAWER OPEN\r\n10:15:32 AM DRAWER OPEN\r\n');
  });
  const port = await pos.open();
  const hub = new LanePosHub(posConfig({
    sources: [{ type: 'tcp_connect', name: 'reg3', host: '127.0.0.1', port, grammar: 'ncr-ej', workstationId: '03', reconnect: { initialMs: 20, maxMs: 100 } }],
    lanes: [{ workstationId: '03', laneId: LANE_A }],
  }), { clock });
  await hub.start();
  try {
    await until(hub, () => hub.health().sources[0]?.events === 1);
    assert.equal(hub.health().sources[0]?.isUp, true);
    await pos.close();
    await until(hub, () => hub.health().sources[0]?.isUp === false && (hub.health().sources[0]?.lastError ?? '') !== '');
    assert.equal(hub.health().sources[0]?.disconnects, 1);
    await pos.open(port);
    await until(hub, () => hub.health().sources[0]?.events === 3);
    assert.equal(hub.health().sources[0]?.isUp, true);
    assert.deepEqual(hub.drain().map((e) => e.kind), ['sale', 'drawer_open', 'drawer_open']);
  } finally {
    await hub.stop();
    await pos.close();
  }
});

test('a listen port already taken fails start() with a clear error and leaves nothing running', { timeout: 10_000 }, async () => {
  const first = listenHub('ace-40');
  await first.start();
  try {
    const hub = new LanePosHub(posConfig({
      sources: [
        { type: 'http', name: 'receiver', host: '127.0.0.1', port: 0 },
        { type: 'tcp_listen', name: 'dup', host: '127.0.0.1', port: portOf(first, 0), grammar: 'ace-40' },
      ],
    }));
    await assert.rejects(hub.start(), { code: 'unavailable', message: /dup cannot listen/ });
    assert.equal(hub.health().sources[0]?.isUp, false);
  } finally {
    await first.stop();
  }
});
