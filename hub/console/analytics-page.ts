import { EVENT_TYPES, escapeHtml, typeLabel } from './client/render.js';
import { barChart, columnChart, durationText, heatmapChart, type Bar } from './charts.js';
import { consolePage, type Viewer } from './html.js';

/** The filter form as submitted: days (UTC) and ids. */
export interface AnalyticsForm { from: string; to: string; regionId?: string | undefined; storeId?: string | undefined; type?: string | undefined }

export interface Keyed { key: string | null; label: string | null }
export interface SeriesRow extends Keyed { bucket: string | null; incidents: number }
export interface Duration { count: number; p50: number | null; p90: number | null }
export interface ResponseRow extends Keyed { incidents: number; acknowledged: Duration; resolved: Duration }
export interface OutcomeRow extends Keyed { outcome: string; incidents: number; recoveredValue: number }

export interface RepeatRow { storeId: string; store: string; key: string | null; label: string | null; transactions: number }

export interface HealthFigures { downtimeSeconds: number; uptime: number | null; outages: number; longestOutageSeconds: number; tamperReports: number; degradedReports: number }
export interface CameraHealthRow extends HealthFigures { cameraId: string; camera: string; storeId: string; store: string; currentState: string }
export interface StoreHealthRow extends HealthFigures { storeId: string; store: string; cameras: number; camerasOffline: number; camerasDegraded: number }

export interface AnalyticsPageInput {
  viewer: Viewer;
  form: AnalyticsForm;
  /** The API query string of the filters (from, to, regionId, storeId, type), for the CSV links. */
  apiQuery: string;
  regions: Array<{ id: string; name: string }>;
  stores: Array<{ id: string; name: string; code: string }>;
  perDay: SeriesRow[];
  byStore: SeriesRow[];
  byRegion: SeriesRow[];
  byLane: SeriesRow[];
  byType: SeriesRow[];
  heatmap: Array<{ weekday: number; hour: number; incidents: number }>;
  responseTimes: ResponseRow[];
  outcomes: OutcomeRow[];
  /** Lanes and POS operators with at least two linked POS exception transactions in the range, top ten each. */
  repeatLanes: RepeatRow[];
  repeatOperators: RepeatRow[];
  /** Camera uptime per camera and per store over the range. */
  cameraHealth: CameraHealthRow[];
  storeHealth: StoreHealthRow[];
  usage: { days: Array<{ day: string; metric: string; value: number }>; totals: Record<string, number> } | null;
}

const bars = (rows: SeriesRow[], label: (r: SeriesRow) => string = (r) => r.label ?? r.key ?? 'none'): Bar[] =>
  rows.map((r) => ({ key: r.key ?? '', label: label(r), value: r.incidents }));

const csvLink = (path: string, apiQuery: string, extra = '') =>
  `<a class="csv" href="${escapeHtml(`${path}?${apiQuery}${extra}&format=csv`)}" download>CSV</a>`;

function section(id: string, title: string, body: string, csv: string): string {
  return `<section class="figure" aria-labelledby="${id}-h"><h2 id="${id}-h">${escapeHtml(title)} ${csv}</h2>${body}</section>`;
}

const option = (value: string, text: string, selected: string | undefined) => `<option value="${escapeHtml(value)}"${value === selected ? ' selected' : ''}>${escapeHtml(text)}</option>`;

function filterForm(input: AnalyticsPageInput): string {
  const { form } = input;
  const select = (name: string, label: string, options: string) => `<label for="a-${name}">${label}<select id="a-${name}" name="${name}"><option value="">Any</option>${options}</select></label>`;
  return `<form class="filters" method="get" action="/console/analytics" role="search" aria-label="Filter the figures">
<label for="a-from">From (UTC day)<input type="date" id="a-from" name="from" value="${escapeHtml(form.from)}"></label>
<label for="a-to">To (UTC day, included)<input type="date" id="a-to" name="to" value="${escapeHtml(form.to)}"></label>
${select('regionId', 'Region', input.regions.map((r) => option(r.id, r.name, form.regionId)).join(''))}
${select('storeId', 'Store', input.stores.map((s) => option(s.id, `${s.name} (${s.code})`, form.storeId)).join(''))}
${select('type', 'Type', EVENT_TYPES.map((t) => option(t, typeLabel(t), form.type)).join(''))}
<button type="submit">Apply filters</button> <a href="/console/analytics">Clear</a></form>`;
}

