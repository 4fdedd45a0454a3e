import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { EVENT_TYPES, SEVERITIES, newId } from '../../contracts/index.js';
import { Rng } from '../../plugin/scenes/rng.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { HISTOGRAM_SIZE, durationBucket, rebuildAnalytics, rollUpAllAnalytics, rollUpAnalytics } from './index.js';

interface Site { tenantId: string; storeId: string; regionId: string; cameraId: string; laneIds: Array<string | null> }
interface Live { tenantId: string; id: string; state: string; openedAt: number }

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const OUTCOMES = ['recovered', 'partially_recovered', 'not_recovered', 'no_loss', 'apprehended', 'other'] as const;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[rng.int(0, list.length - 1)] as T;

/** Seconds after opening: spread over every histogram bucket (a minute … past a week). */
const delaySeconds = (rng: Rng): number => pick(rng, [5, 60, 61, 240, 900, 1700, 3600, 5000, 14_400, 20_000, 86_400, 200_000, 604_800, 700_000]) + rng.int(0, 3);

/** The random stream: new incidents at any time (late ones far in the past), late events that move an opening, workflow moves, reopenings, and roll-ups in between. */
class Stream {
  readonly live: Live[] = [];
  constructor(private readonly knex: Knex, private readonly rng: Rng, private readonly sites: Site[]) {}

  private transition(incident: Live, action: string, to: string, at: number, outcome: unknown = null) {
    return this.knex('incident_transitions').insert({
      tenant_id: incident.tenantId, id: newId('transition'), incident_id: incident.id, action, from_state: incident.state, to_state: to, actor_id: 'usr_test', reason: null,
      outcome: outcome === null ? null : JSON.stringify(outcome), at: new Date(at),
    });
  }

  private async move(incident: Live, action: string, to: string, patch: Record<string, unknown> = {}, outcome: unknown = null): Promise<void> {
    await this.transition(incident, action, to, incident.openedAt + delaySeconds(this.rng) * 1000, outcome);
    await this.knex('incidents').where({ tenant_id: incident.tenantId, id: incident.id }).update({ state: to, ...patch, updated_at: new Date() });
    incident.state = to;
  }

  async create(): Promise<void> {
    const site = pick(this.rng, this.sites);
    const openedAt = T0 + this.rng.int(0, 72) * HOUR + this.rng.int(0, 3599) * 1000;
    const id = `inc_${this.rng.int(0, 2 ** 30).toString(36)}${this.live.length.toString(36).padStart(6, '0')}x`;
    await this.knex('incidents').insert({
      tenant_id: site.tenantId, id, store_id: site.storeId, region_id: site.regionId, lane_id: pick(this.rng, site.laneIds), camera_id: site.cameraId,
      type: pick(this.rng, EVENT_TYPES.slice(0, 4)), severity: pick(this.rng, SEVERITIES), state: 'new', confidence: 0.9, event_count: 1,
      opened_at: new Date(openedAt), last_event_at: new Date(openedAt), shadow: this.rng.chance(0.1),
    });
    this.live.push({ tenantId: site.tenantId, id, state: 'new', openedAt });
  }

  /** A late event: counted on the incident, and one in three came before its opening, which moves the opening (maybe to another hour). */
  async lateEvent(incident: Live): Promise<void> {
    const earlier = this.rng.chance(0.33);
    if (earlier) incident.openedAt -= this.rng.int(60, 3 * 3600) * 1000;
    await this.knex('incidents').where({ tenant_id: incident.tenantId, id: incident.id }).update({
      event_count: this.knex.raw('event_count + 1'), ...(earlier ? { opened_at: new Date(incident.openedAt) } : { last_event_at: this.knex.raw("last_event_at + interval '1 minute'") }),
    });
  }

  async step(): Promise<void> {
    const roll = this.rng.next();
    const incident = this.live.length > 0 ? pick(this.rng, this.live) : undefined;
    if (!incident || roll < 0.3) return this.create();
    if (roll < 0.45) return this.lateEvent(incident);
    if (roll < 0.55) {
      await rollUpAnalytics(this.knex, this.rng.int(1, 20));
      return;
    }
    switch (incident.state) {
      case 'new': return this.move(incident, 'acknowledged', 'acknowledged');
      case 'acknowledged': return this.rng.chance(0.3) ? this.move(incident, 'dismissed', 'dismissed', { dismiss_reason: 'no' }) : this.move(incident, 'verified', 'verified');
      case 'verified': return this.move(incident, pick(this.rng, ['intervened', 'escalated']), pick(this.rng, ['intervened', 'escalated']));
      case 'intervened':
      case 'escalated': {
        const outcome = { result: pick(this.rng, OUTCOMES), recoveredValue: this.rng.int(0, 50_000) / 100, notes: 'n' };
        return this.move(incident, 'resolved', 'resolved', { outcome: JSON.stringify(outcome) }, outcome);
      }
      default: return this.move(incident, 'reopened', 'acknowledged', { outcome: null, dismiss_reason: null });
    }
  }
}

type Row = Record<string, unknown>;
const keyOf = (r: Row) => [r.tenant_id, r.environment, new Date(r.hour as Date).toISOString(), r.store_id, r.lane_id ?? '-', r.type, r.severity, r.shadow, r.outcome ?? '-'].join('|');

