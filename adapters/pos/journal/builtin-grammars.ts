import { journalGrammarSchema, type JournalGrammar, type JournalGrammarInput } from './grammar-schema.js';

/**
 * Two journal layouts Vigil reads out of the box. They are written for the common shapes of these
 * families, not taken from a vendor's spec: a store whose journal differs copies one into its config
 * (`grammar: { … }`) and adjusts the patterns.
 */

/**
 * A 40-column receipt journal in the style of Toshiba (IBM) 4690 / ACE: a header line per transaction with
 * store, terminal, transaction and operator numbers and the time to the minute; item lines carry no time
 * (so they are stamped with their arrival); a trailing minus marks negative amounts.
 *
 *   #0412 T003 TR4821 OP117  11/24/26 10:15
 *   4006381333931 PEN BLUE 2PK    2@   5.00
 *   VD 012345678905 MILK 2% 1L        1.19-
 *   #0412 T003 TR4821 END    11/24/26 10:16
 */
const ACE_40: JournalGrammarInput = {
  name: 'ace-40',
  description: 'Toshiba/IBM ACE-like 40-column receipt journal: header and trailer lines with time, untimed item lines',
  time: { dateFormat: 'MM/DD/YY', timeFormat: 'HH:mm' },
  lines: [
    { kind: 'transaction_start', pattern: String.raw`^#\d{4} T(?<workstation>\d{3}) TR(?<seq>\d{1,6}) OP(?<operator>\d{1,6}) +(?<date>\d\d/\d\d/\d\d) (?<time>\d\d:\d\d)$` },
    { kind: 'transaction_end', pattern: String.raw`^#\d{4} T(?<workstation>\d{3}) TR(?<seq>\d{1,6}) END +(?<date>\d\d/\d\d/\d\d) (?<time>\d\d:\d\d)$` },
    { kind: 'no_sale', pattern: String.raw`^#\d{4} T(?<workstation>\d{3}) NO SALE OP(?<operator>\d{1,6}) +(?<date>\d\d/\d\d/\d\d) (?<time>\d\d:\d\d)$` },
    { kind: 'void', pattern: String.raw`^VD (?<item>\d{4,14}) +(?<description>\S.{0,30}?) +(?<amount>\d{1,6}\.\d\d-?)$` },
    { kind: 'refund', pattern: String.raw`^RF (?<item>\d{4,14}) +(?<description>\S.{0,30}?) +(?<amount>\d{1,6}\.\d\d-?)$` },
    { kind: 'price_override', pattern: String.raw`^PO (?<item>\d{4,14}) +(?<description>\d{1,6}\.\d\d>\d{1,6}\.\d\d) +(?<amount>\d{1,6}\.\d\d)$` },
    { kind: 'supervisor_override', pattern: String.raw`^SUPV (?<operator>\d{1,6}) OVERRIDE (?<description>\S.{0,30})$` },
    { kind: 'tender', pattern: String.raw`^(?<description>CASH|CHECK|VISA|MASTERCARD|AMEX|DEBIT|GIFT CARD|EBT) +(?<amount>\d{1,6}\.\d\d-?)$` },
    { kind: 'sale', pattern: String.raw`^(?<item>\d{4,14}) +(?<description>\S.{0,30}?) +(?:(?<qty>\d{1,3})@ +)?(?<amount>\d{1,6}\.\d\d-?)$` },
  ],
  ignore: [
    { pattern: String.raw`^ +(SUBTOTAL|TAX \d|\*{4} +BAL DUE) +\d` },
    { pattern: String.raw`^CHANGE +\d` },
    { pattern: String.raw`^ {4,}\S` },
  ],
};

const NCR_TIME = String.raw`(?<time>\d\d:\d\d:\d\d [AP]M)`;
const NCR_STAMP = String.raw`(?<date>\d\d/\d\d/\d{4}) ${NCR_TIME}`;
const NCR_ITEM = String.raw` +(?<item>\d{4,14}) +(?<description>\S.{0,40}?) +(?<qty>\d{1,4}(?:\.\d{1,3})?) X +(?<amount>-?\d{1,7}\.\d\d)$`;

/**
 * An electronic journal in the style of NCR POS: every line starts with a 12-hour time, transaction
 * boundaries are starred lines with the full date, register (REG), transaction (TRX) and cashier (CSH).
 *
 *   *** 11/24/2026 10:15:02 AM REG 03 TRX 0004821 CSH 117 START ***
 *   10:15:07 AM ITEM     4006381333931 PEN BLUE 2PK            2 X      5.00
 *   10:15:30 AM TENDER   CASH                                   5.00
 *   *** 11/24/2026 10:15:40 AM REG 03 TRX 0004821 TOTAL 3.91 END ***
 */
const NCR_EJ: JournalGrammarInput = {
  name: 'ncr-ej',
  description: 'NCR-like electronic journal: every line timed (12-hour clock), starred transaction boundaries',
  time: { dateFormat: 'MM/DD/YYYY', timeFormat: 'hh:mm:ss A' },
  lines: [
    { kind: 'transaction_start', pattern: String.raw`^\*{3} ${NCR_STAMP} REG (?<workstation>\d{1,4}) TRX (?<seq>\d{1,10}) CSH (?<operator>\d{1,8}) START \*{3}$` },
    { kind: 'transaction_end', pattern: String.raw`^\*{3} ${NCR_STAMP} REG (?<workstation>\d{1,4}) TRX (?<seq>\d{1,10}) TOTAL (?<amount>-?\d{1,7}\.\d\d) END \*{3}$` },
    { kind: 'no_sale', pattern: String.raw`^\*{3} ${NCR_STAMP} REG (?<workstation>\d{1,4}) CSH (?<operator>\d{1,8}) NO SALE \*{3}$` },
    { kind: 'sale', pattern: `^${NCR_TIME} ITEM${NCR_ITEM}` },
    { kind: 'void', pattern: `^${NCR_TIME} VOID${NCR_ITEM}` },
    { kind: 'refund', pattern: `^${NCR_TIME} RETURN${NCR_ITEM}` },
    { kind: 'price_override', pattern: String.raw`^${NCR_TIME} PRICE OVR (?<item>\d{4,14}) +(?<description>\S.{0,40}? WAS \d{1,7}\.\d\d) NOW (?<amount>\d{1,7}\.\d\d)$` },
    { kind: 'supervisor_override', pattern: String.raw`^${NCR_TIME} SUPV OVR +MGR (?<operator>\d{1,8}) REASON (?<description>\S.{0,60})$` },
    { kind: 'tender', pattern: String.raw`^${NCR_TIME} TENDER +(?<description>[A-Z][A-Z ]{0,19}?) +(?<amount>-?\d{1,7}\.\d\d)$` },
    { kind: 'drawer_open', pattern: `^${NCR_TIME} DRAWER OPEN$` },
  ],
  ignore: [{ pattern: String.raw`^\d\d:\d\d:\d\d [AP]M (SUBTOTAL|TAX|CHANGE) +-?\d` }],
};

export const BUILTIN_JOURNAL_GRAMMARS: Readonly<Record<string, JournalGrammar>> = Object.freeze({
  'ace-40': journalGrammarSchema.parse(ACE_40),
  'ncr-ej': journalGrammarSchema.parse(NCR_EJ),
});

export const BUILTIN_JOURNAL_GRAMMAR_NAMES = Object.keys(BUILTIN_JOURNAL_GRAMMARS);
