import { z } from 'zod';

/** The years a Vigil timestamp may carry: anything else is a typo or an attack, never a real event. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2200;

const yearOf = (text: string): number => Number(text.slice(0, 4));
const inRange = (text: string): boolean => {
  const year = yearOf(text);
  return year >= MIN_YEAR && year <= MAX_YEAR && Number.isFinite(Date.parse(text));
};
const rangeMessage = `must be a date between ${MIN_YEAR} and ${MAX_YEAR}`;

/** An ISO 8601 date-time with a UTC offset, between 1970 and 2200. */
export const isoDateTime = () => z.iso.datetime({ offset: true }).refine(inRange, { message: rangeMessage });

/** An ISO 8601 calendar date (YYYY-MM-DD), between 1970 and 2200. */
export const isoDate = () => z.iso.date().refine(inRange, { message: rangeMessage });

/** Where the hub and the plugin read the time, so tests can move it instead of waiting it out. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Whether `value` names an IANA time zone this runtime knows (Europe/Berlin, America/New_York, UTC). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
