import { AppError } from '../../contracts/index.js';
import { epochOfLocal } from '../../adapters/pos/journal/index.js';

const HAS_OFFSET = /(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

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
  const millisecond = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  // DST-correct: a time that occurs twice reads as the first, one skipped in spring with the offset before the change.
  return new Date(epochOfLocal({ year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s ?? 0), millisecond }, timeZone));
}

export const hasUtcOffset = (value: string | null): boolean => value !== null && HAS_OFFSET.test(value);
