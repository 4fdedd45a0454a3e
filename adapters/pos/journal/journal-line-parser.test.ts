import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_JOURNAL_GRAMMARS, JournalLineParser, journalGrammarSchema, type JournalGrammar, type JournalLineResult } from './index.js';
import { ACE_40_JOURNAL, NCR_EJ_JOURNAL } from './journal-fixtures.js';

function grammar(name: string): JournalGrammar {
  const found = BUILTIN_JOURNAL_GRAMMARS[name];
  assert.ok(found, `built-in grammar ${name}`);
  return found;
}

function events(results: JournalLineResult[]) {
  return results.flatMap((r) => (r.status === 'event' ? [r.event] : []));
}

test('ace-40 journal: header times, untimed items stamped on arrival, trailing minus, context carried', () => {
  const parser = new JournalLineParser(grammar('ace-40'), { timeZone: 'UTC' });
  const receivedAt = Date.UTC(2026, 10, 24, 10, 15, 30);
  const results = ACE_40_JOURNAL.split(/\r?\n/).map((line) => parser.parse(line, receivedAt));
  const evs = events(results);
  assert.deepEqual(evs.map((e) => e.kind), [
    'transaction_start', 'sale', 'sale', 'void', 'price_override', 'supervisor_override', 'tender', 'transaction_end',
    'no_sale', 'transaction_start', 'refund', 'supervisor_override', 'tender', 'transaction_end',
  ]);
  const [start, pen, milk, voided, override, supv] = evs;
  assert.equal(start?.posTime, Date.UTC(2026, 10, 24, 10, 15));
  assert.deepEqual([start?.workstationId, start?.sequenceNumber, start?.operatorId], ['003', '4821', '117']);
  assert.deepEqual([pen?.itemId, pen?.description, pen?.quantity, pen?.amount, pen?.posTime], ['4006381333931', 'PEN BLUE 2PK', 2, 5, receivedAt]);
  assert.deepEqual([milk?.sequenceNumber, milk?.operatorId, milk?.quantity], ['4821', '117', null]);
  assert.equal(voided?.amount, -1.19);
  assert.deepEqual([override?.description, override?.amount], ['2.50>1.99', 1.99]);
  assert.equal(supv?.operatorId, '901', 'a supervisor override names the supervisor');
  assert.equal(evs[6]?.operatorId, '117', 'the cashier goes on ringing after the override');
  assert.equal(evs[8]?.sequenceNumber, null, 'the no-sale stands outside a transaction');
  assert.equal(evs[10]?.amount, -24.99);
  assert.deepEqual(parser.counts, { lines: 21, events: 14, ignored: 7, unmatched: 0, refused: 0 });
  assert.equal(results.filter((r) => r.status === 'event' && r.isPosTimed).length, 5);
});

test('ncr-ej journal: every line timed on a 12-hour clock in the store zone, dates from the nearest day', () => {
  const parser = new JournalLineParser(grammar('ncr-ej'), { timeZone: 'America/New_York' });
  const receivedAt = Date.parse('2026-11-24T15:15:40Z');
  const evs = events(NCR_EJ_JOURNAL.split('\n').map((line) => parser.parse(line, receivedAt)));
  assert.deepEqual(evs.map((e) => e.kind), [
    'transaction_start', 'sale', 'sale', 'void', 'price_override', 'supervisor_override', 'tender', 'drawer_open', 'transaction_end',
    'no_sale', 'drawer_open', 'transaction_start', 'refund', 'supervisor_override', 'tender', 'transaction_end',
  ]);
  assert.equal(evs[0]?.posTime, Date.parse('2026-11-24T15:15:02Z'), 'EST is UTC-5 in November');
  assert.equal(evs[1]?.posTime, Date.parse('2026-11-24T15:15:07Z'));
  assert.deepEqual([evs[1]?.workstationId, evs[1]?.sequenceNumber, evs[1]?.quantity, evs[1]?.amount], ['03', '0004821', 2, 5]);
  assert.equal(evs[3]?.amount, -1.19);
  assert.equal(evs[4]?.description, 'PEN BLUE 2PK WAS 2.50');
  assert.equal(evs[8]?.amount, 3.91);
  assert.equal(evs[10]?.operatorId, '117', 'the drawer opened by the no-sale keeps its cashier');
  assert.equal(evs[12]?.posTime, Date.parse('2026-11-24T17:20:05Z'), '12:20 PM');
  assert.equal(parser.counts.unmatched, 0);
  assert.equal(parser.counts.ignored, 4, 'subtotal, tax, change and the blank line after the last newline');
});

test('a time without a date near midnight resolves to the adjacent day', () => {
  const parser = new JournalLineParser(grammar('ncr-ej'), { timeZone: 'UTC', workstationId: '7' });
  const result = parser.parse('11:59:58 PM DRAWER OPEN', Date.UTC(2026, 10, 25, 0, 0, 3));
  assert.equal(result.status, 'event');
  assert.equal(result.status === 'event' ? result.event.posTime : 0, Date.UTC(2026, 10, 24, 23, 59, 58));
});

