import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AppError, isAppError } from '../../contracts/index.js';
import { resolveGuarded, type Resolver, type AddressAllowance } from './ssrf-guard.js';

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface OutboundResponse {
  /** null when no response arrived (refused by the guard, DNS, connect, reset, timeout). */
  status: number | null;
  headers: Record<string, string>;
  /** The first bytes of the response body, for the attempt record and for adapters that read a result. */
  body: string;
  latencyMs: number;
  error: string | null;
  /** The SSRF guard refused the destination: no packet was sent. */
  isBlocked: boolean;
}

export interface SenderOptions {
  timeoutMs: number;
  maxResponseBytes: number;
  resolver?: Resolver;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 256 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function flatHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/**
 * Sends one request through the SSRF guard: the host is resolved and checked on every call, and the
 * connection goes to exactly the address that was checked. Redirects are never followed (node's http
 * does not follow them; a 3xx is reported as is). Never throws: every failure is a response with an error.
 */
export async function sendGuarded(request: OutboundRequest, allow: AddressAllowance, options: SenderOptions): Promise<OutboundResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(request.url);
  let target;
  try {
    target = await resolveGuarded(url.hostname, allow, options.resolver);
  } catch (error) {
    const blocked = isAppError(error) && error.code === 'forbidden';
    return { status: null, headers: {}, body: '', latencyMs: elapsed(), error: (error as Error).message, isBlocked: blocked };
  }
  const isHttps = url.protocol === 'https:';
  return new Promise<OutboundResponse>((resolve) => {
    let settled = false;
    const finish = (result: Omit<OutboundResponse, 'latencyMs' | 'isBlocked'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed(), isBlocked: false });
    };
    const req = (isHttps ? https : http).request(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port || (isHttps ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: isHttps ? agents.https : agents.http,
        lookup: pinnedLookup(target.address, target.family),
        ...(isHttps ? { servername: url.hostname } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < options.maxResponseBytes) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => finish({ status: res.statusCode ?? null, headers: flatHeaders(res.headers), body: Buffer.concat(chunks).toString('utf8').slice(0, options.maxResponseBytes), error: null }));
        res.on('error', (error) => finish({ status: res.statusCode ?? null, headers: flatHeaders(res.headers), body: '', error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new AppError('unavailable', `no complete response within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    req.on('error', (error) => finish({ status: null, headers: {}, body: '', error: error.message }));
    req.end(request.body);
  });
}
