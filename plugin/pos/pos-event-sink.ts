import type { PosLaneEvent } from '../../contracts/index.js';

/**
 * How a source's event came by its time: `pos` when posTime is the POS clock (printed on the line or in the
 * document), `received` when the source carried no time and posTime is the moment it arrived (plugin clock).
 * `isScanPrecise` says posTime is the moment of the scan itself (a timed journal item line), so the lane's
 * clock offset may be learned from it.
 */
export interface PosEventMeta {
  readonly timeBase: 'pos' | 'received';
  readonly isScanPrecise: boolean;
  readonly receivedAt: number;
  readonly source: string;
}

/** Where sources deliver events; answers whether the event's workstation is bound to a lane. */
export interface PosEventSink {
  accept(event: PosLaneEvent, meta: PosEventMeta): boolean;
}
