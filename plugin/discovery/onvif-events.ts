// ONVIF Events (ver10/events/wsdl) over PullPoint: CreatePullPointSubscription at the events service, then
// PullMessages (long polling with a Timeout), Renew before the subscription's termination time, Unsubscribe at the
// end, all at the subscription reference's address. node-onvif's events service does none of this, so the SOAP is
// written here, sent over the same HTTP leg (https pins, HTTP Digest) and read with fast-xml-parser after the DTD guard.
// Notification messages are turned into motion and tamper states per video source (topic names: onvif topics
// ver10/topics; the vendor differences in them are in vendor-quirks.ts).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { AppError, isAppError } from '../../contracts/index.js';
import { Backoff } from '../capture/backoff.js';
import { pinCertificate, postSoap, type LegacyUrl } from './soap-transport.js';
import { classifyTopic, eventBoolean, eventSourceToken, type EventKind } from './vendor-quirks.js';
import { assertSafeXml } from './xml-guard.js';

const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wsa: 'http://www.w3.org/2005/08/addressing',
};
const ACTIONS = {
  CreatePullPointSubscription: 'http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest',
  PullMessages: 'http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest',
  Renew: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest',
  Unsubscribe: 'http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest',
} as const;

/** A motion or tamper notification from the device. */
export interface DeviceEvent {
  readonly kind: EventKind;
  /** The topic as the device wrote it, e.g. tns1:VideoSource/MotionAlarm. */
  readonly topic: string;
  /** The video source (or, on some devices, video source configuration) token the message names; null when none. */
  readonly source: string | null;
  readonly active: boolean;
  /** Initialized (the state when subscribing), Changed, or Deleted. */
  readonly operation: string;
  /** The message's UtcTime (device clock), ms. */
  readonly at: number;
}

export interface EventsClientOptions {
  /** The events service XAddr (CameraDescription.eventsXaddr). */
  readonly xaddr: string;
  readonly user?: string;
  readonly password?: string;
  readonly certificateSha256?: string;
  /** Camera clock minus ours (CameraDescription.timeOffsetMs): WS-Security Created times are corrected by it. */
  readonly timeOffsetMs?: number;
  /** PullMessages Timeout: how long the device may hold a pull when nothing happens (default 10 s). */
  readonly pullTimeoutMs?: number;
  /** Termination time asked for at subscription and on each renewal (default 60 s). */
  readonly terminationMs?: number;
}

const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false,
  trimValues: true, processEntities: true, htmlEntities: false,
  isArray: (name) => name === 'NotificationMessage' || name === 'SimpleItem',
});

const textOf = z.unknown().transform((v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && '#text' in v ? String((v as { '#text': unknown })['#text']) : ''));
const simpleItems = z.object({ SimpleItem: z.array(z.object({ '@_Name': z.string(), '@_Value': z.string().default('') })).default([]) }).optional();
const notificationSchema = z.object({
  Topic: textOf,
  Message: z.object({
    Message: z.object({
      '@_UtcTime': z.string().optional(),
      '@_PropertyOperation': z.string().optional(),
      Source: simpleItems,
      Data: simpleItems,
    }),
  }),
});
const subscriptionSchema = z.object({
  SubscriptionReference: z.object({ Address: textOf }),
  TerminationTime: z.string().optional(),
  CurrentTime: z.string().optional(),
});
const pullSchema = z.object({ NotificationMessage: z.array(z.unknown()).default([]) });

/** Reads a PullMessagesResponse body into motion and tamper events; other topics and unreadable messages are left out. */
export function readNotifications(response: unknown): DeviceEvent[] {
  const parsed = pullSchema.safeParse(response);
  if (!parsed.success) return [];
  const events: DeviceEvent[] = [];
  for (const raw of parsed.data.NotificationMessage) {
    const n = notificationSchema.safeParse(raw);
    if (!n.success) continue;
    const kind = classifyTopic(n.data.Topic);
    if (kind === null) continue;
    const message = n.data.Message.Message;
    const active = eventBoolean(message.Data?.SimpleItem ?? []);
    if (active === null) continue;
    const at = Date.parse(message['@_UtcTime'] ?? '');
    events.push({
      kind, topic: n.data.Topic.trim(), source: eventSourceToken(message.Source?.SimpleItem ?? []), active,
      operation: message['@_PropertyOperation'] ?? 'Changed', at: Number.isFinite(at) ? at : Date.now(),
    });
  }
  return events;
}

/** One PullPoint subscription: create, pull, renew, unsubscribe. */
export class PullPointSubscription {
  private constructor(private readonly options: EventsClientOptions, readonly address: string, private terminationAt: number) {}

