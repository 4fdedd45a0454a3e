import type { LanePosEvent } from '../../contracts/index.js';
import type { Rng } from './prng.js';
import type { PosScript } from './world.js';

/** How the POS feed misbehaves in one scenario. */
export interface PosFaults {
  /** POS clock minus camera clock, ms (up to ±90 s). */
  readonly offsetMs: number;
  /** The plugin's offset estimate minus the true offset, ms (up to ±1 s). */
  readonly residualMs: number;
  /** The POS clock's resolution, ms: many journals stamp whole seconds. */
  readonly resolutionMs: number;
  /** Share of droppable lines the parser refused. */
  readonly dropRate: number;
  /** Share of lines delivered twice. */
  readonly duplicateRate: number;
  /** Share of lines delivered a few seconds late (so out of order). */
  readonly lateRate: number;
  /** A disconnect: nothing arrives in [from, to); what was sent meanwhile arrives at `to`, at once. */
  readonly outage: { readonly from: number; readonly to: number } | undefined;
}

export interface PosDelivery {
  readonly deliverAt: number;
  readonly event: LanePosEvent;
}

export const NO_FAULTS: PosFaults = { offsetMs: 0, residualMs: 0, resolutionMs: 1, dropRate: 0, duplicateRate: 0, lateRate: 0, outage: undefined };

/** Random faults for a scenario running from `start` to `end`. */
export function randomFaults(rng: Rng, start: number, end: number): PosFaults {
  const outageFrom = rng.range(start, end);
  return {
    offsetMs: Math.round(rng.jitter(90_000)),
    residualMs: Math.round(rng.jitter(1000)),
    resolutionMs: rng.chance(0.5) ? 1000 : 1,
    dropRate: 0.15,
    duplicateRate: 0.05,
    lateRate: 0.2,
    outage: rng.chance(0.25) ? { from: outageFrom, to: outageFrom + rng.range(3000, 15_000) } : undefined,
  };
}

function laneEvent(script: PosScript, faults: PosFaults, seq: number): LanePosEvent {
  const posTime = Math.floor(Math.round(script.at + faults.offsetMs) / faults.resolutionMs) * faults.resolutionMs;
  return {
    workstationId: script.laneId === 'lane-1' ? 'POS01' : `POS-${script.laneId}`,
    kind: script.kind,
    posTime,
    sequenceNumber: script.sequenceNumber,
    operatorId: 'op-17',
    itemId: script.itemId,
    description: script.itemId === null ? null : `item ${script.itemId}`,
    quantity: script.kind === 'sale' || script.kind === 'void' || script.kind === 'refund' ? 1 : null,
    amount: script.amount,
    raw: `#${seq} ${script.kind}`,
    laneId: script.laneId,
    // The plugin corrects posTime by its estimate of the offset, which is off by the residual.
    at: posTime - (faults.offsetMs + faults.residualMs),
  };
}

function deliveryTime(rng: Rng, sentAt: number, faults: PosFaults): number {
  const latency = rng.chance(faults.lateRate) ? rng.range(1000, 4000) : rng.range(50, 400);
  const arrives = sentAt + latency;
  const { outage } = faults;
  return outage !== undefined && arrives >= outage.from && arrives < outage.to ? outage.to + rng.range(0, 50) : arrives;
}

/** What the plugin hears: lines converted to the camera clock, some lost, some twice, late, shuffled, held in an outage. */
export function deliver(script: readonly PosScript[], faults: PosFaults, rng: Rng): PosDelivery[] {
  const out: PosDelivery[] = [];
  script.forEach((line, i) => {
    if (line.droppable === true && rng.chance(faults.dropRate)) return;
    const event = laneEvent(line, faults, i);
    out.push({ deliverAt: deliveryTime(rng, line.at, faults), event });
    if (rng.chance(faults.duplicateRate)) out.push({ deliverAt: deliveryTime(rng, line.at, faults) + 200, event: { ...event } });
  });
  return out.sort((a, b) => a.deliverAt - b.deliverAt);
}
