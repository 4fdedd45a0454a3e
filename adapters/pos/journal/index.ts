/**
 * Journal lines as POS registers print them (receipt journals, electronic journals), read with a grammar
 * per POS model: ordered regular expressions with named groups, validated at config load.
 *
 *   const grammar = journalGrammarSchema.parse(config);              // or BUILTIN_JOURNAL_GRAMMARS['ncr-ej']
 *   const parser = new JournalLineParser(grammar, { timeZone: 'America/Chicago', workstationId: '3' });
 *   const result = parser.parse(line, Date.now());                   // event | ignored | refused, never throws
 */
export { journalGrammarSchema, MAX_JOURNAL_LINE_LENGTH, type JournalGrammar, type JournalGrammarInput } from './grammar-schema.js';
export { JournalLineParser, type JournalLineResult, type JournalRefusal, type JournalLineParserOptions, type JournalLineCounts } from './journal-line-parser.js';
export { BUILTIN_JOURNAL_GRAMMARS, BUILTIN_JOURNAL_GRAMMAR_NAMES } from './builtin-grammars.js';
export { JOURNAL_CAPTURE_GROUPS, type JournalCaptureGroup } from './pattern-guard.js';
export { epochOfLocal, epochOfTimeNear, type LocalDateTime } from './zoned-time.js';
export { readNumber } from './number-text.js';
