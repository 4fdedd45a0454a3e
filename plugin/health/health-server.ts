import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../contracts/index.js';
import type { PluginHealthReport } from './health-report.js';

export interface HealthServer {
  /** e.g. http://127.0.0.1:8788 */
  readonly url: string;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly report: () => PluginHealthReport;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(`${JSON.stringify(body)}\n`);
}

function handle(request: IncomingMessage, response: ServerResponse, report: () => PluginHealthReport): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, { code: 'method_not_allowed', message: 'read-only: GET /healthz' });
  if (path !== '/healthz') return answer(response, 404, { code: 'not_found', message: 'GET /healthz' });
  const body = report();
  // 200 whenever the process answers (a supervisor's liveness check); `status` says degraded.
  answer(response, 200, body);
}

/**
 * The plugin's local, read-only health endpoint: GET /healthz answers the live status as JSON. It binds to
 * loopback only (the config allows nothing else) and needs no token: it holds no secret and changes nothing.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((request, response) => handle(request, response, options.report));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => reject(new AppError('config_invalid', `health endpoint cannot listen on ${options.host}:${options.port}: ${cause.code ?? cause.message}`, { cause })));
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
