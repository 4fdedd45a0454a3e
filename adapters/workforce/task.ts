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

/** Builds the task from a Vigil message's data (incident or POS exception). */
export function taskFromMessage(type: string, data: Record<string, unknown>, options: { now: Date; dueMinutes: number; baseUrl: string | null }): WorkforceTask {
  const links = (data.links ?? {}) as Record<string, unknown>;
  const abs = (path: string | null) => (path && options.baseUrl && path.startsWith('/') ? `${options.baseUrl.replace(/\/+$/, '')}${path}` : path);
  const id = str(data.id) ?? '';
  const kind = str(data.type) ?? type;
  return {
    title: type === 'pos.exception' ? `POS exception: ${(data.exceptions as string[] | undefined)?.join(', ') ?? kind}` : `Check ${kind.replace(/_/g, ' ')}`,
    what: `${type} ${id}`.trim(),
    storeId: str(data.storeId) ?? '',
    laneId: str(data.laneId),
    zone: str(data.zone),
    severity: str(data.severity) ?? 'medium',
    snapshotUrl: abs(str(links.snapshot)),
    dueAt: new Date(options.now.getTime() + options.dueMinutes * 60_000),
    acknowledgeUrl: abs(str(links.acknowledge) ?? (id.startsWith('inc_') ? `/console/incidents/${id}?action=acknowledge` : null)),
    detailUrl: abs(str(links.self)),
  };
}
