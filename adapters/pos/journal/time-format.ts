/**
 * Date and time formats of journal lines, written with tokens (`MM/DD/YY`, `hh:mm A`, `HH:mm:ss`):
 * YYYY YY MM M DD D (date), HH H hh h mm ss SSS A (time, A = AM/PM); every other character is literal.
 */
const TOKENS: Record<string, { field: string; pattern: string }> = {
  YYYY: { field: 'year', pattern: '\\d{4}' },
  YY: { field: 'year2', pattern: '\\d{2}' },
  MM: { field: 'month', pattern: '\\d{2}' },
  M: { field: 'month', pattern: '\\d{1,2}' },
  DD: { field: 'day', pattern: '\\d{2}' },
  D: { field: 'day', pattern: '\\d{1,2}' },
  HH: { field: 'hour', pattern: '\\d{2}' },
  H: { field: 'hour', pattern: '\\d{1,2}' },
  hh: { field: 'hour12', pattern: '\\d{2}' },
  h: { field: 'hour12', pattern: '\\d{1,2}' },
  mm: { field: 'minute', pattern: '\\d{2}' },
  ss: { field: 'second', pattern: '\\d{2}' },
  SSS: { field: 'millisecond', pattern: '\\d{3}' },
  A: { field: 'meridiem', pattern: '[AaPp]\\.?[Mm]\\.?' },
};
const TOKEN_NAMES = Object.keys(TOKENS).sort((a, b) => b.length - a.length);

export interface TimeFormat {
  readonly source: string;
  readonly regex: RegExp;
  readonly fields: ReadonlySet<string>;
}

const escape = (ch: string): string => ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Compiles a format into an anchored regex with one named group per field; duplicate fields are refused. */
export function compileTimeFormat(format: string): TimeFormat {
  let pattern = '';
  const fields = new Set<string>();
  for (let i = 0; i < format.length; ) {
    const name = TOKEN_NAMES.find((t) => format.startsWith(t, i));
    if (name === undefined) {
      pattern += /\s/.test(format.charAt(i)) ? '\\s+' : escape(format.charAt(i));
      i += 1;
      continue;
    }
    const token = TOKENS[name];
    if (token === undefined) throw new Error(`unknown token ${name}`);
    if (fields.has(token.field)) throw new Error(`format "${format}" names the ${token.field} twice`);
    fields.add(token.field);
    pattern += `(?<${token.field}>${token.pattern})`;
    i += name.length;
  }
  return { source: format, regex: new RegExp(`^${pattern}$`), fields };
}

export type DateFields = { readonly year: number; readonly month: number; readonly day: number };
export type TimeFields = { readonly hour: number; readonly minute: number; readonly second: number; readonly millisecond: number };

function groupsOf(format: TimeFormat, text: string): Record<string, string> | undefined {
  const match = format.regex.exec(text.trim());
  return match?.groups === undefined ? undefined : { ...match.groups };
}

/** The date a text shows in `format`, or undefined when it does not fit or is no calendar date. */
export function readDate(format: TimeFormat, text: string): DateFields | undefined {
  const g = groupsOf(format, text);
  if (!g) return undefined;
  const year = g['year'] !== undefined ? Number(g['year']) : 2000 + Number(g['year2'] ?? Number.NaN);
  const month = Number(g['month']);
  const day = Number(g['day']);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

function hourOf(g: Record<string, string>): number {
  if (g['hour'] !== undefined) return Number(g['hour']);
  const hour12 = Number(g['hour12']);
  if (!(hour12 >= 1 && hour12 <= 12)) return Number.NaN;
  const isPm = /^p/i.test(g['meridiem'] ?? '');
  return (hour12 % 12) + (isPm ? 12 : 0);
}

/** The time of day a text shows in `format`, or undefined when it does not fit or is out of range. */
export function readTime(format: TimeFormat, text: string): TimeFields | undefined {
  const g = groupsOf(format, text);
  if (!g) return undefined;
  const hour = hourOf(g);
  const minute = Number(g['minute'] ?? 0);
  const second = Number(g['second'] ?? 0);
  const millisecond = Number(g['millisecond'] ?? 0);
  if (!(hour >= 0 && hour < 24 && minute < 60 && second < 60)) return undefined;
  return { hour, minute, second, millisecond };
}

/** Why a format cannot be used as a time-of-day format, or undefined when it can. */
export function timeFormatProblem(format: TimeFormat): string | undefined {
  const f = format.fields;
  if (!f.has('hour') && !f.has('hour12')) return `time format "${format.source}" has no hour (HH, H, hh or h)`;
  if (f.has('hour') && f.has('hour12')) return `time format "${format.source}" names the hour twice`;
  if (f.has('hour12') && !f.has('meridiem')) return `time format "${format.source}" uses a 12-hour clock (hh) without A (AM/PM)`;
  if (!f.has('minute')) return `time format "${format.source}" has no minute (mm)`;
  return undefined;
}

/** Why a format cannot be used as a date format, or undefined when it can. */
export function dateFormatProblem(format: TimeFormat): string | undefined {
  const f = format.fields;
  if (!f.has('year') && !f.has('year2')) return `date format "${format.source}" has no year (YYYY or YY)`;
  if (f.has('year') && f.has('year2')) return `date format "${format.source}" names the year twice`;
  if (!f.has('month') || !f.has('day')) return `date format "${format.source}" needs a month (MM) and a day (DD)`;
  return undefined;
}
