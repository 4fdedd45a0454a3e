// An HTTP proxy between the plugin and a hub (the real one or the test receiver). While "down" it
// drops every connection, which the plugin sees as a network error, exactly like an unreachable hub.
// It records the hub's answers so a test can count `created` and `duplicate` per event id.
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { eventResultSchema } from '../../../contracts/index.js';
import type { EventResult } from '../../../contracts/index.js';

export interface RecordingProxy {
  readonly url: string;
  isUp: boolean;
  /** Per-item answers of the hub, in the order the hub gave them. */
  readonly answers: EventResult[];
  readonly refusedConnections: number;
  /** Drops the connection of a request (after reading its body) when this returns true: a network failure mid-transfer. */
  dropWhen: (method: string, path: string) => boolean;
  close(): Promise<void>;
}

const answersSchema = z.object({ results: z.array(eventResultSchema) });

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const state = { isUp: false, answers: [] as EventResult[], refusedConnections: 0, dropWhen: (_method: string, _path: string): boolean => false };
  const server = createServer((req, res) => {
    if (!state.isUp) {
      state.refusedConnections += 1;
      req.socket.destroy();
      return;
    }
    void (async () => {
      const body = await readBody(req);
      if (state.dropWhen(req.method ?? 'GET', req.url ?? '/')) {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'accept', 'upload-offset']) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const response = await fetch(new URL(req.url ?? '/', target), { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}) });
      const text = await response.text();
      const parsed = answersSchema.safeParse(safeJson(text));
      if (response.ok && parsed.success) state.answers.push(...parsed.data.results);
      const out: Record<string, string> = { 'content-type': response.headers.get('content-type') ?? 'application/json' };
      for (const name of ['retry-after', 'upload-offset', 'upload-length', 'evidence-id', 'location']) {
        const value = response.headers.get(name);
        if (value !== null) out[name] = value;
      }
      res.writeHead(response.status, out);
      res.end(text);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get isUp() {
      return state.isUp;
    },
    set isUp(value: boolean) {
      state.isUp = value;
    },
    answers: state.answers,
    get dropWhen() {
      return state.dropWhen;
    },
    set dropWhen(value: (method: string, path: string) => boolean) {
      state.dropWhen = value;
    },
    get refusedConnections() {
      return state.refusedConnections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
