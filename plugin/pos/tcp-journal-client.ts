import { connect, type Socket } from 'node:net';
import { Backoff } from '../capture/index.js';
import { readJournal } from './journal-connection.js';
import { grammarOf, type TcpConnectSourceConfig } from './pos-config-schema.js';
import type { PosEventSink } from './pos-event-sink.js';
import type { LanePosSource } from './lane-pos-source.js';
import { SourceStats, type PosSourceHealth } from './source-stats.js';

/**
 * Journal lines pulled by the plugin: it connects to the POS (or a journal server) and reads. A disconnect
 * or a failed attempt schedules the next one with exponential backoff and jitter; the backoff resets once
 * a connection delivers data, so a peer that accepts and hangs up at once is not hammered.
 */
export class TcpJournalClient implements LanePosSource {
  private readonly stats: SourceStats;
  private readonly backoff: Backoff;
  private socket: Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private isRunning = false;

  constructor(private readonly config: TcpConnectSourceConfig, private readonly sink: PosEventSink, private readonly clock: () => number, onChange: () => void) {
    this.stats = new SourceStats(config.name, 'tcp_connect', onChange);
    this.stats.address = `${config.host}:${config.port}`;
    this.backoff = new Backoff({ initialMs: config.reconnect.initialMs, maxMs: config.reconnect.maxMs, factor: 2, jitter: 0.2 });
  }

  /** Starts connecting; resolves at once (an unreachable journal is a health state, not a start failure). */
  async start(): Promise<void> {
    if (this.isRunning) return;
    this.isRunning = true;
    this.connectOnce();
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.destroy();
    });
  }

  health(): PosSourceHealth {
    return this.stats.snapshot();
  }

  private connectOnce(): void {
    const socket = connect({ host: this.config.host, port: this.config.port });
    this.socket = socket;
    socket.setTimeout(this.config.connectTimeoutMs, () => socket.destroy(new Error(`connect timed out after ${this.config.connectTimeoutMs} ms`)));
    socket.once('connect', () => {
      socket.setTimeout(0);
      socket.setKeepAlive(true, 15_000);
      this.stats.isUp = true;
      this.stats.connections = 1;
      this.stats.lastError = null;
      this.stats.changed();
    });
    socket.once('data', () => this.backoff.reset());
    void readJournal(socket, {
      grammar: grammarOf(this.config.grammar), timeZone: this.config.timeZone, workstationId: this.config.workstationId,
      sink: this.sink, stats: this.stats, clock: this.clock,
    }).then(() => this.closed(socket));
  }

  private closed(socket: Socket): void {
    if (this.socket === socket) this.socket = null;
    if (this.stats.isUp) this.stats.disconnects += 1;
    this.stats.isUp = false;
    this.stats.connections = 0;
    this.stats.changed();
    if (!this.isRunning) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.isRunning) this.connectOnce();
    }, this.backoff.next());
  }
}
