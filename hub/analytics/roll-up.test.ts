import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { EVENT_TYPES, SEVERITIES, newId } from '../../contracts/index.js';
import { Rng } from '../../plugin/scenes/rng.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import {
  COARSE_TABLES, FIGURE_LEVELS, HISTOGRAM_SIZE, REGION_DAYS, STORE_DAYS, STORE_WEEKS, chooseLevel, slices, durationBucket, incidentHeatmap, incidentSeries, outcomes, rebuildAnalytics, responseTimes,
  rollUpAllAnalytics, rollUpAnalytics, type ScopeFilter, type Source,
} from './index.js';

interface Site { tenantId: string; storeId: string; regionId: string; cameraId: string; laneIds: Array<string | null>; timezone: string }
interface Live { tenantId: string; id: string; state: string; openedAt: number }

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const OUTCOMES = ['recovered', 'partially_recovered', 'not_recovered', 'no_loss', 'apprehended', 'other'] as const;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata'] as const;
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

  /** A store moves to another time zone: the hours of all its incidents land in other local hours. */
  async moveZone(): Promise<void> {
    const site = pick(this.rng, this.sites);
    site.timezone = pick(this.rng, ZONES.filter((z) => z !== site.timezone));
    await this.knex('stores').where({ tenant_id: site.tenantId, id: site.storeId }).update({ timezone: site.timezone });
  }

  /** A POS transaction with exceptions on the incident's lane, linked to it (and sometimes to a second incident), in an hour near its opening. */
  async posException(incident: Live): Promise<void> {
    const row = await this.knex('incidents').where({ tenant_id: incident.tenantId, id: incident.id }).first() as Row;
    const id = `ptx_${this.rng.int(0, 2 ** 30).toString(36)}${(this.posCount += 1).toString(36)}`;
    const occurredAt = new Date(incident.openedAt + this.rng.int(-2 * 3600, 2 * 3600) * 1000);
    await this.knex('pos_transactions').insert({
      tenant_id: incident.tenantId, id, occurred_at: new Date(Math.floor(occurredAt.getTime() / DAY) * DAY), pos_store_id: 'P1', workstation_id: 'W1', sequence_number: id, store_id: row.store_id, region_id: row.region_id,
      lane_id: row.lane_id ?? null, is_matched: true, begin_at: occurredAt, operator_id: pick(this.rng, ['op1', 'op2', null]), kind: 'sale',
      exceptions: pick(this.rng, [['void'], ['void', 'no_sale'], ['price_override']]), raw: JSON.stringify({}),
    });
    const linked = [incident, ...(this.rng.chance(0.3) ? [pick(this.rng, this.live.filter((l) => l.tenantId === incident.tenantId))] : [])];
    for (const other of new Set(linked)) {
      await this.knex('pos_incident_links').insert({ tenant_id: incident.tenantId, pos_transaction_id: id, incident_id: other.id, lane_id: row.lane_id ?? 'lan_none', reason: 'same_lane_window' });
    }
    if (this.rng.chance(0.15)) await this.knex('pos_incident_links').where({ tenant_id: incident.tenantId, pos_transaction_id: id, incident_id: incident.id }).delete();
  }

  private posCount = 0;

  async step(): Promise<void> {
    const roll = this.rng.next();
    const incident = this.live.length > 0 ? pick(this.rng, this.live) : undefined;
    if (!incident || roll < 0.3) return this.create();
    if (roll < 0.42) return this.lateEvent(incident);
    if (roll < 0.45) return this.moveZone();
    if (roll < 0.5) return this.posException(incident);
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

const DAY = 24 * HOUR;
const SUMMED = ['incidents', 'events', 'acknowledged', 'resolved', 'recovered_value'] as const;

/** The expected rows of a coarser level: the raw aggregate's hourly rows grouped by the level's key, summed. */
function coarser(hours: Map<string, Row>, key: (r: Row) => Row, metrics: readonly string[] = [...SUMMED, 'ack_histogram', 'resolve_histogram']): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const r of hours.values()) {
    const k = key(r);
    const id = Object.values(k).map((v) => (v instanceof Date ? v.toISOString() : String(v))).join('|');
    const agg = out.get(id) ?? { ...k, ...Object.fromEntries(metrics.map((m) => [m, m.endsWith('histogram') ? new Array<number>(HISTOGRAM_SIZE).fill(0) : 0])) };
    for (const m of metrics) {
      if (m.endsWith('histogram')) (r[m] as number[]).forEach((c, i) => { (agg[m] as number[])[i]! += c; });
      else agg[m] = Math.round(((agg[m] as number) + (r[m] as number)) * 100) / 100;
    }
    out.set(id, agg);
  }
  return out;
}

/** The Monday 00:00 UTC of the hour's ISO week (1970-01-01 was a Thursday). */
const weekOf = (r: Row) => new Date(Math.floor(((r.hour as Date).getTime() - 4 * DAY) / (7 * DAY)) * 7 * DAY + 4 * DAY);
const dayOf = (r: Row) => new Date(Math.floor((r.hour as Date).getTime() / DAY) * DAY);

