import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { OPEN_STATES } from '../../contracts/index.js';
import { Rng } from '../../plugin/scenes/rng.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { cameraHealth, rawCameraDowntime, rebuildAnalytics, rollUpAllAnalytics, rollUpAnalytics, type ScopeFilter } from './index.js';

interface Camera { tenantId: string; storeId: string; regionId: string; laneId: string | null; cameraId: string }
type Row = Record<string, unknown>;

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const NOW = new Date(T0 + 100 * HOUR);
const pick = <T>(rng: Rng, list: readonly T[]): T => list[rng.int(0, list.length - 1)] as T;
const ms = (value: unknown) => (value === null ? null : new Date(value as Date).getTime());

/** Camera health as the hub records it, at random: offline reports that open or join outages (late ones move the opening), recoveries, tamper alarms, people closing and reopening, and roll-ups between. */
class Stream {
  private count = 0;
  constructor(private readonly knex: Knex, private readonly rng: Rng, private readonly cameras: Camera[]) {}

  /** A distinct time in the three days from T0 (distinct, so the latest report of an hour is one). */
  private at(): Date {
    this.count += 1;
    return new Date(T0 + this.rng.int(0, 72 * 3600 - 1) * 1000 + (this.count % 1000));
  }

  private async report(camera: Camera, at: Date, attributes: Record<string, unknown>, incidentId: string | null): Promise<void> {
    await this.knex('detection_events').insert({
      tenant_id: camera.tenantId, id: `evt_${this.rng.int(0, 2 ** 30).toString(36)}${(this.count += 1).toString(36)}`, occurred_at: at, store_id: camera.storeId, camera_id: camera.cameraId,
      lane_id: camera.laneId, source_id: 'src_test', type: 'camera_health', severity: 'high', confidence: 1, incident_id: incidentId,
      payload: JSON.stringify({ type: 'camera_health', attributes }),
    });
  }

  private open(camera: Camera): Promise<Row[]> {
    return this.knex('incidents').where({ tenant_id: camera.tenantId, camera_id: camera.cameraId, type: 'camera_health' }).whereIn('state', [...OPEN_STATES]).orderBy('opened_at') as Promise<Row[]>;
  }

  /** An offline report: joins the camera's open outage (moving its opening when it came earlier), or opens one; sometimes a second while one is open (past the merge window). */
  async offline(camera: Camera): Promise<void> {
    const at = this.at();
    const [open] = await this.open(camera);
    if (open && this.rng.chance(0.7)) {
      const earlier = at.getTime() < ms(open.opened_at)!;
      await this.knex('incidents').where({ tenant_id: camera.tenantId, id: open.id }).update({ event_count: this.knex.raw('event_count + 1'), ...(earlier ? { opened_at: at } : {}) });
      return this.report(camera, at, { state: 'offline' }, open.id as string);
    }
    const id = `inc_${this.rng.int(0, 2 ** 30).toString(36)}${(this.count += 1).toString(36)}`;
    await this.knex('incidents').insert({
      tenant_id: camera.tenantId, id, store_id: camera.storeId, region_id: camera.regionId, lane_id: camera.laneId, camera_id: camera.cameraId, type: 'camera_health',
      severity: 'high', state: 'new', confidence: 1, event_count: 1, opened_at: at, last_event_at: at, shadow: this.rng.chance(0.1),
    });
    return this.report(camera, at, { state: 'offline' }, id);
  }

  /** A recovery (streaming, or degraded by a tamper alarm) closes the open outages opened before it, as the outage closer does. */
  async recovery(camera: Camera): Promise<void> {
    const at = this.at();
    const tamper = this.rng.chance(0.3);
    const closing = (await this.open(camera)).filter((o) => ms(o.opened_at)! <= at.getTime());
    for (const o of closing) await this.close(o, 'resolved', new Date(at.getTime() + 5000));
    const attributes = tamper ? { state: 'degraded', tamper: this.rng.chance(0.8), tamperTopic: 't' } : { state: pick(this.rng, ['streaming', 'streaming', 'degraded']) };
    await this.report(camera, at, attributes, (closing.at(-1)?.id as string | undefined) ?? null);
  }

  private async close(incident: Row, to: string, at: Date): Promise<void> {
    await this.knex('incident_transitions').insert({
      tenant_id: incident.tenant_id, id: `trn_${(this.count += 1).toString(36)}`, incident_id: incident.id, action: to, from_state: incident.state, to_state: to, actor_id: 'usr_test', at,
    });
    await this.knex('incidents').where({ tenant_id: incident.tenant_id, id: incident.id }).update({ state: to, updated_at: new Date() });
  }

