import { z } from 'zod';
import { isTimeZone } from '../../contracts/index.js';

export const timeZoneSchema = z.string().min(1).refine(isTimeZone, { message: 'not an IANA time zone (e.g. Europe/Berlin)' });

/** 'HH:MM', 24-hour clock. */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

export const hoursSchema = z
  .strictObject({ from: clockTimeSchema, to: clockTimeSchema })
  .refine((h) => h.from !== h.to, { message: 'from and to must differ' })
  .describe('local time window, from inclusive, to exclusive; from > to spans midnight');
export type Hours = z.infer<typeof hoursSchema>;

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight of `epochMs` in `timeZone` (DST-aware through Intl). */
export function localMinutes(epochMs: number, formatter: Intl.DateTimeFormat): number {
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(epochMs)) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

export function clockFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export function isWithinHours(epochMs: number, hours: Hours, formatter: Intl.DateTimeFormat): boolean {
  const now = localMinutes(epochMs, formatter);
  const from = minutesOf(hours.from);
  const to = minutesOf(hours.to);
  return from < to ? now >= from && now < to : now >= from || now < to;
}
