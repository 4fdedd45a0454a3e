import { randomBytes } from 'node:crypto';
import { newId } from '../../contracts/index.js';
import { percentile } from '../support/report.js';
import { poisson, perSecond, type StoreRates } from './model.js';
import { CAMERAS_PER_STORE, LANES_PER_STORE, cameraId, storeCode, storeId } from './seed.js';

export type Kind = 'events' | 'pos' | 'evidence' | 'review';
export const KINDS: Kind[] = ['events', 'pos', 'evidence', 'review'];
const TYPES = ['zone_dwell', 'concealment', 'scan_avoidance'] as const;

export interface Tokens {
  /** Plugin tokens, one per group of `storesPerToken` stores. */
  plugin: string[];
  storesPerToken: number;
  integrator: string;
  reviewer: string;
}

export interface StepTraffic {
  latencies: Record<Kind, number[]>;
  errors: Record<Kind, number>;
  firstError: Partial<Record<Kind, string>>;
  sent: Record<Kind, number>;
  events: number;
  posTransactions: number;
  shed: number;
}

const perKind = <T>(make: () => T): Record<Kind, T> => ({ events: make(), pos: make(), evidence: make(), review: make() });

/** One step of offered load: every store's plugin flushes its outbox every `flushMs`, the POS integration posts every second. */
export class ChainTraffic {
  private inflight = 0;
  private readonly pending = new Set<Promise<void>>();
  private readonly seenIncidents = new Set<string>();
  private sequence = 0;
  readonly stats: StepTraffic = { latencies: perKind(() => []), errors: perKind(() => 0), firstError: {}, sent: perKind(() => 0), events: 0, posTransactions: 0, shed: 0 };

  constructor(private readonly hubUrl: string, private readonly tokens: Tokens, private readonly rates: StoreRates, private readonly options: { stores: number; hour: number; flushMs: number; maxInflight: number }) {}

