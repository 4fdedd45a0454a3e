import { z } from 'zod';
import { isTimeZone, posLaneEventKindSchema } from '../../../contracts/index.js';
import { patternProblem } from './pattern-guard.js';
import { compileTimeFormat, dateFormatProblem, timeFormatProblem } from './time-format.js';

/** The longest journal line any grammar may accept; longer lines are refused before a pattern runs. */
export const MAX_JOURNAL_LINE_LENGTH = 2000;

const patternText = z.string().min(1).max(500).describe('JavaScript regular expression (no slashes) with named capture groups');
const flagsText = z.string().max(4).default('').describe('Regex flags: any of i, m, s, u (never g or y: patterns keep no state)');

const linePatternSchema = z.strictObject({
  kind: posLaneEventKindSchema.describe('The event a matching line is'),
  pattern: patternText,
  flags: flagsText,
});

const ignorePatternSchema = z.strictObject({ pattern: patternText, flags: flagsText });

const timeSchema = z
  .strictObject({
    dateFormat: z.string().min(2).max(40).default('YYYY-MM-DD').describe('How a (?<date>) group is written: tokens YYYY YY MM M DD D'),
    timeFormat: z.string().min(2).max(40).default('HH:mm:ss').describe('How a (?<time>) group is written: tokens HH H hh h mm ss SSS A'),
    timeZone: z.string().min(1).max(64).refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Berlin)').optional()
      .describe("The POS clock's zone; the source may override it; UTC when neither names one"),
  })
  .superRefine((time, ctx) => {
    const dateProblem = formatProblem(time.dateFormat, dateFormatProblem);
    if (dateProblem) ctx.addIssue({ code: 'custom', path: ['dateFormat'], message: dateProblem });
    const timeProblem = formatProblem(time.timeFormat, timeFormatProblem);
    if (timeProblem) ctx.addIssue({ code: 'custom', path: ['timeFormat'], message: timeProblem });
  });

function formatProblem(format: string, check: (f: ReturnType<typeof compileTimeFormat>) => string | undefined): string | undefined {
  try {
    return check(compileTimeFormat(format));
  } catch (cause) {
    return cause instanceof Error ? cause.message : String(cause);
  }
}

/**
 * A POS model's journal, line by line: ordered patterns (first match wins) that turn a printed line into
 * a lane event, patterns of lines to skip quietly (totals, tax, headers), and how times are written.
 */
export const journalGrammarSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _').describe('Name of the grammar, for logs and health'),
    description: z.string().max(500).optional().describe('Which POS and journal layout this grammar reads'),
    lines: z.array(linePatternSchema).min(1).max(64).describe('Event patterns, tried in order; the first that matches decides'),
    ignore: z.array(ignorePatternSchema).max(64).default([]).describe('Lines known to carry no event (tried after `lines`): counted as ignored, not unmatched'),
    time: timeSchema.default({ dateFormat: 'YYYY-MM-DD', timeFormat: 'HH:mm:ss' }),
    decimalSeparator: z.enum(['.', ',']).default('.').describe('Decimal separator of amounts and quantities; the other one is a thousands separator'),
    encoding: z.enum(['utf8', 'latin1']).default('utf8').describe('Byte encoding of the journal stream; utf8 lines that do not decode are bad lines'),
    maxLineLength: z.number().int().min(40).max(MAX_JOURNAL_LINE_LENGTH).default(MAX_JOURNAL_LINE_LENGTH).describe('Longer lines are refused unread'),
  })
  .superRefine((grammar, ctx) => {
    const check = (pattern: string, flags: string, path: (string | number)[]): void => {
      const problem = patternProblem(pattern, flags, grammar.maxLineLength);
      if (problem) ctx.addIssue({ code: 'custom', path, message: `pattern /${pattern}/ ${problem}` });
    };
    grammar.lines.forEach((line, i) => check(line.pattern, line.flags, ['lines', i, 'pattern']));
    grammar.ignore.forEach((line, i) => check(line.pattern, line.flags, ['ignore', i, 'pattern']));
  })
  .describe('Journal line grammar of one POS model');

export type JournalGrammar = z.output<typeof journalGrammarSchema>;
export type JournalGrammarInput = z.input<typeof journalGrammarSchema>;
