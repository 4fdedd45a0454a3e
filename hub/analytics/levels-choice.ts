import type { Knex } from 'knex';

/** The incident fields a rollup level keeps (as the incidents' rules and the API name them), and `timezone`. */
export type LevelField = 'storeId' | 'regionId' | 'laneId' | 'type' | 'severity' | 'shadow' | 'outcome' | 'timezone';

export interface Level {
  table: string;
  /** The time column and grain: rows per UTC hour, UTC day or ISO week (from Monday 00:00 UTC). */
  time: 'hour' | 'day' | 'week';
  fields: readonly LevelField[];
  /** The level with the same fields one grain finer, which answers the ragged ends of a range. */
  finer?: Level;
}

export const HOURS: Level = { table: 'analytics_incident_hours', time: 'hour', fields: ['storeId', 'regionId', 'laneId', 'type', 'severity', 'shadow', 'outcome'] };
export const REGION_DAYS: Level = { table: 'analytics_region_days', time: 'day', fields: ['regionId', 'type', 'severity', 'shadow', 'outcome'], finer: HOURS };
export const STORE_DAYS: Level = { table: 'analytics_store_days', time: 'day', fields: ['storeId', 'regionId', 'shadow'], finer: HOURS };
export const STORE_WEEKS: Level = { table: 'analytics_store_weeks', time: 'week', fields: ['storeId', 'regionId', 'shadow'], finer: STORE_DAYS };
/** Incidents only: the heatmap's level. */
export const ZONE_HOURS: Level = { table: 'analytics_zone_hours', time: 'hour', fields: ['timezone', 'type', 'shadow'] };

/** Levels with every figure's columns, coarsest first; the hourly level keeps every field, so one always answers. */
export const FIGURE_LEVELS: readonly Level[] = [REGION_DAYS, STORE_WEEKS, STORE_DAYS, HOURS];

export const columnOf = (table: string, field: string) => `${table}.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/** Time buckets of a series that whole rows of each grain fall in (a week may straddle two months). */
const NESTS: Record<Level['time'], ReadonlyArray<string | undefined>> = {
  hour: [undefined, 'hour', 'day', 'week', 'month'], day: [undefined, 'day', 'week', 'month'], week: [undefined, 'week'],
};

/** The coarsest level that keeps every field the query filters, splits or is scoped by, and whose rows nest in its time buckets. */
export function chooseLevel(levels: readonly Level[], needed: Iterable<string>, interval?: string): Level {
  const wanted = [...needed];
  const level = levels.find((l) => NESTS[l.time].includes(interval) && wanted.every((f) => (l.fields as readonly string[]).includes(f)));
  if (!level) throw new Error(`no analytics level keeps ${wanted.join(', ')}`);
  return level;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday: Monday-aligned weeks start four days later. */
const MONDAY = 4 * DAY;

function aligned(time: Level['time'], at: number, up: boolean): number {
  const round = up ? Math.ceil : Math.floor;
  if (time === 'week') return round((at - MONDAY) / WEEK) * WEEK + MONDAY;
  return time === 'day' ? round(at / DAY) * DAY : at;
}

export interface Slice { level: Level; from: Date; to: Date }

/**
 * The range [from, to) (whole hours) read from a level: a weekly level answers the whole weeks inside it, its
 * finer level the ragged days before and after, and so on down to the hours; results are exact either way.
 */
export function slices(level: Level, from: Date, to: Date): Slice[] {
  if (from >= to) return [];
  if (!level.finer) return [{ level, from, to }];
  const first = new Date(aligned(level.time, from.getTime(), true));
  const last = new Date(aligned(level.time, to.getTime(), false));
  if (first >= last) return slices(level.finer, from, to);
  return [...slices(level.finer, from, first), { level, from: first, to: last }, ...slices(level.finer, last, to)];
}

/** `(q1 UNION ALL q2 …) AS src`, for an outer aggregate over the slices. */
export function unionOf(trx: Knex.Transaction, parts: Knex.QueryBuilder[]): Knex.Raw {
  return trx.raw(`(${parts.map(() => '?').join(' UNION ALL ')}) AS src`, parts);
}
