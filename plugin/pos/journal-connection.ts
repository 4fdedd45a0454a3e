import type { Socket } from 'node:net';
import { JournalLineParser, type JournalGrammar, type JournalLineResult } from '../../adapters/pos/journal/index.js';
import { LineSplitter, type SplitItem } from './line-splitter.js';
import type { PosEventSink } from './pos-event-sink.js';
import type { SourceStats } from './source-stats.js';

export interface JournalConnectionOptions {
  readonly grammar: JournalGrammar;
  readonly timeZone: string | undefined;
  readonly workstationId: string | undefined;
  readonly sink: PosEventSink;
  readonly stats: SourceStats;
  readonly clock: () => number;
}

/**
 * Reads one journal stream from a socket: bytes to lines to events, each line counted. Nothing a peer sends
 * makes it throw; a socket error ends this connection only. An unterminated last line is kept when the peer
 * closed cleanly and counted as `truncated` when the connection broke.
 */
export function readJournal(socket: Socket, options: JournalConnectionOptions): Promise<void> {
  const { grammar, stats, clock } = options;
  const parser = new JournalLineParser(grammar, { timeZone: options.timeZone, workstationId: options.workstationId });
  const splitter = new LineSplitter(grammar.maxLineLength * (grammar.encoding === 'utf8' ? 4 : 1));
  const handle = (items: SplitItem[]): void => {
    for (const item of items) handleItem(item, parser, options, clock());
  };
  return new Promise((resolve) => {
    let isEnded = false;
    socket.on('data', (chunk: Buffer) => handle(splitter.push(chunk)));
    socket.on('end', () => {
      isEnded = true;
      handle(splitter.finish());
    });
    socket.on('error', (error) => stats.error(`${socket.remoteAddress ?? 'peer'}: ${error.message}`));
    socket.on('close', () => {
      if (!isEnded && splitter.heldBytes > 0) stats.refuse('truncated');
      resolve();
    });
  });
}

function handleItem(item: SplitItem, parser: JournalLineParser, options: JournalConnectionOptions, now: number): void {
  const result: JournalLineResult = item.kind === 'overflow'
    ? { status: 'refused', reason: 'too_long', detail: `line of ${item.bytes} bytes` }
    : parser.parseBytes(item.bytes, now);
  options.stats.lineResult(result, now);
  if (result.status !== 'event') return;
  const isBound = options.sink.accept(result.event, {
    timeBase: result.isPosTimed ? 'pos' : 'received',
    isScanPrecise: result.isPosTimed,
    receivedAt: now,
    source: options.stats.name,
  });
  options.stats.event(now, result.event.workstationId, isBound);
}
