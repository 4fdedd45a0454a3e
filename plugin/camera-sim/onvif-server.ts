import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isAppError } from '../../contracts/index.js';
import * as ev from './events-service.js';
import * as r from './onvif-responses.js';
import { RtspAuthenticator, type Credentials } from './rtsp-auth.js';
import { envelope, fault, parseSoapRequest, type SoapRequest } from './soap-envelope.js';
import { isAuthorized, NonceCache } from './ws-security.js';

export interface OnvifServerOptions {
  readonly host: string;
  readonly port: number;
  readonly credentials: Credentials | null;
  /** Built on each request, because URLs depend on ports known only after listening. */
  readonly model: () => r.OnvifDeviceModel;
  /** The simulated camera's clock error, to exercise clients that correct for it. */
  readonly clockSkewMs?: number;
  /** How SOAP requests authenticate: WS-UsernameToken in the header (default) or HTTP Digest only (some cameras). */
  readonly soapAuth?: 'ws-security' | 'digest';
  readonly snapshot: (profileToken: string) => Promise<Buffer>;
  /** The events service's state (motion and tamper per video source) and its PullPoint subscriptions. */
  readonly events: ev.SimEvents;
  readonly onLog?: (line: string) => void;
}

type Reply = { status: number; xml: string };

const MAX_BODY = 256 * 1024;
// Answered without authentication, as real cameras do (ONVIF Core: PRE_AUTH / READ_SYSTEM_SECRET-free calls a
// client makes before it knows the credentials or the clock offset).
const ANONYMOUS_ACTIONS = new Set(['GetSystemDateAndTime', 'GetCapabilities', 'GetServices', 'GetDeviceInformation', 'GetScopes', 'GetWsdlUrl', 'GetServiceCapabilities']);
const notAuthorized = (): Reply => ({ status: 400, xml: fault('Sender', 'NotAuthorized', 'Sender not authorized') });

/** ONVIF device and media services (SOAP 1.2 over HTTP) plus the JPEG snapshot endpoint. */
export class OnvifServer {
  private readonly options: OnvifServerOptions;
  private readonly httpAuth: RtspAuthenticator;
  private readonly nonces = new NonceCache();
  private server: Server | null = null;
  private boundPort: number;