/** Every coarser level as the raw tables say it should be (the zone level with each store's current time zone). */
function expectedLevels(hours: Map<string, Row>, sites: Site[], pos: Row[]): Record<string, Row[]> {
  const zone = (r: Row) => sites.find((s) => s.tenantId === r.tenant_id && s.storeId === r.store_id)?.timezone;
  return {
    analytics_pos_exception_hours: canonicalOrder(pos),
    analytics_store_weeks: canonicalOrder(coarser(hours, (r) => ({ tenant_id: r.tenant_id, environment: r.environment, week: weekOf(r), store_id: r.store_id, region_id: r.region_id, shadow: r.shadow })).values()),
    analytics_store_days: canonicalOrder(coarser(hours, (r) => ({ tenant_id: r.tenant_id, environment: r.environment, day: dayOf(r), store_id: r.store_id, region_id: r.region_id, shadow: r.shadow })).values()),
    analytics_region_days: canonicalOrder(coarser(hours, (r) => ({ tenant_id: r.tenant_id, environment: r.environment, day: dayOf(r), region_id: r.region_id, type: r.type, severity: r.severity, shadow: r.shadow, outcome: r.outcome })).values()),
    analytics_zone_hours: canonicalOrder(coarser(hours, (r) => ({ tenant_id: r.tenant_id, environment: r.environment, hour: r.hour, timezone: zone(r), type: r.type, shadow: r.shadow }), ['incidents']).values()),
  };
}

/** Linked POS transactions with exceptions, per hour, store, region, lane, operator and shadow flag, from the raw tables. */
async function expectedPosExceptions(knex: Knex, tenantIds: string[]): Promise<Row[]> {
  const transactions = await knex('pos_transactions').whereIn('tenant_id', tenantIds) as Row[];
  const links = await knex('pos_incident_links').whereIn('tenant_id', tenantIds) as Row[];
  const incidents = new Map((await knex('incidents').whereIn('tenant_id', tenantIds) as Row[]).map((i) => [`${i.tenant_id}/${i.id}`, i]));
  const out = new Map<string, Row>();
  for (const t of transactions) {
    const mine = links.filter((l) => l.tenant_id === t.tenant_id && l.pos_transaction_id === t.id);
    if (mine.length === 0 || (t.exceptions as string[]).length === 0) continue;
    const linked = mine.map((l) => incidents.get(`${l.tenant_id}/${l.incident_id}`)!);
    const key: Row = {
      tenant_id: t.tenant_id, environment: t.environment, hour: new Date(Math.floor(((t.begin_at ?? t.occurred_at) as Date).getTime() / HOUR) * HOUR), store_id: t.store_id,
      region_id: t.region_id, lane_id: t.lane_id ?? [...mine.map((l) => l.lane_id as string)].sort()[0], operator_id: t.operator_id, shadow: linked.every((i) => i.shadow === true),
    };
    const id = JSON.stringify(Object.values(key));
    const agg = out.get(id) ?? { ...key, transactions: 0, exceptions: 0 };
    agg.transactions = (agg.transactions as number) + 1;
    agg.exceptions = (agg.exceptions as number) + (t.exceptions as string[]).length;
    out.set(id, agg);
  }
  return [...out.values()];
}

async function levelRows(knex: Knex, tenantIds: string[]): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of COARSE_TABLES) {
    const rows = await knex(table).whereIn('tenant_id', tenantIds) as Row[];
    const normal = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'day' || k === 'hour' || k === 'week' ? new Date(v as Date) : ['events', 'recovered_value'].includes(k) ? Number(v) : v])));
    out[table] = canonicalOrder(normal);
  }
  return out;
}