  /** CreatePullPointSubscription at the events service. */
  static async create(options: EventsClientOptions): Promise<PullPointSubscription> {
    const xaddr = checkUrl(options.xaddr);
    if (options.certificateSha256 !== undefined) pinCertificate(xaddr, options.certificateSha256);
    const terminationMs = options.terminationMs ?? 60_000;
    const body = await soapCall(options, xaddr.href, 'CreatePullPointSubscription',
      `<tev:CreatePullPointSubscription><tev:InitialTerminationTime>${duration(terminationMs)}</tev:InitialTerminationTime></tev:CreatePullPointSubscription>`);
    const parsed = subscriptionSchema.safeParse(body);
    if (!parsed.success || parsed.data.SubscriptionReference.Address.trim() === '') {
      throw new AppError('unprocessable', `${xaddr.href}: CreatePullPointSubscription answered without a subscription address`);
    }
    const address = fixAddress(parsed.data.SubscriptionReference.Address.trim(), xaddr);
    return new PullPointSubscription(options, address, deviceTermination(parsed.data, terminationMs));
  }

  /** When the subscription ends unless renewed (our clock). */
  get terminatesAt(): number {
    return this.terminationAt;
  }

  /** PullMessages: resolves with the motion/tamper events the device had, or after its Timeout with none. */
  async pull(messageLimit = 32): Promise<DeviceEvent[]> {
    const timeoutMs = this.options.pullTimeoutMs ?? 10_000;
    const body = await soapCall(this.options, this.address, 'PullMessages',
      `<tev:PullMessages><tev:Timeout>${duration(timeoutMs)}</tev:Timeout><tev:MessageLimit>${messageLimit}</tev:MessageLimit></tev:PullMessages>`,
      timeoutMs + 5_000);
    return readNotifications(body);
  }

  async renew(): Promise<void> {
    const terminationMs = this.options.terminationMs ?? 60_000;
    const body = await soapCall(this.options, this.address, 'Renew', `<wsnt:Renew><wsnt:TerminationTime>${duration(terminationMs)}</wsnt:TerminationTime></wsnt:Renew>`);
    const parsed = z.object({ TerminationTime: z.string().optional(), CurrentTime: z.string().optional() }).safeParse(body);
    this.terminationAt = parsed.success ? deviceTermination(parsed.data, terminationMs) : Date.now() + terminationMs;
  }

  async unsubscribe(): Promise<void> {
    await soapCall(this.options, this.address, 'Unsubscribe', '<wsnt:Unsubscribe/>');
  }
}

/** Termination in our clock: the device's TerminationTime minus its CurrentTime (clocks differ), or what we asked. */
function deviceTermination(answer: { TerminationTime?: string | undefined; CurrentTime?: string | undefined }, askedMs: number): number {
  const end = Date.parse(answer.TerminationTime ?? '');
  const now = Date.parse(answer.CurrentTime ?? '');
  const left = Number.isFinite(end) && Number.isFinite(now) && end > now ? end - now : askedMs;
  return Date.now() + Math.min(left, askedMs * 10);
}

export interface VideoSourceEventState {
  readonly motion: boolean | null;
  readonly tamper: boolean | null;
  /** Last notification (our clock), ms. */
  readonly updatedAt: number | null;
}

export interface DeviceEventWatchOptions extends EventsClientOptions {
  /** Called for every motion/tamper notification. */
  readonly onEvent?: (event: DeviceEvent) => void;
  /** Called when the subscription fails (it is made again with backoff). */
  readonly onError?: (error: AppError) => void;
  /** Called after each CreatePullPointSubscription and each Renew that succeeded. */
  readonly onSubscribed?: (how: 'created' | 'renewed', terminatesAt: number) => void;
  /** Backoff between failed subscriptions (default 1 s doubling to 30 s). */
  readonly retry?: { readonly initialMs: number; readonly maxMs: number };
}

/**
 * Keeps a PullPoint subscription alive for as long as it runs: pulls in a loop, renews when half of the termination
 * time is left, subscribes again with backoff after a failure (a camera reboot drops its subscriptions), and
 * unsubscribes on stop. Holds the latest motion and tamper state per video source.
 */
export class DeviceEventWatch extends EventEmitter<{ event: [DeviceEvent]; failure: [AppError] }> {
  private readonly states = new Map<string | null, VideoSourceEventState>();
  private readonly backoff: Backoff;
  private running: Promise<void> | null = null;
  private stopped = false;
  private current: PullPointSubscription | null = null;
  private wakeSleep: (() => void) | null = null;
  private lastErrorValue: AppError | null = null;

