import { AppError } from '../../contracts/index.js';

const HAS_OFFSET = /(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at the instant `at` (ms, local minus UTC), whole seconds. */
function offsetAt(at: number, formatter: Intl.DateTimeFormat): number {
  const part: Record<string, number> = {};
  for (const p of formatter.formatToParts(at)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const wall = Date.UTC(part.year ?? 1970, (part.month ?? 1) - 1, part.day ?? 1, part.hour ?? 0, part.minute ?? 0, part.second ?? 0);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time of `timeZone` names, DST-correct. A time that occurs twice (the hour
 * the clocks go back) reads as the first; one that never occurs (the hour skipped in spring) reads as
 * the same distance past the gap, as the wall clock would have shown it had it not jumped (Temporal's
 * `compatible` disambiguation).
 */
export function wallTimeToInstant(wallUtcMs: number, timeZone: string): number {
  const formatter = formatterFor(timeZone);
  const before = offsetAt(wallUtcMs - DAY_MS, formatter);
  const after = offsetAt(wallUtcMs + DAY_MS, formatter);
  const candidates = [...new Set([wallUtcMs - before, wallUtcMs - after])].filter((at) => at + offsetAt(at, formatter) === wallUtcMs);
  return candidates.length > 0 ? Math.min(...candidates) : wallUtcMs - before;
}

/**
 * A POS timestamp as an instant. One with a UTC offset (or Z) means what it says; one without is the
 * store's local wall-clock time, read in the store's IANA time zone.
 */
export function posInstant(value: string | null, timeZone: string): Date | null {
  if (value === null) return null;
  if (HAS_OFFSET.test(value)) return new Date(value);
  const m = LOCAL.exec(value);
  if (!m) throw new AppError('validation_failed', `unreadable POS timestamp ${value}`);
  const [, y, mo, d, h, mi, s, fraction] = m;
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  return new Date(wallTimeToInstant(wall, timeZone));
}

export const hasUtcOffset = (value: string | null): boolean => value !== null && HAS_OFFSET.test(value);