  /** Runs the step for `ms`, then waits (at most `drainMs`) for the answers still in flight. */
  async run(ms: number, drainMs: number): Promise<void> {
    const tickMs = 50;
    const started = performance.now();
    let posDue = started;
    for (let tick = 0; performance.now() - started < ms; tick += 1) {
      const wait = started + tick * tickMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.flushStores(tick, tickMs);
      if (performance.now() >= posDue) {
        this.postPos();
        posDue += 1000;
      }
    }
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, drainMs))]);
  }

  /** The stores whose flush falls in this tick (each store at its own phase of the flush interval). */
  private flushStores(tick: number, tickMs: number): void {
    const { stores, flushMs } = this.options;
    const slots = flushMs / tickMs;
    const slot = tick % slots;
    const from = Math.floor((slot / slots) * stores);
    const to = Math.floor(((slot + 1) / slots) * stores);
    const mean = perSecond(this.rates.eventsPerDay, this.options.hour) * (flushMs / 1000);
    for (let s = from; s < to; s += 1) {
      const n = poisson(mean);
      if (n > 0) this.postEvents(s, n);
    }
  }

  private pluginToken(store: number): string {
    return this.tokens.plugin[Math.floor(store / this.tokens.storesPerToken)] ?? '';
  }

  private postEvents(store: number, n: number): void {
    const now = Date.now();
    const events = Array.from({ length: n }, (_, i) => ({
      id: newId('event', now), cameraId: cameraId(store, Math.floor(Math.random() * CAMERAS_PER_STORE)), storeId: storeId(store),
      type: TYPES[Math.floor(Math.random() * TYPES.length)], severity: 'medium', occurredAt: new Date(now - i * 200).toISOString(), confidence: 0.8,
      rule: { name: 'chain_model', version: '1' }, detections: [{ label: 'person', score: 0.8, box: [0.1, 0.2, 0.3, 0.7], trackId: i }],
    }));
    this.stats.events += n;
    this.send('events', '/v1/events', this.pluginToken(store), 'application/json', JSON.stringify({ events }), (body) => this.followUp(store, events, body));
  }

  /** New incidents get their clip's metadata registered by the plugin and, for some, a reviewer's acknowledgement. */
  private followUp(store: number, events: Array<{ cameraId: string; occurredAt: string }>, body: unknown): void {
    const results = (body as { results?: Array<{ incidentId?: string }> }).results ?? [];
    results.forEach((result, i) => {
      const incidentId = result.incidentId;
      if (!incidentId || this.seenIncidents.has(incidentId)) return;
      this.seenIncidents.add(incidentId);
      const event = events[i];
      if (event && Math.random() < this.rates.evidenceShare) {
        const to = Date.parse(event.occurredAt) + 10_000;
        this.send('evidence', '/v1/evidence/uploads', this.pluginToken(store), 'application/json', JSON.stringify({
          kind: 'clip', bytes: 2_400_000, sha256: randomBytes(32).toString('hex'), cameraId: event.cameraId, incidentId,
          capturedFrom: new Date(to - 20_000).toISOString(), capturedTo: new Date(to).toISOString(),
        }));
      }
      if (Math.random() < this.rates.reviewShare) {
        this.send('review', `/v1/incidents/${incidentId}/transitions`, this.tokens.reviewer, 'application/json', JSON.stringify({ to: 'acknowledged' }));
      }
    });
  }

  /** One POSLog document with the second's transactions of every store (the central POS export). */
  private postPos(): void {
    const n = Math.min(2000, poisson(perSecond(this.rates.posPerDay, this.options.hour) * this.options.stores));
    if (n === 0) return;
    const now = new Date();
    const local = (d: Date) => d.toISOString().slice(0, 19);
    const transactions = Array.from({ length: n }, () => {
      const store = Math.floor(Math.random() * this.options.stores);
      this.sequence += 1;
      const begin = new Date(now.getTime() - 45_000);
      return `<Transaction><RetailStoreID>${storeCode(store)}</RetailStoreID><WorkstationID>${Math.floor(Math.random() * LANES_PER_STORE)}</WorkstationID>`
        + `<SequenceNumber>${this.sequence}</SequenceNumber><BusinessDayDate>${local(now).slice(0, 10)}</BusinessDayDate><BeginDateTime>${local(begin)}</BeginDateTime>`
        + `<EndDateTime>${local(now)}</EndDateTime><OperatorID>op${store % 50}</OperatorID><RetailTransaction><LineItem><Sale><ItemID>1</ItemID>`
        + '<RegularSalesUnitPrice>2.00</RegularSalesUnitPrice><ActualSalesUnitPrice>2.00</ActualSalesUnitPrice><ExtendedAmount>2.00</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem>'
        + '<Total TotalType="TransactionGrandAmount">2.00</Total></RetailTransaction></Transaction>';
    });
    this.stats.posTransactions += n;
    this.send('pos', '/v1/pos/transactions', this.tokens.integrator, 'application/xml', `<POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/">${transactions.join('')}</POSLog>`);
  }

  private send(kind: Kind, path: string, token: string, contentType: string, body: string, then?: (json: unknown) => void): void {
    if (this.inflight >= this.options.maxInflight) {
      this.stats.shed += 1;
      return;
    }
    this.inflight += 1;
    this.stats.sent[kind] += 1;
    const started = performance.now();
    const request = (async () => {
      try {
        const response = await fetch(`${this.hubUrl}${path}`, { method: 'POST', body, headers: { 'content-type': contentType, authorization: `Bearer ${token}` } });
        const text = await response.text();
        this.stats.latencies[kind].push(performance.now() - started);
        if (response.status >= 300) {
          this.stats.errors[kind] += 1;
          this.stats.firstError[kind] ??= `${response.status} ${text.slice(0, 200)}`;
        } else if (then) then(JSON.parse(text));
      } catch (error) {
        this.stats.errors[kind] += 1;
        this.stats.firstError[kind] ??= String(error);
      } finally {
        this.inflight -= 1;
      }
    })();
    this.pending.add(request);
    void request.finally(() => this.pending.delete(request));
  }
}

export const p = (values: number[], q: number): number => percentile([...values].sort((a, b) => a - b), q);
