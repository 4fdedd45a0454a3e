import type { PosLaneEvent } from '../../contracts/index.js';

/** One thing the till did, on the scene clock (seconds from the start). */
export interface TillEntry {
  readonly at: number;
  readonly kind: 'transaction_start' | 'sale' | 'tender' | 'transaction_end';
  readonly sequenceNumber: string;
  readonly itemId?: string;
  readonly description?: string;
  readonly amount?: number;
}

export const REGISTER = '03';
const OPERATOR = '117';

const pad2 = (n: number): string => String(n).padStart(2, '0');

function clock(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${pad2(h % 12 === 0 ? 12 : h % 12)}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

function stamp(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${d.getUTCFullYear()} ${clock(ms)}`;
}

/** The entry as an NCR-like electronic journal line (the built-in `ncr-ej` grammar of adapters/pos/journal). */
export function journalLine(entry: TillEntry, startMs: number): string {
  const ms = startMs + Math.round(entry.at * 1000);
  const money = (entry.amount ?? 0).toFixed(2);
  switch (entry.kind) {
    case 'transaction_start':
      return `*** ${stamp(ms)} REG ${REGISTER} TRX ${entry.sequenceNumber} CSH ${OPERATOR} START ***`;
    case 'transaction_end':
      return `*** ${stamp(ms)} REG ${REGISTER} TRX ${entry.sequenceNumber} TOTAL ${money} END ***`;
    case 'sale':
      return `${clock(ms)} ITEM     ${(entry.itemId ?? '').padEnd(13)} ${(entry.description ?? '').padEnd(22).slice(0, 22)}  1 X ${money.padStart(8)}`;
    case 'tender':
      return `${clock(ms)} TENDER   CASH ${money.padStart(40)}`;
  }
}

/** The entry as the plugin's lane POS event (what the journal parser yields for its line). */
export function laneEvent(entry: TillEntry, startMs: number): PosLaneEvent {
  return {
    workstationId: REGISTER,
    kind: entry.kind,
    posTime: startMs + Math.round(entry.at * 1000),
    sequenceNumber: entry.sequenceNumber,
    operatorId: OPERATOR,
    itemId: entry.itemId ?? null,
    description: entry.description ?? null,
    quantity: entry.kind === 'sale' ? 1 : null,
    amount: entry.amount ?? null,
    raw: journalLine(entry, startMs),
  };
}
