import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/** One delivery as the demo's receiver logged it (a line of its JSON-lines log). */
export interface ReceivedDelivery {
  at: string;
  webhookId: string;
  type: string | null;
  subjectId: string | null;
  verified: boolean;
  error?: string;
}

const MAX_BODY_BYTES = 1024 * 1024;

async function bodyOf(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const header = (req: IncomingMessage, name: string): string => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value ?? '';
};

function describe(payload: unknown): { type: string | null; subjectId: string | null } {
  if (typeof payload !== 'object' || payload === null) return { type: null, subjectId: null };
  const type = Reflect.get(payload, 'type');
  const data: unknown = Reflect.get(payload, 'data');
  const id = typeof data === 'object' && data !== null ? Reflect.get(data, 'id') : null;
  return { type: typeof type === 'string' ? type : null, subjectId: typeof id === 'string' ? id : null };
}

/**
 * A receiver of the kind IT wires to the hub (ServiceNow, a workforce system): it verifies every delivery's
 * Standard Webhooks signature with the endpoint's secret (the `standardwebhooks` library, not the hub's code),
 * answers 204 when it holds, 401 when not, and reports each delivery. The secret is set once the endpoint
 * exists (`useSecret`); until then every delivery is refused, as a receiver without its secret would.
 */
export class VerifyingWebhookReceiver {
  private readonly server: Server;
  private verifier: Webhook | null = null;
  readonly received: ReceivedDelivery[] = [];

  constructor(private readonly onDelivery: (delivery: ReceivedDelivery) => void = () => undefined) {
    this.server = createServer((req, res) => {
      void this.handle(req).then((status) => {
        res.writeHead(status).end();
      }, () => res.writeHead(500).end());
    });
  }

  useSecret(secret: string): void {
    this.verifier = new Webhook(secret);
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/vigil`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<number> {
    if (req.method !== 'POST') return 405;
    const body = await bodyOf(req);
    if (body === null) return 413;
    const headers = { 'webhook-id': header(req, 'webhook-id'), 'webhook-timestamp': header(req, 'webhook-timestamp'), 'webhook-signature': header(req, 'webhook-signature') };
    const at = new Date().toISOString();
    try {
      if (!this.verifier) throw new Error('no secret yet');
      const payload: unknown = this.verifier.verify(body, headers);
      this.report({ at, webhookId: headers['webhook-id'], ...describe(payload), verified: true });
      return 204;
    } catch (error) {
      this.report({ at, webhookId: headers['webhook-id'], type: null, subjectId: null, verified: false, error: (error as Error).message });
      return 401;
    }
  }

  private report(delivery: ReceivedDelivery): void {
    this.received.push(delivery);
    this.onDelivery(delivery);
  }
}
