import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SnowRecord {
  sys_id: string;
  number: string;
  fields: Record<string, string>;
  workNotes: string[];
}

export interface SnowRequest {
  method: string;
  path: string;
  authorization: string;
  body: Record<string, string>;
  status: number;
}

export interface ServiceNowServer {
  /** The instance base URL (what an endpoint's url is set to). */
  url: string;
  records: Map<string, SnowRecord>;
  requests: SnowRequest[];
  /** Statuses forced on the next requests, in order (429 carries Retry-After: 1). */
  failNext(...statuses: Array<401 | 429 | 500>): void;
  /** The next create makes its record but never answers (the client times out: a lost response). */
  loseNextCreateResponse(): void;
  close(): Promise<void>;
}

const failure = (message: string, detail: string) => JSON.stringify({ error: { message, detail }, status: 'failure' });

/**
 * A local HTTP server that behaves like a ServiceNow instance's Table API for the incident table, as
 * documented: POST /api/now/table/incident answers 201 with `{ result: { sys_id, number, … } }`,
 * PATCH /api/now/table/incident/{sys_id} answers 200 (404 when unknown), missing or wrong credentials
 * answer 401 with ServiceNow's error body, and 429 (with Retry-After) or 500 can be forced.
 * GET /api/now/table/incident?sysparm_query=correlation_id=X answers `{ result: [...] }` (matching records).
 */
export async function startServiceNowServer(credentials: { username: string; password: string }): Promise<ServiceNowServer> {
  const records = new Map<string, SnowRecord>();
  const requests: SnowRequest[] = [];
  const forced: number[] = [];
  const sockets = new Set<Socket>();
  let counter = 10000;
  let loseNextCreate = false;
  const expected = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;

  const answer = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://snow');
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      let parsed: Record<string, string> = {};
      try {
        parsed = raw ? (JSON.parse(raw) as Record<string, string>) : {};
      } catch {
        parsed = {};
      }
      requests.push({ method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization ?? '', body: parsed, status });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    const force = forced.shift();
    if (force === 429) return send(429, failure('Rate limit exceeded', 'Too many requests'), { 'retry-after': '1', 'x-ratelimit-limit': '10' });
    if (force === 500) return send(500, failure('Internal server error', 'Transaction cancelled'));
    if (force === 401 || req.headers.authorization !== expected) return send(401, failure('User Not Authenticated', 'Required to provide Auth information'));
    if (req.method === 'GET' && url.pathname === '/api/now/table/incident') {
      const wanted = /^correlation_id=(.*)$/.exec(url.searchParams.get('sysparm_query') ?? '')?.[1];
      if (wanted === undefined) return send(400, failure('Invalid query', 'expected correlation_id=...'));
      const matches = [...records.values()].filter((r) => r.fields.correlation_id === wanted.replaceAll('^^', '^'));
      return send(200, JSON.stringify({ result: matches.slice(0, 1).map((r) => ({ sys_id: r.sys_id, number: r.number })) }));
    }
    if (!/json/.test(req.headers['content-type'] ?? '')) return send(415, failure('Unsupported media type', 'Use application/json'));
    let body: Record<string, string>;
    try {
      body = JSON.parse(raw) as Record<string, string>;
    } catch {
      return send(400, failure('Exception while reading request', 'The payload is not valid JSON.'));
    }
    const match = /^\/api\/now\/table\/incident(?:\/([0-9a-f]{32}))?$/.exec(url.pathname);
    if (!match) return send(400, failure('Invalid table', url.pathname));
    if (req.method === 'POST' && !match[1]) {
      const { work_notes: note, ...fields } = body;
      const record: SnowRecord = { sys_id: randomBytes(16).toString('hex'), number: `INC00${(counter += 1)}`, fields: { state: '1', ...fields }, workNotes: note ? [note] : [] };
      records.set(record.sys_id, record);
      if (loseNextCreate) {
        loseNextCreate = false;
        requests.push({ method: 'POST', path: url.pathname, authorization: req.headers.authorization ?? '', body, status: 0 });
        return undefined;
      }
      return send(201, JSON.stringify({ result: { sys_id: record.sys_id, number: record.number, ...record.fields } }));
    }
    if (req.method === 'PATCH' && match[1]) {
      const record = records.get(match[1]);
      if (!record) return send(404, failure('No Record found', "Record doesn't exist or ACL restricts the record retrieval"));
      const { work_notes: note, ...fields } = body;
      Object.assign(record.fields, fields);
      if (note) record.workNotes.push(note);
      return send(200, JSON.stringify({ result: { sys_id: record.sys_id, number: record.number, ...record.fields } }));
    }
    return send(405, failure('Method not Supported', `${req.method} ${url.pathname}`));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    requests,
    failNext: (...statuses) => forced.push(...statuses),
    loseNextCreateResponse: () => {
      loseNextCreate = true;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
