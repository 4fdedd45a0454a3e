import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parsePosDocument, posFormatOf, type PosRejection } from '../../adapters/pos/index.js';
import { AppError, isAppError } from '../../contracts/index.js';
import { readBody } from './http-body.js';
import type { HttpSourceConfig } from './pos-config-schema.js';
import type { PosEventSink } from './pos-event-sink.js';
import type { LanePosSource } from './lane-pos-source.js';
import { SourceStats, type PosSourceHealth } from './source-stats.js';
import { transactionToLaneEvents } from './transaction-events.js';

export interface AcceptedUpload {
  readonly transactions: number;
  readonly events: number;
  /** Registers of this upload bound to no lane (their events are counted, not queued). */
  readonly unknownWorkstations: string[];
  /** Transactions refused on their own (position and reason); the others were taken. */
  readonly rejected: PosRejection[];
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function hasToken(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The plugin's small HTTP receiver: the POS (or its back office) posts ARTS POSLog XML or the JSON
 * transaction form of adapters/pos. 202 with counts when read; a clear 4xx JSON error otherwise
 * (400 malformed, 401 token, 404 path, 405 method, 413 too large, 415 media type).
 */
export class PosHttpReceiver implements LanePosSource {
  private readonly stats: SourceStats;
  private server: Server | null = null;

  constructor(private readonly config: HttpSourceConfig, private readonly sink: PosEventSink, private readonly clock: () => number, onChange: () => void) {
    this.stats = new SourceStats(config.name, 'http', onChange);
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (cause) => reject(new AppError('unavailable', `POS source ${this.config.name} cannot listen on ${this.config.host}:${this.config.port}: ${cause.message}`, { cause })));
      server.listen(this.config.port, this.config.host, () => resolve());
    });
    server.on('error', (error) => this.stats.error(error.message));
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
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.stats.isUp = false;
    this.stats.changed();
  }

  get port(): number | null {
    const address = this.server?.address();
    return address !== null && typeof address === 'object' ? address.port : null;
  }

  health(): PosSourceHealth {
    return this.stats.snapshot();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    req.once('error', (error) => this.stats.error(`request ${requestId}: ${error.message}`));
    try {
      this.check(req);
      const format = posFormatOf(req.headers['content-type'] ?? '');
      if (format === undefined) throw new AppError('unsupported_media_type', 'send POSLog as application/xml or transactions as application/json');
      const text = await readBody(req, this.config.maxBodyBytes);
      const accepted = this.ingest(parsePosDocument(format, text));
      send(res, 202, { accepted, requestId });
    } catch (error) {
      this.fail(res, error, requestId);
    }
  }

  private check(req: IncomingMessage): void {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    if (path !== this.config.path) throw new AppError('not_found', `nothing at ${path}; post to ${this.config.path}`);
    if (req.method !== 'POST') throw new AppError('method_not_allowed', `${req.method ?? 'this method'} is not allowed; use POST`);
    if (this.config.token !== undefined && !hasToken(req, this.config.token)) throw new AppError('unauthenticated', 'a valid bearer token is required');
  }

  private ingest(document: ReturnType<typeof parsePosDocument>): AcceptedUpload {
    const { transactions, rejected } = document;
    if (transactions.length === 0 && rejected.length > 0) {
      throw new AppError('validation_failed', `no transaction could be read: ${rejected.slice(0, 3).map((r) => `#${r.index}: ${r.message}`).join('; ')}`, { details: { rejected: rejected.slice(0, 50) } });
    }
    const receivedAt = this.clock();
    const unknown = new Set<string>();
    let events = 0;
    for (const tx of transactions) {
      const converted = transactionToLaneEvents(tx, { timeZone: this.config.timeZone, receivedAt });
      for (const event of converted.events) {
        const meta = { timeBase: converted.isPosTimed ? 'pos' : 'received', isScanPrecise: false, receivedAt, source: this.config.name } as const;
        const isBound = this.sink.accept(event, meta);
        if (!isBound) unknown.add(event.workstationId);
        this.stats.event(receivedAt, event.workstationId, isBound);
        events += 1;
      }
    }
    this.stats.lastReceivedAt = receivedAt;
    this.stats.received += transactions.length;
    this.stats.changed();
    return { transactions: transactions.length, events, unknownWorkstations: [...unknown], rejected };
  }

  private fail(res: ServerResponse, error: unknown, requestId: string): void {
    const appError = isAppError(error) ? error : new AppError('internal', 'the upload could not be processed', { cause: error });
    this.stats.refuse(appError.code);
    if (!appError.expose) this.stats.error(error instanceof Error ? error.message : String(error));
    const headers: Record<string, string> = {};
    if (appError.code === 'payload_too_large') headers['connection'] = 'close';
    if (appError.code === 'method_not_allowed') headers['allow'] = 'POST';
    if (appError.code === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
    const message = appError.expose ? appError.message : 'internal error';
    send(res, appError.status, { error: { code: appError.code, message, requestId } }, headers);
  }
}
