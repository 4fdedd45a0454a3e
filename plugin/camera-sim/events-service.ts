// The simulated camera's ONVIF Events service (ver10/events/wsdl): PullPoint subscriptions only (what Profile S
// clients and the plugin use). Each video source has a motion state (tns1:VideoSource/MotionAlarm) and a tamper
// state (tns1:VideoSource/GlobalSceneChange/ImagingService); a new subscription first gets every state as
// PropertyOperation="Initialized", then a "Changed" message for every change, as ONVIF Core 9.1 describes properties.
import { escapeXml as x } from './soap-envelope.js';

export const MOTION_TOPIC = 'tns1:VideoSource/MotionAlarm';
export const TAMPER_TOPIC = 'tns1:VideoSource/GlobalSceneChange/ImagingService';
const MAX_PULL_WAIT_MS = 30_000;
const MAX_QUEUE = 256;

interface Message {
  readonly topic: string;
  readonly at: number;
  readonly operation: 'Initialized' | 'Changed';
  readonly source: string;
  readonly state: boolean;
}

interface Subscription {
  readonly queue: Message[];
  terminationAt: number;
  wake: (() => void) | null;
}

export class SimEvents {
  private readonly motion = new Map<string, boolean>();
  private readonly tamper = new Map<string, boolean>();
  private readonly subscriptions = new Map<string, Subscription>();
  private next = 1;

  /** `sources`: video source tokens with their initial motion state (the scene's: moving scenes start true). */
  constructor(sources: ReadonlyArray<{ token: string; motion: boolean }>) {
    for (const s of sources) {
      this.motion.set(s.token, s.motion);
      this.tamper.set(s.token, false);
    }
  }

  /** Live subscriptions (expired ones are dropped). */
  get subscriptionCount(): number {
    this.expire(Date.now());
    return this.subscriptions.size;
  }

  setMotion(source: string, active: boolean): void {
    this.change(this.motion, MOTION_TOPIC, source, active);
  }

  setTamper(source: string, active: boolean): void {
    this.change(this.tamper, TAMPER_TOPIC, source, active);
  }

  /** Returns the new subscription's id. */
  create(now: number, terminationAt: number): string {
    this.expire(now);
    const id = String(this.next++);
    const initial = (topic: string, states: ReadonlyMap<string, boolean>): Message[] =>
      [...states].map(([source, state]) => ({ topic, at: now, operation: 'Initialized', source, state }));
    this.subscriptions.set(id, { queue: [...initial(MOTION_TOPIC, this.motion), ...initial(TAMPER_TOPIC, this.tamper)], terminationAt, wake: null });
    return id;
  }

  has(id: string, now: number): boolean {
    this.expire(now);
    return this.subscriptions.has(id);
  }

  terminationOf(id: string): number | null {
    return this.subscriptions.get(id)?.terminationAt ?? null;
  }

  renew(id: string, terminationAt: number): boolean {
    const s = this.subscriptions.get(id);
    if (s === undefined) return false;
    s.terminationAt = terminationAt;
    return true;
  }

  unsubscribe(id: string): boolean {
    const s = this.subscriptions.get(id);
    s?.wake?.();
    return this.subscriptions.delete(id);
  }

  /** Up to `limit` messages; waits up to `timeoutMs` for the first one when none is queued (long polling). */
  async pull(id: string, timeoutMs: number, limit: number): Promise<Message[] | null> {
    const s = this.subscriptions.get(id);
    if (s === undefined) return null;
    if (s.queue.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => done(), Math.min(timeoutMs, MAX_PULL_WAIT_MS));
        const done = (): void => {
          clearTimeout(timer);
          s.wake = null;
          resolve();
        };
        s.wake?.();
        s.wake = done;
      });
    }
    return s.queue.splice(0, Math.max(1, limit));
  }

  /** Ends every pending pull (the server is stopping). */
  close(): void {
    for (const s of this.subscriptions.values()) s.wake?.();
    this.subscriptions.clear();
  }

  private change(states: Map<string, boolean>, topic: string, source: string, active: boolean): void {
    if (!states.has(source)) throw new Error(`no video source ${source}`);
    if (states.get(source) === active) return;
    states.set(source, active);
    const now = Date.now();
    this.expire(now);
    for (const s of this.subscriptions.values()) {
      s.queue.push({ topic, at: now, operation: 'Changed', source, state: active });
      if (s.queue.length > MAX_QUEUE) s.queue.shift();
      s.wake?.();
    }
  }

  private expire(now: number): void {
    for (const [id, s] of this.subscriptions) {
      if (s.terminationAt <= now) {
        s.wake?.();
        this.subscriptions.delete(id);
      }
    }
  }
}

/** xs:duration (PnDTnHnMnS, the forms cameras and clients use) or an absolute xs:dateTime, as a point in time. */
export function terminationTime(value: unknown, now: number, fallbackMs: number): number {
  if (typeof value !== 'string' || value.trim() === '') return now + fallbackMs;
  const ms = durationMs(value);
  if (ms !== null) return now + ms;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : now + fallbackMs;
}

export function durationMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value.trim());
  if (m === null || value.trim() === 'P' || value.trim() === 'PT') return null;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Math.round(Number(s) * 1000);
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createPullPointResponse(address: string, now: number, terminationAt: number): string {
  return (
    `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${x(address)}</wsa:Address></tev:SubscriptionReference>` +
    `<wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(terminationAt)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`
  );
}

export function pullMessagesResponse(messages: readonly Message[], now: number, terminationAt: number): string {
  const one = (m: Message): string => {
    return (
      `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${m.topic}</wsnt:Topic>` +
      `<wsnt:Message><tt:Message UtcTime="${iso(m.at)}" PropertyOperation="${m.operation}">` +
      `<tt:Source><tt:SimpleItem Name="Source" Value="${x(m.source)}"/></tt:Source>` +
      `<tt:Data><tt:SimpleItem Name="State" Value="${m.state}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
    );
  };
  return (
    `<tev:PullMessagesResponse><tev:CurrentTime>${iso(now)}</tev:CurrentTime><tev:TerminationTime>${iso(terminationAt)}</tev:TerminationTime>` +
    `${messages.map(one).join('')}</tev:PullMessagesResponse>`
  );
}

export function renewResponse(now: number, terminationAt: number): string {
  return `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(terminationAt)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime></wsnt:RenewResponse>`;
}

export const unsubscribeResponse = (): string => '<wsnt:UnsubscribeResponse/>';

export function eventPropertiesResponse(): string {
  return (
    '<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>' +
    '<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet><wstop:TopicSet><tns1:VideoSource><MotionAlarm wstop:topic="true"/>' +
    '<GlobalSceneChange><ImagingService wstop:topic="true"/></GlobalSceneChange></tns1:VideoSource></wstop:TopicSet>' +
    '<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>' +
    '<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>' +
    '<tev:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation></tev:GetEventPropertiesResponse>'
  );
}
