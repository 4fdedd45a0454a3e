import { AppError } from '../../contracts/index.js';
import { quantile } from '../analytics/index.js';
import { TOP_LINES, type DigestContent, type DigestLine } from './content.js';
import { ackHistogram, countsBy, sourcesFor, type DigestScope, type KeyCounts } from './figures.js';

const changePercent = (current: number, previous: number): number | null =>
  previous === 0 ? null : Math.round(((current - previous) / previous) * 1000) / 10;

/** The keys with incidents this period, most first (ties: more the period before, then by key), as lines. */
function topLines(counts: KeyCounts[], labels: Map<string, string>): DigestLine[] {
  return counts.filter((c) => c.current > 0)
    .sort((a, b) => b.current - a.current || b.previous - a.previous || a.key.localeCompare(b.key))
    .slice(0, TOP_LINES)
    .map((c) => ({ key: c.key, label: labels.get(c.key) ?? c.key, incidents: c.current, previous: c.previous, change: c.current - c.previous }));
}

async function storeLabels(scope: DigestScope, ids: string[]): Promise<Map<string, string>> {
  const rows = await scope.trx('stores').where('tenant_id', scope.tenantId).whereIn('id', ids).select('id', 'name') as Array<{ id: string; name: string }>;
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Lane names carry their store's: "Lane 1" alone names a lane of every store. */
async function laneLabels(scope: DigestScope, ids: string[]): Promise<Map<string, string>> {
  const rows = await scope.trx('lanes').join('stores', (j) => j.on('stores.tenant_id', '=', 'lanes.tenant_id').andOn('stores.id', '=', 'lanes.store_id'))
    .where('lanes.tenant_id', scope.tenantId).whereIn('lanes.id', ids).select('lanes.id', 'lanes.name', 'stores.name as store') as Array<{ id: string; name: string; store: string }>;
  return new Map(rows.map((r) => [r.id, `${r.store} · ${r.name}`]));
}

async function regionName(scope: DigestScope): Promise<string> {
  const row = await scope.trx('regions').where({ tenant_id: scope.tenantId, id: scope.regionId }).first('name') as { name: string } | undefined;
  if (!row) throw new AppError('not_found', `region ${scope.regionId} not found`);
  return row.name;
}

/**
 * A region's digest for a closed period, from the rollups (never the raw incident tables): live incidents (shadow
 * ones left out, as they are reviewed centrally) in the period and the one before, the top stores, lanes and types,
 * and the median time to acknowledge. The caller makes sure the rollups are current for the period.
 */
export async function buildDigest(scope: DigestScope): Promise<DigestContent> {
  const sources = sourcesFor(scope.period);
  const stores = await countsBy(scope, sources.stores);
  const lanes = await countsBy(scope, sources.lanes);
  const types = await countsBy(scope, sources.types);
  const histogram = await ackHistogram(scope);
  const current = stores.reduce((sum, s) => sum + s.current, 0);
  const previous = stores.reduce((sum, s) => sum + s.previous, 0);
  const { period } = scope;
  return {
    regionId: scope.regionId,
    region: await regionName(scope),
    cadence: period.cadence,
    periodStart: period.start.toISOString(),
    periodEnd: period.end.toISOString(),
    previousStart: period.previousStart.toISOString(),
    total: { incidents: current, previous, change: current - previous, changePercent: changePercent(current, previous) },
    acknowledged: histogram.reduce((sum, n) => sum + n, 0),
    medianAckSeconds: quantile(histogram, 0.5),
    topStores: topLines(stores, await storeLabels(scope, stores.map((s) => s.key))),
    topLanes: topLines(lanes, await laneLabels(scope, lanes.map((l) => l.key))),
    topTypes: topLines(types, new Map()),
  };
}