  constructor(private readonly options: DeviceEventWatchOptions) {
    super();
    this.backoff = new Backoff({ initialMs: options.retry?.initialMs ?? 1_000, maxMs: options.retry?.maxMs ?? 30_000, factor: 2, jitter: 0.2 });
  }

  start(): void {
    this.running ??= this.loop();
  }

  /**
   * The state of a video source: its own notifications, else those naming no source, else, when the device named
   * only one source, that one (analytics rule events name a configuration token rather than the source on some
   * devices; see eventSourceToken in vendor-quirks.ts).
   */
  state(source: string | null): VideoSourceEventState {
    const own = source === null ? undefined : this.states.get(source);
    if (own !== undefined) return own;
    const anonymous = this.states.get(null);
    if (anonymous !== undefined) return anonymous;
    const named = [...this.states.values()];
    return named.length === 1 && named[0] !== undefined ? named[0] : { motion: null, tamper: null, updatedAt: null };
  }

  /** Resolves when the watch has ended: stopped, or given up on a device without PullPoint. */
  ended(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** True when subscribed now. */
  get isSubscribed(): boolean {
    return this.current !== null;
  }

  get lastError(): AppError | null {
    return this.lastErrorValue;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeSleep?.();
    const subscription = this.current;
    this.current = null;
    // A pending pull is answered by the device within its Timeout; Unsubscribe ends it sooner on most devices.
    await subscription?.unsubscribe().catch(() => undefined);
    await this.running;
  }

  private async loop(): Promise<void> {
    // Renewed when half the termination time is left, between pulls: a pull must fit in that half with room to spare.
    const terminationMs = Math.max(this.options.terminationMs ?? 60_000, (this.options.pullTimeoutMs ?? 10_000) * 3);
    const options = { ...this.options, terminationMs };
    while (!this.stopped) {
      let subscription: PullPointSubscription | null = null;
      try {
        subscription = await PullPointSubscription.create(options);
        this.current = subscription;
        this.backoff.reset();
        this.lastErrorValue = null;
        this.options.onSubscribed?.('created', subscription.terminatesAt);
        while (!this.stopped) {
          if (subscription.terminatesAt - Date.now() < terminationMs / 2) {
            await subscription.renew();
            this.options.onSubscribed?.('renewed', subscription.terminatesAt);
          }
          const events = await subscription.pull();
          if (this.stopped) break;
          for (const event of events) this.note(event);
        }
      } catch (error) {
        this.current = null;
        if (this.stopped) break;
        const failure = isAppError(error) ? error : new AppError('unavailable', `ONVIF events: ${String(error)}`, { cause: error });
        this.lastErrorValue = failure;
        this.options.onError?.(failure);
        if (this.listenerCount('failure') > 0) this.emit('failure', failure);
        // An events service without PullPoint (some list the service, but only offer WS-BaseNotification push) will
        // not grow one: asking again would only fill the log. The camera runs on the pixel gate alone.
        if (subscription === null && isNotOffered(failure)) break;
        await this.sleep(this.backoff.next());
        continue;
      }
      // Stopped while subscribing: stop() had no subscription to end yet.
      if (this.current === subscription) {
        this.current = null;
        await subscription.unsubscribe().catch(() => undefined);
      }
    }
    this.current = null;
  }

  private note(event: DeviceEvent): void {
    const previous = this.states.get(event.source) ?? { motion: null, tamper: null, updatedAt: null };
    this.states.set(event.source, { ...previous, [event.kind]: event.active, updatedAt: Date.now() });
    this.options.onEvent?.(event);
    this.emit('event', event);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(), ms);
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleep = null;
        resolve();
      };
      this.wakeSleep = done;
    });
  }
}

const isNotOffered = (error: AppError): boolean => error.code === 'unprocessable' && /does not offer|ActionNotSupported|Not Implemented/i.test(error.message);

