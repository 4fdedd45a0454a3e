import { CONFIRMED_STATES } from '../../contracts/index.js';
import type { Program } from '../../models/index.js';
import type { CommandContext } from '../audit/index.js';

/** States a reviewer reaches only by confirming the alert (verified, then intervened or escalated, then resolved). */
const DAY_MS = 86_400_000;

export interface SideFigures {
  stores: number;
  incidents: number;
  confirmed: number;
  dismissed: number;
  /** Awaiting a verdict (new or acknowledged). */
  pending: number;
  /** confirmed / (confirmed + dismissed); null until a verdict exists. */
  precision: number | null;
  alertsPerStoreDay: number | null;
}

export interface ProgramFigures {
  from: string;
  to: string;
  days: number;
  /** Incident types compared: those the program raised (every type while it raised none). */
  types: string[];
  program: SideFigures;
  /** The environment's other stores, over the same period and types, with their own rules. */
  outside: SideFigures;
  /** program minus outside; null where either side has none. */
  difference: { precision: number | null; alertsPerStoreDay: number | null };
}

interface CountRow { incidents: number; confirmed: number; dismissed: number }

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));
const minus = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : round(a - b));

function side(stores: number, counts: CountRow, days: number): SideFigures {
  const verdicts = counts.confirmed + counts.dismissed;
  return {
    stores, incidents: counts.incidents, confirmed: counts.confirmed, dismissed: counts.dismissed,
    pending: counts.incidents - verdicts,
    precision: verdicts === 0 ? null : round(counts.confirmed / verdicts),
    alertsPerStoreDay: stores === 0 ? null : round(counts.incidents / (stores * days)),
  };
}

const COUNTS = `count(*)::int AS incidents, count(*) FILTER (WHERE state = ANY(?))::int AS confirmed, count(*) FILTER (WHERE state = 'dismissed')::int AS dismissed`;

/**
 * What a program has measured since it started, beside the stores outside it: precision from reviewers'
 * verdicts and alert volume per store-day. Runs in the caller's environment (row-level security keeps it there).
 */
export async function programFigures(ctx: Pick<CommandContext, 'trx' | 'tenantId'>, program: Program, now: Date): Promise<ProgramFigures> {
  const { trx, tenantId } = ctx;
  const from = program.createdAt;
  const days = Math.max((now.getTime() - from.getTime()) / DAY_MS, 1 / 24);
  const inside = (await trx.raw<{ rows: Array<CountRow & { types: string[] | null }> }>(
    `SELECT ${COUNTS}, array_agg(DISTINCT type) AS types FROM incidents WHERE tenant_id = ? AND program_id = ? AND opened_at >= ?`,
    [[...CONFIRMED_STATES], tenantId, program.id, from],
  )).rows[0] ?? { incidents: 0, confirmed: 0, dismissed: 0, types: null };
  const types = (inside.types ?? []).filter((t): t is string => typeof t === 'string').sort();
  const outside = (await trx.raw<{ rows: CountRow[] }>(
    `SELECT ${COUNTS} FROM incidents WHERE tenant_id = ? AND program_id IS NULL AND NOT (store_id = ANY(?)) AND opened_at >= ?${types.length > 0 ? ' AND type = ANY(?)' : ''}`,
    [[...CONFIRMED_STATES], tenantId, program.storeIds, from, ...(types.length > 0 ? [types] : [])],
  )).rows[0] ?? { incidents: 0, confirmed: 0, dismissed: 0 };
  const otherStores = (await trx.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM stores WHERE tenant_id = ? AND NOT (id = ANY(?))', [tenantId, program.storeIds])).rows[0]?.n ?? 0;
  const mine = side(program.storeIds.length, inside, days);
  const theirs = side(otherStores, outside, days);
  return {
    from: from.toISOString(), to: now.toISOString(), days: round(days), types, program: mine, outside: theirs,
    difference: { precision: minus(mine.precision, theirs.precision), alertsPerStoreDay: minus(mine.alertsPerStoreDay, theirs.alertsPerStoreDay) },
  };
}
