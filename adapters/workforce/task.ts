/** A task for a store's associates: what happened, where, by when, and how to acknowledge it. */
export interface WorkforceTask {
  title: string;
  what: string;
  storeId: string;
  laneId: string | null;
  zone: string | null;
  severity: string;
  snapshotUrl: string | null;
  dueAt: Date;
  acknowledgeUrl: string | null;
  detailUrl: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A digest's headline: its cadence, region, incidents and the change from the period before. */
function digestTitle(data: Record<string, unknown>): string {
  const total = (data.total ?? {}) as { incidents?: unknown; changePercent?: unknown };
  const cadence = str(data.cadence) === 'daily' ? 'Daily' : 'Weekly';
  const incidents = typeof total.incidents === 'number' ? total.incidents : 0;
  const percent = typeof total.changePercent === 'number' ? ` (${total.changePercent > 0 ? '+' : ''}${Math.round(total.changePercent)} %)` : '';
  return `${cadence} digest, ${str(data.region) ?? 'region'}: ${incidents} incident${incidents === 1 ? '' : 's'}${percent}`;
}

function titleOf(type: string, kind: string, data: Record<string, unknown>): string {
  if (type === 'pos.exception') return `POS exception: ${(data.exceptions as string[] | undefined)?.join(', ') ?? kind}`;
  if (type === 'analytics.digest') return digestTitle(data);
  return `Check ${kind.replace(/_/g, ' ')}`;
}

/** Builds the task from a Vigil message's data (an incident, a POS exception, or a region's digest, which links to its page). */
export function taskFromMessage(type: string, data: Record<string, unknown>, options: { now: Date; dueMinutes: number; baseUrl: string | null }): WorkforceTask {
  const links = (data.links ?? {}) as Record<string, unknown>;
  const abs = (path: string | null) => (path && options.baseUrl && path.startsWith('/') ? `${options.baseUrl.replace(/\/+$/, '')}${path}` : path);
  const id = str(data.id) ?? '';
  const kind = str(data.type) ?? type;
  return {
    title: titleOf(type, kind, data),
    what: `${type} ${id}`.trim(),
    storeId: str(data.storeId) ?? '',
    laneId: str(data.laneId),
    zone: str(data.zone),
    severity: str(data.severity) ?? 'medium',
    snapshotUrl: abs(str(links.snapshot)),
    dueAt: new Date(options.now.getTime() + options.dueMinutes * 60_000),
    acknowledgeUrl: abs(str(links.acknowledge) ?? (id.startsWith('inc_') ? `/console/incidents/${id}?action=acknowledge` : null)),
    detailUrl: abs(type === 'analytics.digest' ? str(links.html) ?? str(links.self) : str(links.self)),
  };
}
