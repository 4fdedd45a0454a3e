import { createServer, type Server, type Socket } from 'node:net';
import { AppError } from '../../contracts/index.js';
import { readJournal } from './journal-connection.js';
import { grammarOf, type TcpListenSourceConfig } from './pos-config-schema.js';
import type { PosEventSink } from './pos-event-sink.js';
import { SourceStats, type PosSourceHealth } from './source-stats.js';
import type { LanePosSource } from './lane-pos-source.js';

/** IPv4 peers of a dual-stack socket show as ::ffff:10.0.0.5; the config names them 10.0.0.5. */
const plainAddress = (address: string | undefined): string => (address ?? '').replace(/^::ffff:/i, '');

/**
 * Journal lines pushed to the plugin: the POS or its journal splitter connects and writes (what Milestone
 * XProtect Transact and Genetec call a "TCP client" source). Each connection is read on its own; one
 * failing leaves the others and the listener running.
 */
export class TcpJournalListener implements LanePosSource {
  private readonly stats: SourceStats;
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;

  constructor(private readonly config: TcpListenSourceConfig, private readonly sink: PosEventSink, private readonly clock: () => number, onChange: () => void) {
    this.stats = new SourceStats(config.name, 'tcp_listen', onChange);
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = this.config.maxConnections;
    server.on('error', (error) => this.stats.error(error.message));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (cause) => reject(new AppError('unavailable', `POS source ${this.config.name} cannot listen on ${this.config.host}:${this.config.port}: ${cause.message}`, { cause })));
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    this.server = server;
    const address = server.address();
    this.stats.address = address !== null && typeof address === 'object' ? `${address.address}:${address.port}` : null;
    this.stats.isUp = true;
    this.stats.changed();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.stats.isUp = false;
    this.stats.changed();
  }

  /** The port actually bound (0 in the config picks one). */
  get port(): number | null {
    const address = this.server?.address();
    return address !== null && typeof address === 'object' ? address.port : null;
  }

  health(): PosSourceHealth {
    return this.stats.snapshot();
  }

  private accept(socket: Socket): void {
    const peer = plainAddress(socket.remoteAddress);
    this.sockets.add(socket);
    this.stats.connections = this.sockets.size;
    socket.setKeepAlive(true, 30_000);
    this.stats.changed();
    void readJournal(socket, {
      grammar: grammarOf(this.config.grammar),
      timeZone: this.config.timeZone,
      workstationId: this.config.workstationByAddress[peer] ?? this.config.workstationId,
      sink: this.sink,
      stats: this.stats,
      clock: this.clock,
    }).then(() => {
      this.sockets.delete(socket);
      this.stats.connections = this.sockets.size;
      this.stats.disconnects += 1;
      this.stats.changed();
    });
  }
}
