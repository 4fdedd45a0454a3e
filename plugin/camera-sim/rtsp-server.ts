import { createServer, type Server, type Socket } from 'node:net';
import type { H264Feed } from './h264-feed.js';
import { RtspAuthenticator, type Credentials } from './rtsp-auth.js';
import { formatResponse, RtspRequestReader, type RtspRequest } from './rtsp-message.js';
import { RtspSession, type RtpTransport } from './rtsp-session.js';
import { buildSdp } from './sdp.js';

export interface RtspServerOptions {
  readonly host: string;
  readonly port: number;
  /** Path name (e.g. "main", "sub") to the encoder serving it. */
  readonly feeds: ReadonlyMap<string, H264Feed>;
  readonly credentials: Credentials | null;
  readonly onLog?: (line: string) => void;
}

type Reply = { status: number; headers?: Record<string, string | string[] | undefined>; body?: string };

const PUBLIC = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';
const SESSION_TIMEOUT_S = 60;
// Bounds on what one client can make us hold (each UDP session binds two sockets).
const MAX_SESSIONS_PER_CONNECTION = 4;
const MAX_CONNECTIONS = 256;

/**
 * A small RTSP/1.0 server (RFC 2326) for the simulated camera: DESCRIBE with SDP, SETUP over TCP interleaved or
 * UDP unicast, PLAY, PAUSE, TEARDOWN and keepalives. Sessions live as long as their control connection.
 */
export class RtspServer {
  private readonly options: RtspServerOptions;
  private readonly auth: RtspAuthenticator;
  private server: Server | null = null;
  private readonly connections = new Set<Socket>();
  private boundPort: number;

  constructor(options: RtspServerOptions) {
    this.options = options;
    this.auth = new RtspAuthenticator(options.credentials);
    this.boundPort = options.port;
  }

  get port(): number {
    return this.boundPort;
  }

  get isListening(): boolean {
    return this.server !== null;
  }

  /** Listens on the configured port, or on the port of the previous start (so a restart keeps its URL). */
  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.server = server;
  }

  /** Stops listening and drops every connection and session, as a camera's crashing RTSP daemon would. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= MAX_CONNECTIONS) {
      socket.end(formatResponse(503, {}));
      return;
    }
    this.connections.add(socket);
    const reader = new RtspRequestReader();
    const sessions = new Map<string, RtspSession>();
    let queue = Promise.resolve();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const input of reader.push(chunk)) {
        if (input.kind === 'malformed') {
          this.options.onLog?.(`malformed RTSP request from ${socket.remoteAddress}: ${input.reason}`);
          socket.end(formatResponse(400, {}));
          return;
        }
        // Requests are answered in order even when one of them waits (DESCRIBE waits for the encoder).
        queue = queue.then(() => this.answer(input.request, socket, sessions)).catch((error: unknown) => {
          this.options.onLog?.(`RTSP request failed: ${error instanceof Error ? error.message : String(error)}`);
          if (!socket.destroyed) socket.write(formatResponse(500, { CSeq: input.request.headers.get('cseq') }));
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(socket);
      for (const session of sessions.values()) session.close();
      sessions.clear();
    });
  }

  private async answer(request: RtspRequest, socket: Socket, sessions: Map<string, RtspSession>): Promise<void> {
    const cseq = request.headers.get('cseq');
    const reply: Reply = cseq === undefined ? { status: 400 } : await this.dispatch(request, socket, sessions);
    if (!socket.destroyed) socket.write(formatResponse(reply.status, { CSeq: cseq, ...reply.headers }, reply.body));
  }

  private async dispatch(request: RtspRequest, socket: Socket, sessions: Map<string, RtspSession>): Promise<Reply> {
    if (request.method === 'OPTIONS') return { status: 200, headers: { Public: PUBLIC } };
    if (!this.auth.isAllowed(request.method, request.headers.get('authorization'))) {
      return { status: 401, headers: { 'WWW-Authenticate': this.auth.challenges() } };
    }
    const sessionId = request.headers.get('session')?.split(';')[0]?.trim();
    const session = sessionId === undefined ? undefined : sessions.get(sessionId);
    switch (request.method) {
      case 'DESCRIBE':
        return this.describe(request);
      case 'SETUP':
        return this.setup(request, socket, sessions, session);
      case 'PLAY':
      case 'PAUSE':
      case 'TEARDOWN':
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        if (!session) return sessionId === undefined && request.method.endsWith('_PARAMETER') ? { status: 200 } : { status: 454 };
        return this.control(request, session, sessions);
      default:
        return { status: 501, headers: { Public: PUBLIC } };
    }
  }

  private async describe(request: RtspRequest): Promise<Reply> {
    const target = resolveTarget(request.uri, this.options.feeds);
    if (!target) return { status: 404 };
    const sets = await target.feed.parameterSets();
    const base = request.uri.endsWith('/') ? request.uri : `${request.uri}/`;
    return {
      status: 200,
      headers: { 'Content-Base': base, 'Content-Type': 'application/sdp' },
      body: buildSdp(target.profile, target.feed.size, sets, String(Date.now())),
    };
  }

  private async setup(request: RtspRequest, socket: Socket, sessions: Map<string, RtspSession>, existing: RtspSession | undefined): Promise<Reply> {
    const target = resolveTarget(request.uri, this.options.feeds);
    if (!target) return { status: 404 };
    if (existing) return { status: 459 }; // one track per profile: a second SETUP in a session is not meaningful
    if (sessions.size >= MAX_SESSIONS_PER_CONNECTION) return { status: 453 };
    const transport = parseTransport(request.headers.get('transport') ?? '', socket.remoteAddress ?? '');
    if (!transport) return { status: 461 };
    const session = await RtspSession.create(target.profile, target.feed, socket, transport);
    sessions.set(session.id, session);
    return {
      status: 200,
      headers: { Transport: describeTransport(session), Session: `${session.id};timeout=${SESSION_TIMEOUT_S}` },
    };
  }

  private control(request: RtspRequest, session: RtspSession, sessions: Map<string, RtspSession>): Reply {
    const headers = { Session: `${session.id};timeout=${SESSION_TIMEOUT_S}` };
    if (request.method === 'PLAY') {
      session.play();
      const seq = session.packetizer.nextSequence;
      const rtptime = session.playRtpTime;
      const url = request.uri.includes('trackID=') ? request.uri : `${request.uri.replace(/\/?$/, '/')}trackID=0`;
      return { status: 200, headers: { ...headers, Range: 'npt=0.000-', 'RTP-Info': `url=${url};seq=${seq};rtptime=${rtptime}` } };
    }
    if (request.method === 'PAUSE') session.pause();
    if (request.method === 'TEARDOWN') {
      session.close();
      sessions.delete(session.id);
    }
    return { status: 200, headers };
  }
}

/** `rtsp://host:port/main`, `/main/`, `/main/trackID=0` all name the profile "main". */
function resolveTarget(uri: string, feeds: ReadonlyMap<string, H264Feed>): { profile: string; feed: H264Feed } | null {
  let path: string;
  try {
    path = new URL(uri).pathname;
  } catch {
    return null;
  }
  const profile = path.split('/').filter((p) => p.length > 0)[0] ?? '';
  const feed = feeds.get(profile);
  return feed ? { profile, feed } : null;
}

