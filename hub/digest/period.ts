import { z } from 'zod';

export const DIGEST_CADENCES = ['daily', 'weekly'] as const;
export type DigestCadence = (typeof DIGEST_CADENCES)[number];

const DAY_MS = 86_400_000;
const LENGTH_MS: Record<DigestCadence, number> = { daily: DAY_MS, weekly: 7 * DAY_MS };

/**
 * A digest's period, in UTC like the rollups: a day from 00:00 UTC, or an ISO week from Monday 00:00 UTC (the
 * weeks of analytics_store_weeks). `start` is inclusive, `end` exclusive; `previousStart` opens the period before.
 */
export interface DigestPeriod {
  cadence: DigestCadence;
  start: Date;
  end: Date;
  previousStart: Date;
}

export const periodSchema = z.object({ cadence: z.enum(DIGEST_CADENCES), start: z.string(), end: z.string(), previousStart: z.string() });

/** The start of the day or ISO week that holds `at`. */
function periodStartOf(cadence: DigestCadence, at: Date): number {
  const day = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (cadence === 'daily') return day;
  const isoWeekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return day - isoWeekday * DAY_MS;
}

/** The period of the cadence that starts at `start` (which must be a period boundary). */
export function periodFrom(cadence: DigestCadence, start: Date): DigestPeriod {
  const length = LENGTH_MS[cadence];
  return { cadence, start, end: new Date(start.getTime() + length), previousStart: new Date(start.getTime() - length) };
}

/** The latest period that has closed at `now`: the one that ended at the start of the current period. */
export function lastClosedPeriod(cadence: DigestCadence, now: Date): DigestPeriod {
  return periodFrom(cadence, new Date(periodStartOf(cadence, now) - LENGTH_MS[cadence]));
}

/** How many closed periods back a missed digest is still made (a worker down for longer leaves the older ones out). */
export const CATCH_UP_PERIODS: Record<DigestCadence, number> = { daily: 7, weekly: 4 };

/** The last `count` periods closed at `now`, oldest first; the last of them is lastClosedPeriod. */
export function closedPeriods(cadence: DigestCadence, now: Date, count: number): DigestPeriod[] {
  const last = lastClosedPeriod(cadence, now).start.getTime();
  return Array.from({ length: count }, (_, i) => periodFrom(cadence, new Date(last - (count - 1 - i) * LENGTH_MS[cadence])));
}