  /** A person dismisses or resolves an outage without a recovery, or reopens a closed one. */
  async person(camera: Camera): Promise<void> {
    const all = await this.knex('incidents').where({ tenant_id: camera.tenantId, camera_id: camera.cameraId, type: 'camera_health' }) as Row[];
    const incident = all.length > 0 ? pick(this.rng, all) : undefined;
    if (!incident) return;
    if ((OPEN_STATES as readonly unknown[]).includes(incident.state)) return this.close(incident, pick(this.rng, ['dismissed', 'resolved']), new Date(ms(incident.opened_at)! + this.rng.int(1, 20 * 3600) * 1000));
    await this.knex('incident_transitions').insert({
      tenant_id: incident.tenant_id, id: `trn_${(this.count += 1).toString(36)}`, incident_id: incident.id, action: 'reopened', from_state: incident.state, to_state: 'acknowledged', actor_id: 'usr_test', at: NOW,
    });
    await this.knex('incidents').where({ tenant_id: incident.tenant_id, id: incident.id }).update({ state: 'acknowledged' });
  }

  async step(): Promise<void> {
    const camera = pick(this.rng, this.cameras);
    const roll = this.rng.next();
    if (roll < 0.35) return this.offline(camera);
    if (roll < 0.65) return this.recovery(camera);
    if (roll < 0.75) return this.person(camera);
    if (roll < 0.78) {
      const lone = await this.knex('detection_events').where({ tenant_id: camera.tenantId, camera_id: camera.cameraId }).whereNull('incident_id').first('id') as Row | undefined;
      if (lone) await this.knex('detection_events').where({ tenant_id: camera.tenantId, id: lone.id }).delete();
      return;
    }
    await rollUpAnalytics(this.knex, this.rng.int(1, 15));
  }
}

const isRecovery = (e: Row) => (e.payload as { attributes?: { state?: string } }).attributes?.state !== 'offline';

/** The outages as the raw tables say (docs/analytics.md), computed in JavaScript. */
async function expectedOutages(knex: Knex, tenants: string[]): Promise<Row[]> {
  const incidents = await knex('incidents').whereIn('tenant_id', tenants).where('type', 'camera_health') as Row[];
  const events = await knex('detection_events').whereIn('tenant_id', tenants).where('type', 'camera_health') as Row[];
  const transitions = await knex('incident_transitions').whereIn('tenant_id', tenants) as Row[];
  return incidents.map((i) => {
    const start = ms(i.opened_at)!;
    const recoveries = events.filter((e) => e.tenant_id === i.tenant_id && e.incident_id === i.id && isRecovery(e)).map((e) => ms(e.occurred_at)!);
    const closings = transitions.filter((t) => t.tenant_id === i.tenant_id && t.incident_id === i.id && ['resolved', 'dismissed'].includes(t.to_state as string)).map((t) => ms(t.at)!);
    const open = (OPEN_STATES as readonly unknown[]).includes(i.state);
    const end = recoveries.length > 0 ? Math.min(...recoveries) : open ? null : closings.length > 0 ? Math.max(...closings) : ms(i.last_event_at)!;
    return {
      tenant_id: i.tenant_id, environment: i.environment, incident_id: i.id, opened_hour: Math.floor(start / HOUR) * HOUR, store_id: i.store_id, region_id: i.region_id, lane_id: i.lane_id,
      camera_id: i.camera_id, shadow: i.shadow, started_at: start, ended_at: end === null ? null : Math.max(end, start),
    };
  });
}

/** The reports per camera hour from the raw events. */
async function expectedReports(knex: Knex, tenants: string[], cameras: Camera[]): Promise<Row[]> {
  const events = await knex('detection_events').whereIn('tenant_id', tenants).where('type', 'camera_health').orderBy('occurred_at') as Row[];
  const out = new Map<string, Row>();
  for (const e of events) {
    const hour = Math.floor(ms(e.occurred_at)! / HOUR) * HOUR;
    const key = [e.tenant_id, hour, e.camera_id, e.lane_id].join('|');
    const state = (e.payload as { attributes: { state?: string; tamper?: boolean } }).attributes;
    const row = out.get(key) ?? {
      tenant_id: e.tenant_id, environment: e.environment, hour, store_id: e.store_id, region_id: cameras.find((c) => c.storeId === e.store_id)?.regionId, lane_id: e.lane_id,
      camera_id: e.camera_id, shadow: false, offline_reports: 0, degraded_reports: 0, tamper_reports: 0,
    };
    row.offline_reports = (row.offline_reports as number) + (isRecovery(e) ? 0 : 1);
    row.degraded_reports = (row.degraded_reports as number) + (state.state === 'degraded' ? 1 : 0);
    row.tamper_reports = (row.tamper_reports as number) + (state.tamper === true ? 1 : 0);
    row.last_state = state.state ?? 'unknown';
    row.last_report_at = ms(e.occurred_at);
    out.set(key, row);
  }
  return [...out.values()];
}

const canonical = (rows: Row[]): Row[] => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v])))
  .sort((a, b) => JSON.stringify(Object.entries(a).sort()).localeCompare(JSON.stringify(Object.entries(b).sort())));

