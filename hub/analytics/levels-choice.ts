import type { Knex } from 'knex';

/** The incident fields a rollup level keeps (as the incidents' rules and the API name them), and `timezone`. */
export type LevelField = 'storeId' | 'regionId' | 'laneId' | 'type' | 'severity' | 'shadow' | 'outcome' | 'timezone';

export interface Level {
  table: string;
  /** The time column and grain: rows per UTC hour or per UTC day. */
  time: 'hour' | 'day';
  fields: readonly LevelField[];
}

export const HOURS: Level = { table: 'analytics_incident_hours', time: 'hour', fields: ['storeId', 'regionId', 'laneId', 'type', 'severity', 'shadow', 'outcome'] };
export const REGION_DAYS: Level = { table: 'analytics_region_days', time: 'day', fields: ['regionId', 'type', 'severity', 'shadow', 'outcome'] };
export const STORE_DAYS: Level = { table: 'analytics_store_days', time: 'day', fields: ['storeId', 'regionId', 'shadow'] };
/** Incidents only: the heatmap's level. */
export const ZONE_HOURS: Level = { table: 'analytics_zone_hours', time: 'hour', fields: ['timezone', 'type', 'shadow'] };

/** Levels with every figure's columns, coarsest first; the hourly level keeps every field, so one always answers. */
export const FIGURE_LEVELS: readonly Level[] = [REGION_DAYS, STORE_DAYS, HOURS];

export const columnOf = (table: string, field: string) => `${table}.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/** The coarsest level that keeps every field the query filters, splits or is scoped by. */
export function chooseLevel(levels: readonly Level[], needed: Iterable<string>): Level {
  const wanted = [...needed];
  const level = levels.find((l) => wanted.every((f) => (l.fields as readonly string[]).includes(f)));
  if (!level) throw new Error(`no analytics level keeps ${wanted.join(', ')}`);
  return level;
}

const DAY = 86_400_000;

export interface Slice { level: Level; from: Date; to: Date }

/**
 * The range [from, to) (whole hours) read from a level: a daily level answers the whole UTC days inside it, the
 * hourly level the ragged hours before the first and after the last whole day; results are exact either way.
 */
export function slices(level: Level, from: Date, to: Date): Slice[] {
  if (level.time === 'hour') return [{ level, from, to }];
  const firstDay = new Date(Math.ceil(from.getTime() / DAY) * DAY);
  const lastDay = new Date(Math.floor(to.getTime() / DAY) * DAY);
  if (firstDay >= lastDay) return [{ level: HOURS, from, to }];
  const out: Slice[] = [];
  if (from < firstDay) out.push({ level: HOURS, from, to: firstDay });
  out.push({ level, from: firstDay, to: lastDay });
  if (lastDay < to) out.push({ level: HOURS, from: lastDay, to });
  return out;
}

/** `(q1 UNION ALL q2 …) AS src`, for an outer aggregate over the slices. */
export function unionOf(trx: Knex.Transaction, parts: Knex.QueryBuilder[]): Knex.Raw {
  return trx.raw(`(${parts.map(() => '?').join(' UNION ALL ')}) AS src`, parts);
}