/** The same figures computed straight from the raw tables, in JavaScript. */
async function directAggregate(knex: Knex, tenantIds: string[]): Promise<Map<string, Row>> {
  const incidents = await knex('incidents').whereIn('tenant_id', tenantIds) as Row[];
  const transitions = await knex('incident_transitions').whereIn('tenant_id', tenantIds) as Row[];
  const byIncident = new Map<string, Row[]>();
  for (const t of transitions) byIncident.set(`${t.tenant_id}/${t.incident_id}`, [...(byIncident.get(`${t.tenant_id}/${t.incident_id}`) ?? []), t]);
  const out = new Map<string, Row>();
  for (const i of incidents) {
    const opened = (i.opened_at as Date).getTime();
    const resolved = i.state === 'resolved';
    const outcome = resolved ? (i.outcome as { result: string; recoveredValue: number }) : null;
    const row: Row = { tenant_id: i.tenant_id, environment: i.environment, hour: new Date(Math.floor(opened / HOUR) * HOUR), store_id: i.store_id, lane_id: i.lane_id, type: i.type, severity: i.severity, shadow: i.shadow, outcome: outcome?.result ?? null };
    const key = keyOf(row);
    const agg = out.get(key) ?? { ...row, region_id: i.region_id, incidents: 0, events: 0, acknowledged: 0, ack_histogram: new Array(HISTOGRAM_SIZE).fill(0), resolved: 0, resolve_histogram: new Array(HISTOGRAM_SIZE).fill(0), recovered_value: 0 };
    out.set(key, agg);
    const history = byIncident.get(`${i.tenant_id}/${i.id}`) ?? [];
    const acks = history.filter((t) => t.from_state === 'new').map((t) => (t.at as Date).getTime());
    const resolutions = history.filter((t) => t.to_state === 'resolved').map((t) => (t.at as Date).getTime());
    agg.incidents = (agg.incidents as number) + 1;
    agg.events = (agg.events as number) + (i.event_count as number);
    if (acks.length > 0) {
      agg.acknowledged = (agg.acknowledged as number) + 1;
      (agg.ack_histogram as number[])[durationBucket((Math.min(...acks) - opened) / 1000)]! += 1;
    }
    if (resolved) {
      agg.resolved = (agg.resolved as number) + 1;
      (agg.resolve_histogram as number[])[durationBucket((Math.max(...resolutions) - opened) / 1000)]! += 1;
      agg.recovered_value = Math.round(((agg.recovered_value as number) + (outcome?.recoveredValue ?? 0)) * 100) / 100;
    }
  }
  return out;
}

async function rollupRows(knex: Knex, tenantIds: string[]): Promise<Map<string, Row>> {
  const rows = await knex('analytics_incident_hours').whereIn('tenant_id', tenantIds) as Row[];
  return new Map(rows.map((r) => [keyOf(r), { ...r, hour: new Date(r.hour as Date), events: Number(r.events), recovered_value: Number(r.recovered_value) }]));
}

const sorted = (m: Map<string, Row>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);

describe('analytics rollups', () => {
  let hub: TestHub;
  const sites: Site[] = [];
  const tenants: string[] = [];

  before(async () => {
    hub = await startTestHub();
    const other = await hub.createTenant();
    for (const [tenantId, admin] of [[hub.tenantId, hub.admin], [other.tenantId, other.admin]] as const) {
      tenants.push(tenantId);
      for (let n = 0; n < 2; n += 1) {
        const region = await admin.post<{ id: string }>('/v1/regions', { name: `Region ${n}` });
        const store = await admin.post<{ id: string; regionId: string }>('/v1/stores', { regionId: region.id, name: `Store ${n}`, code: `S${n}`, timezone: 'Europe/Berlin' });
        const lane = await admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1' });
        const camera = await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Camera 1' });
        sites.push({ tenantId, storeId: store.id, regionId: store.regionId, cameraId: camera.id, laneIds: [lane.id, null] });
      }
    }
  });
  after(() => hub.stop());

  for (const seed of [1, 2, 3, 4, 5]) {
    test(`seed ${seed}: after any stream of new, late, reopened and resolved incidents, the rollup equals the aggregate of the raw tables, and a rebuild changes nothing`, async () => {
      const knex = hub.db.knex;
      await knex('incident_transitions').whereIn('tenant_id', tenants).delete();
      await knex('incidents').whereIn('tenant_id', tenants).delete();
      const stream = new Stream(knex, new Rng(seed), sites);
      for (let n = 0; n < 120; n += 1) await stream.step();
      await rollUpAllAnalytics(knex);
      const expected = sorted(await directAggregate(knex, tenants));
      assert.ok(expected.length > 10, 'the stream made incidents in many hours');
      assert.ok(expected.some((r) => (r.resolved as number) > 0) && expected.some((r) => (r.acknowledged as number) > 0));
      assert.deepEqual(sorted(await rollupRows(knex, tenants)), expected);
      assert.equal(Number((await knex('analytics_dirty_hours').count({ n: '*' }).first())?.n), 0, 'the change log is folded');
      await rebuildAnalytics(knex);
      assert.deepEqual(sorted(await rollupRows(knex, tenants)), expected);
    });
  }

  test('rolling up twice, or with nothing changed, leaves the rollup as it was', async () => {
    const knex = hub.db.knex;
    await rollUpAllAnalytics(knex);
    const before = sorted(await rollupRows(knex, tenants));
    await knex.raw(`INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id) SELECT tenant_id, environment, hour, store_id FROM analytics_incident_hours WHERE tenant_id = ANY(?)`, [tenants]);
    assert.ok((await rollUpAllAnalytics(knex)) > 0);
    assert.deepEqual(sorted(await rollupRows(knex, tenants)), before);
  });
});