/** Downtime per camera over [from, end): the outages clipped, overlapping ones merged; count, total and longest. */
function expectedDowntime(outages: Row[], from: number, end: number): Map<string, { outages: number; down: number; longest: number }> {
  const out = new Map<string, { outages: number; down: number; longest: number }>();
  const byCamera = new Map<string, Array<[number, number]>>();
  for (const o of outages) {
    const s = Math.max(o.started_at as number, from);
    const e = Math.min((o.ended_at as number | null) ?? end, end);
    if (e > s) byCamera.set(o.camera_id as string, [...(byCamera.get(o.camera_id as string) ?? []), [s, e]]);
  }
  for (const [camera, intervals] of byCamera) {
    intervals.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const merged: Array<[number, number]> = [];
    for (const [s, e] of intervals) {
      const last = merged.at(-1);
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    const lengths = merged.map(([s, e]) => e - s);
    out.set(camera, { outages: merged.length, down: lengths.reduce((a, b) => a + b, 0), longest: Math.max(...lengths) });
  }
  return out;
}

describe('camera health rollups', () => {
  let hub: TestHub;
  const cameras: Camera[] = [];
  const tenants: string[] = [];
  const everything: ScopeFilter = { fields: [], apply: () => undefined };

  before(async () => {
    hub = await startTestHub();
    const other = await hub.createTenant();
    for (const [tenantId, admin] of [[hub.tenantId, hub.admin], [other.tenantId, other.admin]] as const) {
      tenants.push(tenantId);
      const region = await admin.post<{ id: string }>('/v1/regions', { name: 'Region' });
      for (let n = 0; n < 2; n += 1) {
        const store = await admin.post<{ id: string; regionId: string }>('/v1/stores', { regionId: region.id, name: `Store ${n}`, code: `S${n}`, timezone: 'UTC' });
        const lane = await admin.post<{ id: string }>('/v1/lanes', { storeId: store.id, name: 'Lane 1' });
        for (const laneId of [lane.id, null]) {
          const camera = await admin.post<{ id: string }>('/v1/cameras', { storeId: store.id, name: 'Camera', ...(laneId ? { laneId } : {}) });
          cameras.push({ tenantId, storeId: store.id, regionId: store.regionId, laneId, cameraId: camera.id });
        }
      }
    }
  });
  after(() => hub.stop());

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    test(`seed ${seed}: after any stream of outages, late reports, recoveries and people closing them, the rollups equal the raw tables, the figure equals the raw aggregate, and a rebuild changes nothing`, async () => {
      const knex = hub.db.knex;
      await knex('detection_events').whereIn('tenant_id', tenants).delete();
      await knex('incident_transitions').whereIn('tenant_id', tenants).delete();
      await knex('incidents').whereIn('tenant_id', tenants).delete();
      const stream = new Stream(knex, new Rng(seed), cameras);
      for (let n = 0; n < 200; n += 1) await stream.step();
      await rollUpAllAnalytics(knex);
      const outages = await expectedOutages(knex, tenants);
      assert.ok(outages.some((o) => o.ended_at === null) && outages.some((o) => o.ended_at !== null), 'open and closed outages');
      const tables = async () => ({
        outages: canonical(await knex('analytics_camera_outages').whereIn('tenant_id', tenants) as Row[]),
        reports: canonical(await knex('analytics_camera_report_hours').whereIn('tenant_id', tenants) as Row[]),
      });
      const expected = { outages: canonical(outages), reports: canonical(await expectedReports(knex, tenants, cameras)) };
      assert.deepEqual(await tables(), expected);
      await rebuildAnalytics(knex);
      assert.deepEqual(await tables(), expected, 'a rebuild gives the same rows');
      const ranges = [[T0, T0 + 72 * HOUR], [T0 + 5 * HOUR, T0 + 30 * HOUR], [T0 + 50 * HOUR, T0 + 200 * HOUR], [T0 - 10 * HOUR, T0 + 2 * HOUR]] as const;
      await knex.transaction(async (trx) => {
        for (const tenantId of tenants) {
          const mine = outages.filter((o) => o.tenant_id === tenantId);
          for (const [from, to] of ranges) {
            const filter = { from: new Date(from), to: new Date(to) };
            const end = Math.min(to, NOW.getTime());
            const want = expectedDowntime(mine, from, end);
            const rows = await cameraHealth({ trx, tenantId, filter, scope: everything, now: NOW });
            assert.equal(rows.length, cameras.filter((c) => c.tenantId === tenantId).length, 'every camera, down or not');
            for (const r of rows) {
              const w = want.get(r.cameraId) ?? { outages: 0, down: 0, longest: 0 };
              assert.deepEqual([r.outages, r.downtimeSeconds, r.longestOutageSeconds, r.uptime], [w.outages, w.down / 1000, w.longest / 1000, (end - from - w.down) / (end - from)], `${r.cameraId} ${from}…${to}`);
            }
            const raw = await rawCameraDowntime(trx, tenantId, filter, NOW);
            assert.deepEqual(raw.map((r) => [r.camera_id, r.outages, Number(r.down_ms)]).sort(), rows.filter((r) => r.outages > 0).map((r) => [r.cameraId, r.outages, Math.round(r.downtimeSeconds * 1000)]).sort(), 'the raw GROUP BY agrees');
          }
        }
      });
    });
  }
});