test('garbage, NUL bytes, over-long lines, bad numbers and missing registers are refused and counted, never thrown', () => {
  const parser = new JournalLineParser(grammar('ncr-ej'), { timeZone: 'UTC' });
  const now = Date.UTC(2026, 10, 24, 10, 0);
  const reasons = [
    '10:15:07 AM ITEM 4006381333931 PEN\u0000 2 X 5.00',
    '\u001b@\u001b!\u0010garbage',
    `10:15:07 AM ITEM 123456 ${'X'.repeat(2100)} 1 X 1.00`,
    '10:15:31 AM DRAWER OPEN',
    '*** 13/45/2026 10:15:02 AM REG 03 TRX 1 CSH 117 START ***',
    'hello world',
  ].map((line) => parser.parse(line, now)).map((r) => (r.status === 'ignored' ? r.reason : r.status === 'refused' ? r.reason : r.status));
  assert.deepEqual(reasons, ['binary', 'binary', 'too_long', 'no_workstation', 'invalid_value', 'unmatched']);
  assert.deepEqual(parser.counts, { lines: 6, events: 0, ignored: 0, unmatched: 1, refused: 5 });
  assert.equal(parser.parseBytes(Buffer.from([0x31, 0xff, 0xfe, 0x32]), now).status, 'refused');
});

test('latin1 journals decode byte for byte; comma decimals read as numbers', () => {
  const g = journalGrammarSchema.parse({
    name: 'euro', encoding: 'latin1', decimalSeparator: ',',
    lines: [{ kind: 'sale', pattern: String.raw`^(?<item>\d+) (?<description>.+?) +(?<amount>[\d.]+,\d\d)$` }],
  });
  const parser = new JournalLineParser(g, { workstationId: 'K1' });
  const result = parser.parseBytes(Buffer.from('4711 Kölsch 0,5l  1.234,50', 'latin1'), 0);
  assert.equal(result.status, 'event');
  if (result.status === 'event') assert.deepEqual([result.event.description, result.event.amount], ['Kölsch 0,5l', 1234.5]);
});

test('user patterns are validated at load: compile errors, unknown groups, catastrophic shapes, bad flags, bad formats', () => {
  const issues = (input: unknown): string[] => {
    const parsed = journalGrammarSchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const base = { name: 'x', lines: [{ kind: 'sale', pattern: '^(?<item>\\d+)$' }] };
  assert.deepEqual(issues(base), []);
  assert.match(issues({ ...base, lines: [{ kind: 'sale', pattern: '^(?<item>\\d+' }] }).join(), /lines\.0\.pattern: .*does not compile/);
  assert.match(issues({ ...base, lines: [{ kind: 'sale', pattern: '^(?<sku>\\d+)$' }] }).join(), /unknown capture group \(\?<sku>\)/);
  assert.match(issues({ ...base, lines: [{ kind: 'sale', pattern: '^(\\w+\\s?)*$' }] }).join(), /catastrophically/);
  assert.match(issues({ ...base, lines: [{ kind: 'sale', pattern: '^(a|.+)+x' }] }).join(), /catastrophically/);
  assert.match(issues({ ...base, lines: [{ kind: 'sale', pattern: 'a', flags: 'g' }] }).join(), /flags "g"/);
  assert.match(issues({ ...base, lines: [{ kind: 'sale', pattern: '(?<date>\\S+)' }] }).join(), /needs a \(\?<time>\)/);
  assert.match(issues({ ...base, time: { timeFormat: 'hh:mm' } }).join(), /time\.timeFormat: .*without A/);
  assert.match(issues({ ...base, time: { dateFormat: 'DD.MM' } }).join(), /no year/);
  assert.match(issues({ ...base, time: { timeZone: 'Mars/Olympus' } }).join(), /IANA/);
  assert.match(issues({ ...base, lines: [{ kind: 'refund_all', pattern: 'a' }] }).join(), /lines\.0\.kind/);
});

test('POS times are read in the store zone across DST: summer and winter offsets, the repeated autumn hour', () => {
  const at = (date: string, time: string): number | undefined => {
    const parser = new JournalLineParser(grammar('ncr-ej'), { timeZone: 'Europe/Berlin' });
    const result = parser.parse(`*** ${date} ${time} REG 03 TRX 1 CSH 117 START ***`, 0);
    return result.status === 'event' ? result.event.posTime : undefined;
  };
  assert.equal(at('07/01/2026', '12:00:00 PM'), Date.parse('2026-07-01T10:00:00Z'), 'CEST, UTC+2');
  assert.equal(at('12/01/2026', '12:00:00 AM'), Date.parse('2026-11-30T23:00:00Z'), 'midnight, CET, UTC+1');
  assert.equal(at('10/25/2026', '02:30:00 AM'), Date.parse('2026-10-25T00:30:00Z'), 'the first 02:30 of the night the clocks go back');
  assert.equal(at('03/29/2026', '02:30:00 AM'), Date.parse('2026-03-29T01:30:00Z'), 'a register not yet switched to summer time reads as winter time');
});