  constructor(options: OnvifServerOptions) {
    this.options = options;
    this.httpAuth = new RtspAuthenticator(options.credentials, 'vigil-camera-sim');
    this.boundPort = options.port;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.options.onLog?.(`ONVIF request failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.options.host, () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.boundPort = address.port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    this.options.events.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://camera').pathname;
    const snapshot = /^\/snapshot\/([A-Za-z0-9_-]+)\.jpg$/.exec(path);
    if (req.method === 'GET' && snapshot) return this.serveSnapshot(req, res, snapshot[1] ?? '');
    if (req.method !== 'POST' || !path.startsWith('/onvif/')) {
      res.writeHead(404).end();
      return;
    }
    const body = await readBody(req);
    const reply = body === null ? { status: 413, xml: fault('Sender', 'InvalidArgs', 'request too large') } : await this.soap(path, body, req.headers.authorization);
    const challenge = reply.status === 401 ? { 'WWW-Authenticate': this.httpAuth.challenges().filter((c) => c.startsWith('Digest')) } : {};
    res.writeHead(reply.status, { 'Content-Type': 'application/soap+xml; charset=utf-8', ...challenge }).end(reply.xml);
  }

  private async soap(path: string, xml: string, authorization: string | undefined): Promise<Reply> {
    let request: SoapRequest;
    try {
      request = parseSoapRequest(xml);
    } catch (error) {
      return { status: 400, xml: fault('Sender', 'WellFormed', isAppError(error) ? error.message : 'bad request') };
    }
    const cameraNow = Date.now() + (this.options.clockSkewMs ?? 0);
    if (request.action === 'GetSystemDateAndTime') return ok(r.systemDateAndTime(cameraNow));
    // An unimplemented service has nothing to protect: answered before authentication.
    if (path === '/onvif/media_service' && this.options.model().media2Only) return notImplemented();
    const credentials = this.options.credentials;
    if (credentials && !ANONYMOUS_ACTIONS.has(request.action) && !this.isAuthenticated(request, authorization, cameraNow)) {
      return this.options.soapAuth === 'digest' ? { status: 401, xml: fault('Sender', 'NotAuthorized', 'HTTP Digest authentication required') } : notAuthorized();
    }
    if (path === '/onvif/media2_service') return this.dispatchMedia2(request);
    if (path === '/onvif/event_service' || path.startsWith('/onvif/pullpoint/')) return this.dispatchEvents(path, request);
    return this.dispatch(request);
  }

  /** Media2 (ver20/media/wsdl) at its own XAddr: GetProfiles (with a Token, one profile), GetStreamUri, GetSnapshotUri. */
  private dispatchMedia2(request: SoapRequest): Reply {
    const model = this.options.model();
    const token = profileToken(request.payload);
    const found = model.profiles.find((p) => p.token === token);
    switch (request.action) {
      case 'GetProfiles': {
        const only = stringField(request.payload, 'Token');
        return ok(r.profiles2(model, only));
      }
      case 'GetStreamUri': {
        const protocol = stringField(request.payload, 'Protocol');
        if (protocol !== 'RtspUnicast' && protocol !== 'RTSP') return { status: 400, xml: fault('Sender', 'InvalidArgVal', `stream protocol ${protocol ?? ''} not offered`) };
        if (!found) return { status: 400, xml: fault('Sender', 'InvalidArgVal', `no profile ${token ?? ''}`) };
        return ok(r.mediaUri2('GetStreamUri', found.streamUri));
      }
      case 'GetSnapshotUri':
        if (!found) return { status: 400, xml: fault('Sender', 'InvalidArgVal', `no profile ${token ?? ''}`) };
        return ok(r.mediaUri2('GetSnapshotUri', found.snapshotUri));
      default:
        return notImplemented();
    }
  }

  /** Events: CreatePullPointSubscription at the service; PullMessages, Renew, Unsubscribe at the subscription's address. */
  private async dispatchEvents(path: string, request: SoapRequest): Promise<Reply> {
    const events = this.options.events;
    const now = Date.now();
    if (path === '/onvif/event_service') {
      if (request.action === 'GetEventProperties') return ok(ev.eventPropertiesResponse());
      if (request.action !== 'CreatePullPointSubscription') return notImplemented();
      const terminationAt = ev.terminationTime(field(request.payload, 'InitialTerminationTime'), now, 60_000);
      const id = events.create(now, terminationAt);
      const base = new URL(this.options.model().eventsUrl);
      return ok(ev.createPullPointResponse(`${base.origin}/onvif/pullpoint/${id}`, now, terminationAt));
    }
    const id = path.slice('/onvif/pullpoint/'.length);
    if (!events.has(id, now)) return { status: 400, xml: fault('Sender', 'InvalidArgVal', `no subscription ${id} (expired or unsubscribed)`) };
    switch (request.action) {
      case 'PullMessages': {
        const timeoutMs = ev.durationMs(field(request.payload, 'Timeout')) ?? 10_000;
        const limit = Number(field(request.payload, 'MessageLimit') ?? 100);
        const messages = await events.pull(id, timeoutMs, Number.isFinite(limit) ? limit : 100);
        if (messages === null) return { status: 400, xml: fault('Sender', 'InvalidArgVal', `no subscription ${id}`) };
        return ok(ev.pullMessagesResponse(messages, Date.now(), events.terminationOf(id) ?? Date.now()));
      }
      case 'Renew': {
        const terminationAt = ev.terminationTime(field(request.payload, 'TerminationTime'), now, 60_000);
        events.renew(id, terminationAt);
        return ok(ev.renewResponse(now, terminationAt));
      }
      case 'Unsubscribe':
        events.unsubscribe(id);
        return ok(ev.unsubscribeResponse());
      default:
        return notImplemented();
    }
  }

  private isAuthenticated(request: SoapRequest, authorization: string | undefined, cameraNow: number): boolean {
    if (this.options.soapAuth === 'digest') return authorization?.startsWith('Digest ') === true && this.httpAuth.isAllowed('POST', authorization);
    return this.options.credentials !== null && isAuthorized(request.header, this.options.credentials, cameraNow, this.nonces);
  }

  private dispatch(request: SoapRequest): Reply {
    const model = this.options.model();
    const token = profileToken(request.payload);
    const found = model.profiles.find((p) => p.token === token);
    switch (request.action) {
      case 'GetDeviceInformation':
        return ok(r.deviceInformation(model));
      case 'GetCapabilities':
        return ok(r.capabilities(model));
      case 'GetServices':
        return ok(r.services(model));
      case 'GetProfiles':
        return ok(r.profiles(model));
      case 'GetScopes':
        return ok(r.scopes(model));
      case 'GetVideoSources':
        return ok(r.videoSources(model));
      case 'GetVideoSourceConfigurations':
        return ok(r.videoSourceConfigurations(model));
      case 'GetVideoEncoderConfigurations':
        return ok(r.videoEncoderConfigurations(model));
      case 'GetVideoEncoderConfigurationOptions':
        return ok(r.videoEncoderConfigurationOptions(model));
      case 'GetNetworkInterfaces':
        return ok(r.networkInterfaces(model));
      case 'GetHostname':
        return ok(r.hostname(model));
      case 'GetUsers':
        return ok(r.users(this.options.credentials?.user ?? null));
      case 'GetVideoEncoderConfiguration':
        return this.encoderConfiguration(model, request.payload);
      case 'GetProfile':
      case 'GetStreamUri':
      case 'GetSnapshotUri':
        if (!found) return { status: 400, xml: fault('Sender', 'InvalidArgVal', `no profile ${token ?? ''}`) };
        if (request.action === 'GetProfile') return ok(r.singleProfile(model, found));
        return ok(r.mediaUri(request.action, request.action === 'GetStreamUri' ? found.streamUri : found.snapshotUri));
      default:
        return { status: 500, xml: fault('Receiver', 'ActionNotSupported', `${request.action} is not supported`) };
    }
  }

  private encoderConfiguration(model: r.OnvifDeviceModel, payload: unknown): Reply {
    const token = stringField(payload, 'ConfigurationToken');
    const found = model.profiles.find((p) => `vec_${p.token}` === token);
    return found ? ok(r.videoEncoderConfiguration1(found)) : { status: 400, xml: fault('Sender', 'InvalidArgVal', `no configuration ${token ?? ''}`) };
  }

  private async serveSnapshot(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    if (!this.httpAuth.isAllowed('GET', req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': this.httpAuth.challenges() }).end();
      return;
    }
    if (!this.options.model().profiles.some((p) => p.token === token)) {
      res.writeHead(404).end();
      return;
    }
    const jpeg = await this.options.snapshot(token);
    res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length, 'Cache-Control': 'no-store' }).end(jpeg);
  }
}

const ok = (body: string): Reply => ({ status: 200, xml: envelope(body) });
// What devices answer for operations they do not implement (a Media2-only camera's whole Media1 service).
const notImplemented = (): Reply => ({ status: 500, xml: fault('Receiver', 'ActionNotSupported', 'Optional Action Not Implemented') });

function field(payload: unknown, name: string): unknown {
  return typeof payload === 'object' && payload !== null && name in payload ? (payload as Record<string, unknown>)[name] : undefined;
}

function stringField(payload: unknown, name: string): string | undefined {
  if (typeof payload !== 'object' || payload === null || !(name in payload)) return undefined;
  const value = (payload as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

const profileToken = (payload: unknown): string | undefined => stringField(payload, 'ProfileToken');

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