function responseTable(rows: ResponseRow[]): string {
  const cell = (d: Duration) => `<td data-value="${d.count}">${d.count}</td><td data-seconds="${d.p50 ?? ''}">${d.count ? durationText(d.p50) : '–'}</td><td data-seconds="${d.p90 ?? ''}">${d.count ? durationText(d.p90) : '–'}</td>`;
  const body = rows.map((r) => `<tr data-key="${escapeHtml(r.key ?? '')}"><th scope="row">${escapeHtml(r.label ?? r.key ?? 'All')}</th><td>${r.incidents}</td>${cell(r.acknowledged)}${cell(r.resolved)}</tr>`).join('');
  return `<table id="response-times"><thead><tr><th scope="col">Store</th><th scope="col">Incidents</th><th scope="col">Acknowledged</th><th scope="col">p50</th><th scope="col">p90</th><th scope="col">Resolved</th><th scope="col">p50</th><th scope="col">p90</th></tr></thead><tbody>${body}</tbody></table>
<p class="notice">Times from the first event to the first acknowledgement and to the latest resolution; a percentile is shown as the histogram bucket it falls in.</p>`;
}

function outcomesFigure(rows: OutcomeRow[]): string {
  const byOutcome = new Map<string, { incidents: number; value: number }>();
  for (const r of rows) {
    const o = byOutcome.get(r.outcome) ?? { incidents: 0, value: 0 };
    byOutcome.set(r.outcome, { incidents: o.incidents + r.incidents, value: o.value + r.recoveredValue });
  }
  const entries = [...byOutcome.entries()];
  const total = entries.reduce((sum, [, o]) => sum + o.value, 0);
  return `<p>Recovered value: <strong id="recovered-total" data-value="${total}">${total.toFixed(2)}</strong> (store currency)</p>
${barChart('chart-outcomes', 'Resolved incidents by outcome', entries.map(([k, o]) => ({ key: k, label: k.replace(/_/g, ' '), value: o.incidents })))}`;
}

function repeatFigure(input: AnalyticsPageInput): string {
  const bar = (id: string) => (r: RepeatRow): Bar => ({ key: `${r.storeId}/${r.key ?? ''}`, label: `${r.label ?? r.key ?? (id === 'lanes' ? 'no lane' : 'no operator')} · ${r.store}`, value: r.transactions });
  return `${barChart('chart-repeat-lanes', 'Lanes by linked POS exception transactions', input.repeatLanes.map(bar('lanes')))}
${barChart('chart-repeat-operators', 'POS operators by linked POS exception transactions', input.repeatOperators.map(bar('operators')))}
<p class="notice">POS transactions with exceptions (voids, no-sales, overrides…) linked to incidents; lanes and operators with at least two in the range, top ten.${input.form.type ? ' Not narrowed by type: a POS transaction has none.' : ''}</p>`;
}

const percent = (share: number | null) => (share === null ? '–' : `${(Math.floor(share * 10_000) / 100).toFixed(2)}%`);
const hours = (seconds: number) => Math.round(seconds / 36) / 100;

function storeHealthTable(rows: StoreHealthRow[]): string {
  const body = rows.map((r) => `<tr data-key="${escapeHtml(r.storeId)}" data-uptime="${r.uptime ?? ''}" data-downtime="${r.downtimeSeconds}" data-outages="${r.outages}">
<th scope="row">${escapeHtml(r.store)}</th><td>${percent(r.uptime)}</td><td>${r.outages}</td><td>${hours(r.downtimeSeconds)} h</td><td>${hours(r.longestOutageSeconds)} h</td>
<td>${r.camerasOffline} / ${r.camerasDegraded}</td><td>${r.tamperReports}</td></tr>`).join('');
  return `<table id="store-health"><thead><tr><th scope="col">Store</th><th scope="col">Uptime</th><th scope="col">Outages</th><th scope="col">Down</th><th scope="col">Longest</th><th scope="col">Cameras off / degraded now</th><th scope="col">Tamper</th></tr></thead><tbody>${body}</tbody></table>`;
}

