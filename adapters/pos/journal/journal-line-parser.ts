import { TextDecoder } from 'node:util';
import { posLaneEventSchema, type PosLaneEvent, type PosLaneEventKind } from '../../../contracts/index.js';
import type { JournalGrammar } from './grammar-schema.js';
import { readNumber } from './number-text.js';
import { compileTimeFormat, readDate, readTime, type TimeFormat } from './time-format.js';
import { epochOfLocal, epochOfTimeNear } from './zoned-time.js';

/** What one journal line turned out to be. Nothing a line contains makes the parser throw. */
export type JournalLineResult =
  | { readonly status: 'event'; readonly event: PosLaneEvent; readonly isPosTimed: boolean }
  | { readonly status: 'ignored'; readonly reason: 'blank' | 'ignored' | 'unmatched' }
  | { readonly status: 'refused'; readonly reason: JournalRefusal; readonly detail: string };

export type JournalRefusal = 'too_long' | 'binary' | 'invalid_value' | 'no_workstation';

export interface JournalLineParserOptions {
  /** The POS clock's zone; overrides the grammar's; UTC when neither names one. */
  readonly timeZone?: string | undefined;
  /** The register this journal belongs to, when its lines do not name it. */
  readonly workstationId?: string | null | undefined;
}

export interface JournalLineCounts {
  lines: number;
  events: number;
  ignored: number;
  unmatched: number;
  refused: number;
}

interface CompiledLine {
  readonly kind: PosLaneEventKind;
  readonly regex: RegExp;
}

/** Context a journal carries from line to line: item lines rarely repeat the transaction's number or operator. */
interface Carry {
  workstationId: string | null;
  sequenceNumber: string | null;
  operatorId: string | null;
}

// C0 controls other than tab, DEL, and U+FFFD (what a latin1/utf8 mismatch leaves) mark binary garbage.
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/;

/**
 * Turns journal lines into lane events with a grammar. Keeps the context of the transaction in progress
 * (register, sequence number, operator), so use one parser per journal stream (per connection).
 */
export class JournalLineParser {
  readonly counts: JournalLineCounts = { lines: 0, events: 0, ignored: 0, unmatched: 0, refused: 0 };
  private readonly lines: CompiledLine[];
  private readonly ignore: RegExp[];
  private readonly dateFormat: TimeFormat;
  private readonly timeFormat: TimeFormat;
  private readonly timeZone: string;
  private readonly carry: Carry;
  private readonly decoder: TextDecoder;

  constructor(readonly grammar: JournalGrammar, options: JournalLineParserOptions = {}) {
    this.lines = grammar.lines.map((l) => ({ kind: l.kind, regex: new RegExp(l.pattern, l.flags) }));
    this.ignore = grammar.ignore.map((l) => new RegExp(l.pattern, l.flags));
    this.dateFormat = compileTimeFormat(grammar.time.dateFormat);
    this.timeFormat = compileTimeFormat(grammar.time.timeFormat);
    this.timeZone = options.timeZone ?? grammar.time.timeZone ?? 'UTC';
    this.carry = { workstationId: options.workstationId ?? null, sequenceNumber: null, operatorId: null };
    this.decoder = new TextDecoder(grammar.encoding === 'latin1' ? 'latin1' : 'utf-8', { fatal: grammar.encoding === 'utf8' });
  }

