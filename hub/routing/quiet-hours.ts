export interface QuietHours {
  /** Local time "HH:MM" in the store's time zone. */
  start: string;
  end: string;
}

const minutes = (hhmm: string): number => {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

/** Minutes since local midnight of `at` in `timeZone`. */
export function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * Whether `at` falls in the quiet window, read on the store's wall clock (so a 22:00-06:00 window
 * follows daylight saving). A window whose end is before its start spans midnight; equal ends mean none.
 */
export function isQuietAt(quiet: QuietHours, timeZone: string, at: Date): boolean {
  const now = localMinutes(at, timeZone);
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}
