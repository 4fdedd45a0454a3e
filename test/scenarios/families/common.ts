import { makeLayout, type Layout } from '../layout.js';
import { Rng, seedFor } from '../prng.js';
import { LANE, T0, type Actor, type PosScript, type Scenario, type ScenarioRequest, type TruthEvent } from '../world.js';

/** What a family starts from: its own random generator, a random lane geometry and a start time. */
export interface Draft {
  readonly req: ScenarioRequest;
  readonly rng: Rng;
  readonly layout: Layout;
  readonly start: number;
  /** Even scenarios are positives, odd ones negatives: every run of N mixes both. */
  readonly positive: boolean;
}

export function draft(req: ScenarioRequest): Draft {
  const rng = new Rng(seedFor(req.seed, req.rule, req.index));
  return { req, rng, layout: makeLayout(rng.fork()), start: T0 + req.index * 3_600_000, positive: req.index % 2 === 0 };
}

export interface Parts {
  readonly variant: string;
  readonly actors: readonly Actor[];
  readonly pos: readonly PosScript[];
  readonly truth: readonly Omit<TruthEvent, 'rule'>[];
  readonly end: number;
  readonly keypoints?: boolean;
  /** Null for an exit camera bound to no lane. */
  readonly laneId?: string | null;
}

export function finish(d: Draft, parts: Parts): Scenario {
  const { req } = d;
  return {
    name: `${req.rule}#${req.index} ${parts.variant}`,
    rule: req.rule,
    variant: parts.variant,
    seed: seedFor(req.seed + 1, req.rule, req.index),
    layout: d.layout,
    actors: parts.actors,
    pos: [...parts.pos].sort((a, b) => a.at - b.at),
    truth: parts.truth.map((t) => ({ ...t, rule: req.rule })),
    start: d.start,
    end: parts.end,
    keypoints: parts.keypoints ?? false,
    laneId: parts.laneId === null ? undefined : (parts.laneId ?? LANE),
  };
}

/** Random unrelated POS lines (price overrides) a parser may refuse, to thicken the stream. */
export function noiseLines(d: Draft, from: number, to: number): PosScript[] {
  const n = d.rng.int(0, 3);
  return Array.from({ length: n }, () => ({ at: d.rng.range(from, to), kind: 'price_override' as const, laneId: LANE, sequenceNumber: null, itemId: null, amount: null, droppable: true }));
}

export const SECOND = 1000;