function checkUrl(value: string): URL {
  if (!URL.canParse(value)) throw new AppError('validation_failed', `not a URL: ${value}`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('validation_failed', `ONVIF events URL must be http(s): ${value}`);
  return url;
}

/** The subscription address as the device wrote it, on the host we reach the events service at (NAT, 0.0.0.0). */
function fixAddress(address: string, service: URL): string {
  if (!URL.canParse(address)) throw new AppError('unprocessable', `subscription address is not a URL: ${address}`);
  const url = new URL(address);
  if (['0.0.0.0', '127.0.0.1', 'localhost', '[::]', '[::1]'].includes(url.hostname) && url.hostname !== service.hostname) {
    url.hostname = service.hostname;
    url.port = service.port;
  }
  return url.href;
}

function duration(ms: number): string {
  return `PT${Math.max(1, Math.round(ms / 1000))}S`;
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** WS-Security UsernameToken with PasswordDigest (ONVIF Core 5.12), Created in the camera's clock. */
function usernameToken(user: string, password: string, offsetMs: number): string {
  const nonce = randomBytes(16);
  const created = new Date(Date.now() + offsetMs).toISOString();
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(password)])).digest('base64');
  return (
    '<Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>' +
    `<Username>${escapeXml(user)}</Username>` +
    `<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
    `<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</Nonce>` +
    `<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created>` +
    '</UsernameToken></Security>'
  );
}

async function soapCall(options: EventsClientOptions, url: string, method: keyof typeof ACTIONS, body: string, timeoutMs = 10_000): Promise<unknown> {
  const user = options.user ?? '';
  const password = options.password ?? '';
  const xmlns = Object.entries(NS).map(([prefix, ns]) => `xmlns:${prefix}="${ns}"`).join(' ');
  // WS-Addressing Action and To: several devices route PullMessages/Renew by them rather than by the URL path.
  const header = `<wsa:Action>${ACTIONS[method]}</wsa:Action><wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID><wsa:To>${escapeXml(url)}</wsa:To>` +
    (user ? usernameToken(user, password, options.timeOffsetMs ?? 0) : '');
  const envelope = `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${xmlns}><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
  const target = new URL(url);
  const oxaddr: LegacyUrl = {
    protocol: target.protocol, hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || null, pathname: `${target.pathname}${target.search}`,
    auth: user ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}` : null,
  };
  let xml: string;
  try {
    xml = await postSoap(oxaddr, envelope, timeoutMs);
  } catch (error) {
    throw eventsError(error, url, method);
  }
  assertSafeXml(xml, `ONVIF ${method} response`);
  let tree: unknown;
  try {
    tree = parser.parse(xml);
  } catch (error) {
    throw new AppError('malformed_xml', `${url}: ${method} answer is not well-formed XML`, { cause: error });
  }
  const parsed = z.object({ Envelope: z.object({ Body: z.record(z.string(), z.unknown()) }) }).safeParse(tree);
  if (!parsed.success) throw new AppError('malformed_xml', `${url}: ${method} answer is not a SOAP envelope`);
  const response = parsed.data.Envelope.Body[`${method}Response`];
  if (response === undefined) throw new AppError('unprocessable', `${url}: ${method} answered without a ${method}Response`);
  return response === '' ? {} : response;
}

function eventsError(error: unknown, url: string, method: string): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/NotAuthorized|not authori[sz]ed|\b401\b|Unauthorized/i.test(message)) return new AppError('unauthenticated', `${url} refused the ONVIF credentials (${method})`, { cause: error });
  if (/certificate/i.test(message)) return new AppError('forbidden', `${url}: ${message}`, { cause: error });
  if (/Network Error|ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT|socket hang up|timed out/i.test(message)) return new AppError('unavailable', `${url} is unreachable (${method}): ${message}`, { cause: error });
  if (/ActionNotSupported|Not Implemented/i.test(message)) return new AppError('unprocessable', `${url} does not offer ${method}: ${message}`, { cause: error });
  return new AppError('unprocessable', `ONVIF ${method} at ${url} failed: ${message}`, { cause: error });
}

interface SharedWatch {
  readonly watch: DeviceEventWatch;
  refs: number;
}
const shared = new Map<string, SharedWatch>();

/** A camera's hold on its device's shared event subscription. */
export interface DeviceEventLease {
  readonly watch: DeviceEventWatch;
  /** Drops this hold; the last one stops the watch (Unsubscribe). Idempotent. */
  release(): Promise<void>;
}

/**
 * One PullPoint subscription per device, shared by every camera on it: the channels of an NVR would otherwise take
 * one subscription each, and devices allow few (a handful on common NVRs) before refusing new ones. The watch is
 * created on the first lease and started by whoever calls start(); the last release stops it.
 */
export function shareDeviceEvents(options: EventsClientOptions): DeviceEventLease {
  const key = `${options.xaddr}\n${options.user ?? ''}`;
  let entry = shared.get(key);
  if (entry === undefined) {
    entry = { watch: new DeviceEventWatch(options), refs: 0 };
    shared.set(key, entry);
  }
  entry.refs += 1;
  const held = entry;
  let released = false;
  return {
    watch: held.watch,
    release: async () => {
      if (released) return;
      released = true;
      held.refs -= 1;
      if (held.refs > 0) return;
      if (shared.get(key) === held) shared.delete(key);
      await held.watch.stop();
    },
  };
}
