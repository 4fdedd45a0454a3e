import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';

export interface ReceivedDelivery {
  webhookId: string;
  timestamp: string;
  signature: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  at: number;
  /** Both verifiers accepted it. */
  isVerified: boolean;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Never answer (the sender's timeout must fire). */
  hang?: boolean;
  /** Destroy the socket without an answer. */
  reset?: boolean;
  /** Answer after this many milliseconds. */
  delayMs?: number;
}

export interface ReceiverOptions {
  /** Secrets a delivery may be signed with; none means no verification (bench). */
  secrets?: () => string[];
  /** How to answer the n-th request (0-based) that passed verification. */
  reply?: (request: ReceivedDelivery, index: number) => Reply;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  rejected: Array<{ webhookId: string; reason: string }>;
  /** Resolves when `count` verified deliveries arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function verify(secrets: string[], body: string, headers: Record<string, string>): string | null {
  for (const secret of secrets) {
    try {
      new SvixWebhook(secret).verify(body, headers);
      new StandardWebhook(secret).verify(body, headers);
      return null;
    } catch (error) {
      if (secret === secrets[secrets.length - 1]) return (error as Error).message;
    }
  }
  return 'no secret';
}

/**
 * A real webhook receiver on 127.0.0.1 (a separate HTTP server, as a customer would run): it verifies
 * every delivery with both svix's and the standardwebhooks package's verifier, refuses what fails with
 * 401, records webhook-ids, and answers as the test scripts it.
 */
export async function startWebhookReceiver(options: ReceiverOptions = {}): Promise<WebhookReceiver> {
  const received: ReceivedDelivery[] = [];
  const rejected: WebhookReceiver['rejected'] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const h = (name: string) => String(req.headers[name] ?? '');
    const headers = { 'webhook-id': h('webhook-id'), 'webhook-timestamp': h('webhook-timestamp'), 'webhook-signature': h('webhook-signature') };
    const secrets = options.secrets?.() ?? [];
    const failure = secrets.length > 0 ? verify(secrets, body, headers) : null;
    if (failure !== null) {
      rejected.push({ webhookId: headers['webhook-id'], reason: failure });
      res.writeHead(401).end('bad signature');
      return;
    }
    const delivery: ReceivedDelivery = {
      webhookId: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body, headers: req.headers,
      at: performance.timeOrigin + performance.now(), isVerified: secrets.length > 0,
    };
    const index = received.length;
    received.push(delivery);
    for (const w of waiters.filter((x) => received.length >= x.count)) w.resolve();
    const reply = options.reply?.(delivery, index) ?? {};
    if (reply.hang) return;
    if (reply.reset) {
      req.socket.destroy();
      return;
    }
    const send = () => res.writeHead(reply.status ?? 204, reply.headers ?? {}).end(reply.body ?? '');
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    rejected,
    waitFor(count, timeoutMs = 30_000) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${received.length} of ${count} deliveries in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
