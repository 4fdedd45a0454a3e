import type { JournalLineResult } from '../../adapters/pos/journal/index.js';

export type PosSourceType = 'tcp_listen' | 'tcp_connect' | 'http';

/** A source's health: whether it can receive, what arrived, what was refused and why. */
export interface PosSourceHealth {
  readonly name: string;
  readonly type: PosSourceType;
  /** Listening (tcp_listen, http) or connected (tcp_connect). */
  readonly isUp: boolean;
  /** Open TCP connections (journal sources). */
  readonly connections: number;
  readonly address: string | null;
  readonly lastReceivedAt: number | null;
  readonly lastEventAt: number | null;
  /** Journal lines read (tcp), transactions accepted (http). */
  readonly received: number;
  readonly events: number;
  /** Blank lines and lines the grammar ignores on purpose. */
  readonly ignored: number;
  /** Lines no pattern of the grammar matched: many of them mean the grammar does not fit the journal. */
  readonly unmatched: number;
  /** Lines or requests refused, by reason (binary, too_long, invalid_value, no_workstation, truncated, or an HTTP error code). */
  readonly refused: Readonly<Record<string, number>>;
  readonly badInputs: number;
  /** Events of registers bound to no lane, by workstationId. */
  readonly unknownWorkstations: Readonly<Record<string, number>>;
  readonly disconnects: number;
  readonly lastError: string | null;
}

const bump = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Counters behind a source's health; sources call it, `snapshot` reports it. */
export class SourceStats {
  isUp = false;
  connections = 0;
  address: string | null = null;
  lastReceivedAt: number | null = null;
  lastEventAt: number | null = null;
  received = 0;
  events = 0;
  ignored = 0;
  unmatched = 0;
  badInputs = 0;
  disconnects = 0;
  lastError: string | null = null;
  private readonly refused: Record<string, number> = {};
  private readonly unknown: Record<string, number> = {};

  constructor(readonly name: string, readonly type: PosSourceType, private readonly onChange: () => void) {}

  lineResult(result: JournalLineResult, at: number): void {
    this.lastReceivedAt = at;
    this.received += 1;
    if (result.status === 'ignored') {
      if (result.reason === 'unmatched') this.unmatched += 1;
      else this.ignored += 1;
    } else if (result.status === 'refused') this.refuse(result.reason);
    this.changed();
  }

  refuse(reason: string): void {
    bump(this.refused, reason);
    this.badInputs += 1;
    this.changed();
  }

  event(at: number, workstationId: string, isBound: boolean): void {
    this.events += 1;
    this.lastEventAt = at;
    if (!isBound) bump(this.unknown, workstationId);
    this.changed();
  }

  error(message: string): void {
    this.lastError = message;
    this.changed();
  }

  changed(): void {
    this.onChange();
  }

  snapshot(): PosSourceHealth {
    return {
      name: this.name, type: this.type, isUp: this.isUp, connections: this.connections, address: this.address,
      lastReceivedAt: this.lastReceivedAt, lastEventAt: this.lastEventAt, received: this.received, events: this.events,
      ignored: this.ignored, unmatched: this.unmatched, refused: { ...this.refused }, badInputs: this.badInputs,
      unknownWorkstations: { ...this.unknown }, disconnects: this.disconnects, lastError: this.lastError,
    };
  }
}
