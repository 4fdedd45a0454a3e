/** Wall-clock fields of a local date and time, as a POS prints them (month 1..12). */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall clock of `epochMs` in `timeZone` (milliseconds kept). */
export function wallClockOf(epochMs: number, timeZone: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'] ?? 1970, month: parts['month'] ?? 1, day: parts['day'] ?? 1,
    hour: (parts['hour'] ?? 0) % 24, minute: parts['minute'] ?? 0, second: parts['second'] ?? 0,
    millisecond: ((epochMs % 1000) + 1000) % 1000,
  };
}

const asUtc = (t: LocalDateTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond);

/** Offset of `timeZone` from UTC at `epochMs`, in ms (positive east of Greenwich). */
function zoneOffsetAt(epochMs: number, timeZone: string): number {
  const wall = wallClockOf(epochMs, timeZone);
  return asUtc({ ...wall, millisecond: ((epochMs % 1000) + 1000) % 1000 }) - epochMs;
}

const DAY_MS = 86_400_000;

const sameWallClock = (epochMs: number, local: LocalDateTime, timeZone: string): boolean => asUtc(wallClockOf(epochMs, timeZone)) === asUtc({ ...local, millisecond: ((epochMs % 1000) + 1000) % 1000 });

/**
 * Epoch ms of a wall-clock time in `timeZone`. Zone offsets change at most once a day, so the offsets a day
 * before and a day after are the two a reading can mean: a repeated autumn hour resolves to its first
 * occurrence, and a time in the spring-forward gap (which a correct clock never shows; a POS that has not
 * switched yet does) is read with the offset from before the change.
 */
export function epochOfLocal(local: LocalDateTime, timeZone: string): number {
  const guess = asUtc(local);
  const before = guess - zoneOffsetAt(guess - DAY_MS, timeZone);
  const after = guess - zoneOffsetAt(guess + DAY_MS, timeZone);
  const valid = [before, after].filter((at) => sameWallClock(at, local, timeZone));
  return valid.length === 0 ? before : Math.min(...valid);
}


/** A time of day without a date: the calendar day (yesterday, today, tomorrow) that puts it nearest to `referenceMs`. */
export function epochOfTimeNear(time: Pick<LocalDateTime, 'hour' | 'minute' | 'second' | 'millisecond'>, referenceMs: number, timeZone: string): number {
  let best = Number.NaN;
  for (const shift of [-DAY_MS, 0, DAY_MS]) {
    const day = wallClockOf(referenceMs + shift, timeZone);
    const candidate = epochOfLocal({ ...day, ...time }, timeZone);
    if (Number.isNaN(best) || Math.abs(candidate - referenceMs) < Math.abs(best - referenceMs)) best = candidate;
  }
  return best;
}
