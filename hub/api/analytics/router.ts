import type { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import {
  CAMERA_HEALTH_FIELDS, DURATION_BOUNDS, POS_EXCEPTION_FIELDS, cameraHealth, cameraHealthByStore, noJit, repeatExceptions, incidentHeatmap, incidentSeries, labelsFor, namesIn, outcomes, responseTimes, type AnalyticsFilter, type Dimension,
} from '../../analytics/index.js';
import { toCsv } from '../csv.js';
import { defineRoute, type RouteResponse } from '../route.js';
import type { RequestContext } from '../state.js';
import { acceptHeader, cameraHealthQuery, cameraHealthSchema, heatmapQuery, repeatExceptionsQuery, repeatExceptionsSchema, heatmapSchema, outcomesSchema, responseTimesSchema, seriesQuery, seriesSchema, splitQuery } from './schema.js';
import { analyticsScope, checkFilterIds } from './scope.js';

const tag = 'Analytics';
const HOUR = 3_600_000;
const MAX_RANGE = 400 * 24 * HOUR;

type FilterInput = z.output<typeof heatmapQuery>;

/** The query's filters with its range aligned to the rollup's hours (default: the last 30 days). */
function filterOf(query: FilterInput, ctx: RequestContext): AnalyticsFilter {
  const to = new Date(Math.ceil((query.to ? Date.parse(query.to) : ctx.now().getTime()) / HOUR) * HOUR);
  const from = new Date(Math.floor((query.from ? Date.parse(query.from) : to.getTime() - 30 * 24 * HOUR) / HOUR) * HOUR);
  if (from >= to) throw new AppError('validation_failed', 'query.from: must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE) throw new AppError('validation_failed', 'query.to: the range may span at most 400 days');
  return { from, to, regionId: query.regionId, storeId: query.storeId, laneId: query.laneId, type: query.type, severity: query.severity };
}

/** The fields of Incident a figure reveals (its filters and its split), checked against field-level rules. */
function exposed(query: FilterInput & { by?: Dimension | undefined }, extra: string[] = []): string[] {
  const fields = ['regionId', 'storeId', 'laneId', 'type', 'severity'].filter((f) => query[f as keyof FilterInput] !== undefined);
  const byField = { store: 'storeId', lane: 'laneId', region: 'regionId', type: 'type', severity: 'severity' } as const;
  if (query.by) fields.push(byField[query.by]);
  return [...fields, ...extra];
}

async function prepare(ctx: RequestContext, query: FilterInput & { by?: Dimension | undefined }, extra: string[] = []) {
  const filter = filterOf(query, ctx);
  const scope = analyticsScope(ctx, exposed(query, extra));
  await checkFilterIds(ctx, filter);
  await noJit(ctx.trx);
  return { source: { trx: ctx.trx, tenantId: ctx.principal.tenantId, filter, scope }, range: { from: filter.from.toISOString(), to: filter.to.toISOString() } };
}

const wantsCsv = (query: { format?: 'json' | 'csv' | undefined }, headers: { accept?: string | undefined }) =>
  query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(headers.accept ?? ''));

function respond(csv: boolean, name: string, json: unknown, header: string[], rows: unknown[][]): RouteResponse {
  if (!csv) return { status: 200, body: json };
  return { status: 200, body: toCsv(header, rows), headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="vigil-${name}.csv"` } };
}

async function labelled<T extends { key: string | null }>(ctx: RequestContext, by: Dimension | undefined, rows: T[]): Promise<Array<T & { label: string | null }>> {
  const labels = await labelsFor(ctx.trx, ctx.principal.tenantId, by, rows.map((r) => r.key));
  return rows.map((r) => ({ ...r, label: r.key === null ? null : (labels.get(r.key) ?? r.key) }));
}

/** A rule naming an incident field a rollup does not keep (the POS and camera health rollups: type, severity) cannot be applied to it. */
function keptScope(ctx: RequestContext, exposes: string[], kept: readonly string[], figures: string) {
  const scope = analyticsScope(ctx, exposes);
  const unknown = scope.fields.filter((f) => !kept.includes(f));
  if (unknown.length > 0) throw new AppError('forbidden', `your incident rules depend on ${unknown.join(', ')}, which the ${figures} figures cannot apply`);
  return scope;
}

const posScope = (ctx: RequestContext, exposes: string[]) => keptScope(ctx, exposes, POS_EXCEPTION_FIELDS, 'POS exception');

const repeatExceptionsRoute = defineRoute({
  method: 'get', path: '/v1/analytics/repeat-exceptions', operationId: 'getRepeatExceptions', tag,
  summary: 'Lanes or POS operators with repeated exceptions: linked POS transactions with exceptions in the range, top N (from the POS exception rollup)',
  query: repeatExceptionsQuery, headers: acceptHeader,
  responses: { 200: { description: 'Lanes or operators, most exception transactions first (or CSV)', schema: repeatExceptionsSchema } },
  handler: async ({ query, headers }, ctx) => {
    const filter = filterOf(query, ctx);
    const scope = posScope(ctx, exposed({ ...query, by: query.by === 'lane' ? 'lane' : undefined }, ['storeId']));
    await checkFilterIds(ctx, filter);
    await noJit(ctx.trx);
    const rows = await repeatExceptions(ctx.trx, ctx.principal.tenantId, filter, scope, query.by, { min: query.min, limit: query.limit });
    const stores = await labelsFor(ctx.trx, ctx.principal.tenantId, 'store', rows.map((r) => r.storeId));
    const lanes = query.by === 'lane' ? await labelsFor(ctx.trx, ctx.principal.tenantId, 'lane', rows.map((r) => r.key)) : new Map<string, string>();
    const data = rows.map((r) => ({ ...r, store: stores.get(r.storeId) ?? r.storeId, label: r.key === null ? null : (lanes.get(r.key) ?? r.key) }));
    return respond(wantsCsv(query, headers), `repeat-exceptions-by-${query.by}`, { from: filter.from.toISOString(), to: filter.to.toISOString(), by: query.by, data },
      ['store_id', 'store', 'key', 'label', 'transactions', 'exceptions'], data.map((r) => [r.storeId, r.store, r.key, r.label, r.transactions, r.exceptions]));
  },
});

const CAMERA_HEADER = ['camera_id', 'camera', 'store_id', 'store', 'region_id', 'lane_id', 'uptime', 'downtime_s', 'outages', 'longest_outage_s', 'current_state', 'offline_reports', 'degraded_reports', 'tamper_reports'];
const STORE_HEADER = ['store_id', 'store', 'region_id', 'cameras', 'uptime', 'downtime_s', 'outages', 'longest_outage_s', 'cameras_offline', 'cameras_degraded', 'offline_reports', 'degraded_reports', 'tamper_reports'];

const cameraHealthRoute = defineRoute({
  method: 'get', path: '/v1/analytics/camera-health', operationId: 'getCameraHealth', tag,
  summary: 'Camera uptime, outages and health reports per camera or store over the range (from the camera health rollups; scoped like incidents)',
  query: cameraHealthQuery, headers: acceptHeader,
  responses: { 200: { description: 'Per camera or store: uptime, downtime, outages, the longest, the state now and the health reports (or CSV)', schema: cameraHealthSchema } },
  handler: async ({ query, headers }, ctx) => {
    const filter = filterOf(query, ctx);
    const scope = keptScope(ctx, exposed({ ...query, by: undefined }, query.by === 'camera' ? ['storeId', 'regionId', 'laneId', 'cameraId'] : ['storeId', 'regionId']), CAMERA_HEALTH_FIELDS, 'camera health');
    await checkFilterIds(ctx, filter);
    await noJit(ctx.trx);
    const now = ctx.now();
    const rows = await cameraHealth({ trx: ctx.trx, tenantId: ctx.principal.tenantId, filter, scope, now });
    const stores = await labelsFor(ctx.trx, ctx.principal.tenantId, 'store', rows.map((r) => r.storeId));
    const store = (id: string) => stores.get(id) ?? id;
    const head = { from: filter.from.toISOString(), to: filter.to.toISOString(), observedTo: (filter.to < now ? filter.to : now).toISOString(), by: query.by };
    const csv = wantsCsv(query, headers);
    if (query.by === 'store') {
      const data = cameraHealthByStore(rows).map((r) => ({ ...r, store: store(r.storeId) }));
      return respond(csv, 'camera-health-by-store', { ...head, data }, STORE_HEADER, data.map((r) => [r.storeId, r.store, r.regionId, r.cameras, r.uptime, r.downtimeSeconds, r.outages,
        r.longestOutageSeconds, r.camerasOffline, r.camerasDegraded, r.offlineReports, r.degradedReports, r.tamperReports]));
    }
    const names = await namesIn(ctx.trx, ctx.principal.tenantId, 'cameras', rows.map((r) => r.cameraId));
    const data = rows.map((r) => ({ ...r, camera: names.get(r.cameraId) ?? r.cameraId, store: store(r.storeId) }));
    return respond(csv, 'camera-health', { ...head, data }, CAMERA_HEADER, data.map((r) => [r.cameraId, r.camera, r.storeId, r.store, r.regionId, r.laneId, r.uptime, r.downtimeSeconds,
      r.outages, r.longestOutageSeconds, r.currentState, r.offlineReports, r.degradedReports, r.tamperReports]));
  },
});

export const analyticsRoutes = [
  defineRoute({
    method: 'get', path: '/v1/analytics/incidents', operationId: 'getIncidentAnalytics', tag,
    summary: 'Incidents over time, by store, lane, region, type or severity (from the hourly rollups; scoped like incidents)',
    query: seriesQuery, headers: acceptHeader,
    responses: { 200: { description: 'Incidents and events per time bucket and key (or CSV)', schema: seriesSchema } },
    handler: async ({ query, headers }, ctx) => {
      const { source, range } = await prepare(ctx, query);
      const data = await labelled(ctx, query.by, await incidentSeries(source, query.by, query.interval));
      return respond(wantsCsv(query, headers), 'incidents', { ...range, data }, ['bucket', 'key', 'label', 'incidents', 'events'], data.map((r) => [r.bucket, r.key, r.label, r.incidents, r.events]));
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/analytics/heatmap', operationId: 'getIncidentHeatmap', tag,
    summary: 'Incidents by weekday and hour of the day, in each store\'s time zone',
    query: heatmapQuery, headers: acceptHeader,
    responses: { 200: { description: 'Cells with incidents (empty cells left out), or CSV', schema: heatmapSchema } },
    handler: async ({ query, headers }, ctx) => {
      const { source, range } = await prepare(ctx, query);
      const data = await incidentHeatmap(source);
      return respond(wantsCsv(query, headers), 'heatmap', { ...range, data }, ['weekday', 'hour', 'incidents'], data.map((r) => [r.weekday, r.hour, r.incidents]));
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/analytics/response-times', operationId: 'getResponseTimes', tag,
    summary: 'Time to acknowledge and to resolve: p50 and p90 from the rollup\'s histograms',
    query: splitQuery, headers: acceptHeader,
    responses: { 200: { description: 'Per key: counts, p50, p90 and the histogram over `bounds` (seconds), or CSV', schema: responseTimesSchema } },
    handler: async ({ query, headers }, ctx) => {
      const { source, range } = await prepare(ctx, query, ['state']);
      const data = await labelled(ctx, query.by, await responseTimes(source, query.by));
      return respond(wantsCsv(query, headers), 'response-times', { ...range, bounds: [...DURATION_BOUNDS], data },
        ['key', 'label', 'incidents', 'acknowledged', 'ack_p50_s', 'ack_p90_s', 'resolved', 'resolve_p50_s', 'resolve_p90_s'],
        data.map((r) => [r.key, r.label, r.incidents, r.acknowledged.count, r.acknowledged.p50, r.acknowledged.p90, r.resolved.count, r.resolved.p50, r.resolved.p90]));
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/analytics/outcomes', operationId: 'getOutcomeAnalytics', tag,
    summary: 'Resolved incidents by outcome, with the value recovered',
    query: splitQuery, headers: acceptHeader,
    responses: { 200: { description: 'Per key and outcome: resolved incidents and recovered value, or CSV', schema: outcomesSchema } },
    handler: async ({ query, headers }, ctx) => {
      const { source, range } = await prepare(ctx, query, ['outcome']);
      const data = await labelled(ctx, query.by, await outcomes(source, query.by));
      return respond(wantsCsv(query, headers), 'outcomes', { ...range, data }, ['key', 'label', 'outcome', 'incidents', 'recovered_value'], data.map((r) => [r.key, r.label, r.outcome, r.incidents, r.recoveredValue]));
    },
  }),
  repeatExceptionsRoute,
  cameraHealthRoute,
];