function cameraHealthFigure(input: AnalyticsPageInput): string {
  const down = input.cameraHealth.filter((r) => r.downtimeSeconds > 0).map((r): Bar => ({ key: r.cameraId, label: `${r.camera} · ${r.store}`, value: hours(r.downtimeSeconds) }));
  const chart = down.length > 0 ? barChart('chart-camera-downtime', 'Downtime by camera (hours)', down, { unit: ' h' }) : '<p class="notice" id="chart-camera-downtime-empty">No camera was down in this range.</p>';
  return `${chart}
${storeHealthTable(input.storeHealth)}
<p class="notice">An outage runs from a camera's offline report to its recovery report (an open one up to now); overlapping outages count once. Uptime is the online share of the range up to now.${input.form.type ? ' Not narrowed by type: camera health has none.' : ''}</p>`;
}

function usageFigure(usage: NonNullable<AnalyticsPageInput['usage']>): string {
  return barChart('chart-usage', 'Metered usage in the range', Object.entries(usage.totals).map(([metric, value]) => ({ key: metric, label: metric.replace(/_/g, ' '), value })));
}

/** One column per day of the range, days without incidents at zero (the API leaves them out). */
function everyDay(form: AnalyticsForm, rows: SeriesRow[]): Bar[] {
  const counts = new Map(rows.map((r) => [(r.bucket ?? '').slice(0, 10), r.incidents]));
  const out: Bar[] = [];
  for (let t = Date.parse(form.from); t <= Date.parse(form.to) && out.length < 400; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push({ key: day, label: day, value: counts.get(day) ?? 0 });
  }
  return out;
}

/** The API query without `type`: POS transactions have none. */
export function posQuery(apiQuery: string): string {
  const params = new URLSearchParams(apiQuery);
  params.delete('type');
  return params.toString();
}

export function analyticsPage(input: AnalyticsPageInput): string {
  const q = input.apiQuery;
  const main = `<h1>Analytics</h1>
${filterForm(input)}
<p class="notice">From the rollups the hub worker keeps (a few seconds behind the incidents). Days are UTC; the heatmap uses each store's own time zone.</p>
<div class="figures">
${section('per-day', 'Incidents per day', columnChart('chart-per-day', 'Incidents per day', everyDay(input.form, input.perDay)), csvLink('/v1/analytics/incidents', q, '&interval=day'))}
${section('by-store', 'Incidents by store', barChart('chart-by-store', 'Incidents by store', bars(input.byStore)), csvLink('/v1/analytics/incidents', q, '&by=store'))}
${section('by-region', 'Incidents by region', barChart('chart-by-region', 'Incidents by region', bars(input.byRegion)), csvLink('/v1/analytics/incidents', q, '&by=region'))}
${section('by-lane', 'Incidents by lane', barChart('chart-by-lane', 'Incidents by lane', bars(input.byLane, (r) => r.label ?? 'no lane')), csvLink('/v1/analytics/incidents', q, '&by=lane'))}
${section('by-type', 'Incidents by type', barChart('chart-by-type', 'Incidents by type', bars(input.byType, (r) => typeLabel(r.key ?? ''))), csvLink('/v1/analytics/incidents', q, '&by=type'))}
${section('heatmap', 'Hour by weekday (store time)', heatmapChart('chart-heatmap', 'Incidents by weekday and hour', input.heatmap), csvLink('/v1/analytics/heatmap', q))}
${section('response', 'Time to acknowledge and to resolve', responseTable(input.responseTimes), csvLink('/v1/analytics/response-times', q, '&by=store'))}
${section('outcomes', 'Outcomes and recovered value', outcomesFigure(input.outcomes), csvLink('/v1/analytics/outcomes', q))}
${section('repeat-exceptions', 'Repeated POS exceptions by lane and operator', repeatFigure(input), `${csvLink('/v1/analytics/repeat-exceptions', posQuery(q), '&by=lane')} ${csvLink('/v1/analytics/repeat-exceptions', posQuery(q), '&by=operator')}`)}
${section('camera-health', 'Camera health and uptime', cameraHealthFigure(input), `${csvLink('/v1/analytics/camera-health', posQuery(q), '&by=camera')} ${csvLink('/v1/analytics/camera-health', posQuery(q), '&by=store')}`)}
${input.usage ? section('usage', 'Usage and metering', usageFigure(input.usage), '') : ''}
</div>`;
  return consolePage({ title: 'Analytics', viewer: input.viewer, main, current: '/console/analytics', dialogs: false });
}