  /** Decodes a line's bytes in the grammar's encoding (line terminator already removed) and parses it. */
  parseBytes(bytes: Uint8Array, receivedAt: number): JournalLineResult {
    if (bytes.length > this.grammar.maxLineLength * 4) return this.refuse('too_long', `line of ${bytes.length} bytes`);
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      return this.refuse('binary', `line is not valid ${this.grammar.encoding}`);
    }
    return this.parse(text, receivedAt);
  }

  /** Parses one line; `receivedAt` (epoch ms) stamps lines that carry no time and dates times that carry no date. */
  parse(rawLine: string, receivedAt: number): JournalLineResult {
    const line = rawLine.replace(/\r?\n?$/, '');
    if (line.length > this.grammar.maxLineLength) return this.refuse('too_long', `line of ${line.length} characters (limit ${this.grammar.maxLineLength})`);
    if (BINARY.test(line)) return this.refuse('binary', 'line holds NUL, control characters or undecodable bytes');
    this.counts.lines += 1;
    if (line.trim() === '') return this.skip('blank');
    for (const candidate of this.lines) {
      const match = candidate.regex.exec(line);
      if (match) return this.toEvent(candidate.kind, match.groups ?? {}, line, receivedAt);
    }
    if (this.ignore.some((regex) => regex.test(line))) return this.skip('ignored');
    return this.skip('unmatched');
  }

  private toEvent(kind: PosLaneEventKind, groups: Record<string, string | undefined>, line: string, receivedAt: number): JournalLineResult {
    const g = (name: string): string | null => {
      const value = groups[name]?.trim();
      return value === undefined || value === '' ? null : value;
    };
    const time = this.timeOf(g('date'), g('time'), receivedAt);
    if (time === undefined) return this.refuse('invalid_value', `time "${[g('date'), g('time')].filter(Boolean).join(' ')}" does not fit ${this.grammar.time.dateFormat} ${this.grammar.time.timeFormat}`);
    const quantity = this.numberOf(g('qty'));
    const amount = this.numberOf(g('amount'));
    if (quantity === undefined || amount === undefined) return this.refuse('invalid_value', `quantity "${g('qty')}" or amount "${g('amount')}" is not a number`);
    this.remember(kind, g);
    const workstationId = this.carry.workstationId;
    if (workstationId === null) return this.refuse('no_workstation', 'the line names no register and the source has no workstationId');
    const parsed = posLaneEventSchema.safeParse({
      workstationId, kind, posTime: time.at, sequenceNumber: this.carry.sequenceNumber, operatorId: g('operator') ?? this.carry.operatorId,
      itemId: g('item'), description: g('description')?.slice(0, 500) ?? null, quantity, amount, raw: line,
    });
    if (kind === 'transaction_end') this.forgetTransaction();
    if (!parsed.success) return this.refuse('invalid_value', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    this.counts.events += 1;
    return { status: 'event', event: parsed.data, isPosTimed: time.isPosTimed };
  }

  /** Register, sequence number and operator named on a line hold for the lines after it. */
  private remember(kind: PosLaneEventKind, g: (name: string) => string | null): void {
    const workstation = g('workstation');
    if (workstation !== null) this.carry.workstationId = workstation;
    if (kind === 'transaction_start') this.forgetTransaction();
    const seq = g('seq');
    if (seq !== null) this.carry.sequenceNumber = seq;
    // A supervisor override names the supervisor, not the cashier who goes on ringing.
    const operator = g('operator');
    if (operator !== null && kind !== 'supervisor_override') this.carry.operatorId = operator;
  }

  private forgetTransaction(): void {
    this.carry.sequenceNumber = null;
    this.carry.operatorId = null;
  }

  private timeOf(date: string | null, time: string | null, receivedAt: number): { at: number; isPosTimed: boolean } | undefined {
    if (time === null) return { at: receivedAt, isPosTimed: false };
    const clock = readTime(this.timeFormat, time);
    if (!clock) return undefined;
    if (date === null) return { at: epochOfTimeNear(clock, receivedAt, this.timeZone), isPosTimed: true };
    const day = readDate(this.dateFormat, date);
    if (!day) return undefined;
    return { at: epochOfLocal({ ...day, ...clock }, this.timeZone), isPosTimed: true };
  }

  private numberOf(text: string | null): number | null | undefined {
    return text === null ? null : readNumber(text, this.grammar.decimalSeparator);
  }

  private skip(reason: 'blank' | 'ignored' | 'unmatched'): JournalLineResult {
    if (reason === 'unmatched') this.counts.unmatched += 1;
    else this.counts.ignored += 1;
    return { status: 'ignored', reason };
  }

  private refuse(reason: JournalRefusal, detail: string): JournalLineResult {
    if (reason === 'too_long' || reason === 'binary') this.counts.lines += 1;
    this.counts.refused += 1;
    return { status: 'refused', reason, detail };
  }
}