/** Rows in one order whatever their source: by their columns, name by name. */
const canonicalOrder = (rows: Iterable<Row>): Row[] => {
  const text = (r: Row) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]));
  return [...rows].sort((a, b) => text(a).localeCompare(text(b)));
};

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
        const store = await admin.post<{ id: string; regionId: string }>('/v1/stores', { regionId: region.id, name: `Store ${n}`, code: `S${n}`, timezone: ZONES[n] });
        const lane = await admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1' });
        const camera = await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Camera 1' });
        sites.push({ tenantId, storeId: store.id, regionId: store.regionId, cameraId: camera.id, laneIds: [lane.id, null], timezone: ZONES[n]! });
      }
    }
  });
  after(() => hub.stop());

  for (const seed of [1, 2, 3, 4, 5]) {
    test(`seed ${seed}: after any stream of new, late, reopened and resolved incidents, the rollup equals the aggregate of the raw tables, and a rebuild changes nothing`, async () => {
      const knex = hub.db.knex;
      await knex('pos_incident_links').whereIn('tenant_id', tenants).delete();
      await knex('pos_transactions').whereIn('tenant_id', tenants).delete();
      await knex('incident_transitions').whereIn('tenant_id', tenants).delete();
      await knex('incidents').whereIn('tenant_id', tenants).delete();
      const stream = new Stream(knex, new Rng(seed), sites);
      for (let n = 0; n < 240; n += 1) await stream.step();
      await rollUpAllAnalytics(knex);
      const expected = sorted(await directAggregate(knex, tenants));
      assert.ok(expected.length > 10, 'the stream made incidents in many hours');
      assert.ok(expected.some((r) => (r.resolved as number) > 0) && expected.some((r) => (r.acknowledged as number) > 0), "the stream acknowledged and resolved incidents");
      assert.deepEqual(sorted(await rollupRows(knex, tenants)), expected);
      const levels = expectedLevels(await directAggregate(knex, tenants), sites, await expectedPosExceptions(knex, tenants));
      assert.ok(levels.analytics_pos_exception_hours!.length > 0, 'the stream linked POS exceptions');
      assert.ok(levels.analytics_zone_hours!.length > 0 && new Set(levels.analytics_zone_hours!.map((r) => r.timezone)).size > 1, 'incidents in several time zones');
      assert.deepEqual(await levelRows(knex, tenants), levels, 'every coarser level equals the raw aggregate');
      assert.equal(Number((await knex('analytics_dirty_hours').count({ n: '*' }).first())?.n), 0, 'the change log is folded');
      await rebuildAnalytics(knex);
      assert.deepEqual(sorted(await rollupRows(knex, tenants)), expected);
      assert.deepEqual(await levelRows(knex, tenants), levels, 'a rebuild gives the same levels');
    });
  }

  test('every figure read from the coarsest level that answers it (ragged edges from the hours) equals the same figure from the hourly level', async () => {
    const knex = hub.db.knex;
    await rollUpAllAnalytics(knex);
    const site = sites[0]!;
    const everything: ScopeFilter = { fields: [], apply: () => undefined };
    const ownStore: ScopeFilter = { fields: ['storeId', 'shadow'], apply: (qb, table) => void qb.where(`${table}.store_id`, site.storeId).where(`${table}.shadow`, false) };
    assert.equal(chooseLevel(FIGURE_LEVELS, []), REGION_DAYS);
    assert.equal(chooseLevel(FIGURE_LEVELS, ['storeId', 'shadow']), STORE_WEEKS);
    assert.equal(chooseLevel(FIGURE_LEVELS, ['storeId', 'shadow'], 'month'), STORE_DAYS, 'a week may straddle two months');
    assert.deepEqual(slices(STORE_WEEKS, new Date(T0 - 53 * HOUR), new Date(T0 + 9 * 24 * HOUR + 5 * HOUR)).map((x) => x.level.table),
      ['analytics_incident_hours', 'analytics_store_days', 'analytics_store_weeks', 'analytics_store_days', 'analytics_incident_hours'], 'the long range reads hours, days, a week, days, hours');
    const ranges = [[T0 + 5 * HOUR, T0 + 70 * HOUR], [T0 - 48 * HOUR, T0 + 96 * HOUR], [T0 + 25 * HOUR, T0 + 30 * HOUR], [T0 + 23 * HOUR, T0 + 49 * HOUR], [T0 - 53 * HOUR, T0 + 9 * 24 * HOUR + 5 * HOUR]] as const;
    await knex.transaction(async (trx) => {
      for (const [from, to] of ranges) {
        for (const [scope, extra] of [[everything, {}], [everything, { type: EVENT_TYPES[0] }], [everything, { regionId: site.regionId }], [ownStore, {}]] as const) {
          const source: Source = { trx, tenantId: site.tenantId, filter: { from: new Date(from), to: new Date(to), ...extra }, scope };
          const finest: Source = { ...source, finest: true };
          const label = `${new Date(from).toISOString()}…${new Date(to).toISOString()} ${JSON.stringify(extra)} ${scope.fields.join(',')}`;
          for (const by of [undefined, 'store', 'region', 'type', 'severity'] as const) {
            for (const interval of [undefined, 'day', 'week', 'month'] as const) assert.deepEqual(await incidentSeries(source, by, interval), await incidentSeries(finest, by, interval), `series ${label} ${by} ${interval}`);
            assert.deepEqual(await responseTimes(source, by), await responseTimes(finest, by), `response times ${label} ${by}`);
            assert.deepEqual(await outcomes(source, by), await outcomes(finest, by), `outcomes ${label} ${by}`);
          }
          assert.deepEqual(await incidentHeatmap(source), await incidentHeatmap(finest), `heatmap ${label}`);
        }
      }
      const all: Source = { trx, tenantId: site.tenantId, filter: { from: new Date(ranges[1][0]), to: new Date(ranges[1][1]) }, scope: everything };
      assert.ok((await incidentSeries(all, undefined, undefined))[0]!.incidents > 10, 'the figures count the stream\'s incidents');
    });
  });

  test('rolling up twice, or with nothing changed, leaves the rollup as it was', async () => {
    const knex = hub.db.knex;
    await rollUpAllAnalytics(knex);
    const before = sorted(await rollupRows(knex, tenants));
    await knex.raw(`INSERT INTO analytics_dirty_hours (tenant_id, environment, hour, store_id) SELECT tenant_id, environment, hour, store_id FROM analytics_incident_hours WHERE tenant_id = ANY(?)`, [tenants]);
    assert.ok((await rollUpAllAnalytics(knex)) > 0);
    assert.deepEqual(sorted(await rollupRows(knex, tenants)), before);
  });
});