function parseTransport(header: string, remoteAddress: string): RtpTransport | null {
  // Clients list alternatives separated by commas, in order of preference; take the first one we can serve.
  for (const spec of header.split(',')) {
    const parts = spec.trim().split(';').map((p) => p.trim());
    const protocol = (parts[0] ?? '').toUpperCase();
    const param = (name: string): number[] | null => {
      const value = parts.find((p) => p.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1);
      const nums = value?.split('-').map(Number) ?? [];
      return nums.length > 0 && nums.every((n) => Number.isInteger(n) && n >= 0 && n <= 65535) ? nums : null;
    };
    if (protocol === 'RTP/AVP/TCP') {
      const [rtp, rtcp] = param('interleaved') ?? [0, 1];
      if (rtp !== undefined && rtp <= 255) return { kind: 'tcp', rtpChannel: rtp, rtcpChannel: Math.min(255, rtcp ?? rtp + 1) };
    } else if ((protocol === 'RTP/AVP' || protocol === 'RTP/AVP/UDP') && !parts.some((p) => p.toLowerCase() === 'multicast')) {
      const [rtp, rtcp] = param('client_port') ?? [];
      // The destination is always the peer of the control connection: never stream to a third party.
      if (rtp !== undefined && rtp > 0) return { kind: 'udp', clientHost: remoteAddress.replace(/^::ffff:/, ''), clientRtpPort: rtp, clientRtcpPort: rtcp ?? rtp + 1 };
    }
  }
  return null;
}

function describeTransport(session: RtspSession): string {
  const t = session.transport;
  const ssrc = session.packetizer.ssrc.toString(16).padStart(8, '0').toUpperCase();
  if (t.kind === 'tcp') return `RTP/AVP/TCP;unicast;interleaved=${t.rtpChannel}-${t.rtcpChannel};ssrc=${ssrc}`;
  const ports = session.serverPorts;
  return `RTP/AVP;unicast;client_port=${t.clientRtpPort}-${t.clientRtcpPort};server_port=${ports?.rtp}-${ports?.rtcp};ssrc=${ssrc}`;
}
