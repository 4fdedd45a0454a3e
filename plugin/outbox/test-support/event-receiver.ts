// A small stand-in for the hub's POST /v1/events, used by the outbox tests: the same contract
// (bearer token, { events } envelope, idempotent on event id, per-item results, { error } bodies)
// over a real socket, plus switches to play an unhealthy hub.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import type { DetectionEvent, EventResult } from '../../../contracts/index.js';
import { MAX_EVENTS_PER_BATCH, detectionEventSchema } from '../../../contracts/index.js';

export interface ReceiverFault {
  readonly status: number;
  readonly code: string;
  readonly retryAfter?: string;
}

export interface EventReceiver {
  readonly url: string;
  readonly token: string;
  /** Every stored event in arrival order (first delivery only). */
  readonly stored: DetectionEvent[];
  /** Every answered item, duplicates included. */
  readonly answers: EventResult[];
  readonly requests: Array<{ status: number; ids: string[] }>;
  /** When set, each request is answered with this fault (and counted) instead of being processed. */
  fault: ReceiverFault | undefined;
  /** Events for which this returns a reason are rejected one by one (per-item `rejected`). */
  rejectItem: (event: DetectionEvent) => string | undefined;
  /** A batch containing an event for which this is true is refused as a whole with `refusal` (422 by default). */
  refuseBatch: (event: DetectionEvent) => boolean;
  refusal: ReceiverFault;
  /** A batch containing an event for which this is true fails with 503 (a hub-side problem with that data). */
  failBatch: (event: DetectionEvent) => boolean;
  close(): Promise<void>;
}

const envelopeSchema = z.strictObject({ events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH) });

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startEventReceiver(options: { token?: string } = {}): Promise<EventReceiver> {
  const token = options.token ?? 'vgl_test_receiver_token';
  const byId = new Map<string, DetectionEvent>();
  const receiver: EventReceiver = {
    url: '',
    token,
    stored: [],
    answers: [],
    requests: [],
    fault: undefined,
    rejectItem: () => undefined,
    refuseBatch: () => false,
    refusal: { status: 422, code: 'unprocessable' },
    failBatch: () => false,
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => sendJson(res, 500, { error: { code: 'internal', message: String(error), requestId: 'req_test' } }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const error = (status: number, code: string, message: string, headers?: Record<string, string>): void => {
      receiver.requests.push({ status, ids: [] });
      sendJson(res, status, { error: { code, message, requestId: 'req_test' } }, headers);
    };
    if (req.method !== 'POST' || req.url !== '/v1/events') return error(404, 'not_found', 'no such route');
    if (receiver.fault) {
      const { status, code, retryAfter } = receiver.fault;
      return error(status, code, 'fault injected by the test', retryAfter === undefined ? {} : { 'retry-after': retryAfter });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return error(401, 'unauthenticated', 'bad token');
    const envelope = envelopeSchema.safeParse(JSON.parse(text));
    if (!envelope.success) return error(400, 'validation_failed', envelope.error.message);
    const parsed = envelope.data.events.map((raw) => detectionEventSchema.safeParse(raw));
    if (parsed.some((p) => p.success && receiver.refuseBatch(p.data))) return error(receiver.refusal.status, receiver.refusal.code, 'batch refused');
    if (parsed.some((p) => p.success && receiver.failBatch(p.data))) return error(503, 'unavailable', 'batch failed');
    const results = parsed.map((p, i): EventResult => {
      const id = z.object({ id: z.string() }).safeParse(envelope.data.events[i]).data?.id ?? `#${i}`;
      if (!p.success) return { id, status: 'rejected', error: { code: 'validation_failed', message: p.error.message } };
      const reason = receiver.rejectItem(p.data);
      if (reason !== undefined) return { id, status: 'rejected', error: { code: 'validation_failed', message: reason } };
      if (byId.has(id)) return { id, status: 'duplicate' };
      byId.set(id, p.data);
      receiver.stored.push(p.data);
      return { id, status: 'created' };
    });
    receiver.answers.push(...results);
    receiver.requests.push({ status: 200, ids: results.map((r) => r.id) });
    sendJson(res, 200, { results });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(receiver, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return receiver;
}
