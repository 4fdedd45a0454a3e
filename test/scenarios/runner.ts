import type { Keypoint, Rule, RuleHit } from '../../plugin/rules/index.js';
import { boxIou, ByteTracker, ZoneDwellTracker, type Box, type Track } from '../../plugin/tracking/index.js';
import { deliver, randomFaults, NO_FAULTS, type PosFaults } from './pos-stream.js';
import { Rng } from './prng.js';
import { keypointsOf, render, trueBox, type DetectorNoise } from './render.js';
import { FPS, FRAME, type Actor, type Scenario } from './world.js';

export interface RunOptions {
  /** Simulate a perfect POS feed (no offset, losses, lateness or outage), for telling POS faults from vision. */
  readonly cleanPos?: boolean;
}

export interface RunResult {
  readonly hits: readonly RuleHit[];
  readonly frames: number;
  readonly faults: PosFaults;
}

const toPixels = (b: Box): Box => [b[0] * FRAME.width, b[1] * FRAME.height, b[2] * FRAME.width, b[3] * FRAME.height];

/** The confirmed person track that best covers a person actor this frame. */
function trackOf(actor: Actor, t: number, tracks: readonly Track[]): Track | undefined {
  const anchor = actor.at(t);
  if (anchor === undefined) return undefined;
  const box = toPixels(trueBox(actor, anchor));
  let best: Track | undefined;
  let bestIou = 0.3;
  for (const track of tracks) {
    const iou = track.label === actor.label && track.state === 'confirmed' ? boxIou(track.box, box) : 0;
    if (iou > bestIou) [best, bestIou] = [track, iou];
  }
  return best;
}

function keypointMap(scenario: Scenario, t: number, tracks: readonly Track[], rng: Rng): Map<number, readonly Keypoint[]> {
  const map = new Map<number, readonly Keypoint[]>();
  for (const actor of scenario.actors.filter((a) => a.kind === 'person')) {
    const track = trackOf(actor, t, tracks);
    const points = keypointsOf(actor, t, rng);
    if (track !== undefined && points !== undefined) map.set(track.id, points);
  }
  return map;
}


/** A detector as good as a typical one on a typical camera, a little better or worse per scenario. */
function detectorNoise(rng: Rng): DetectorNoise {
  return { missRate: rng.range(0.02, 0.1), lowScoreRate: rng.range(0.02, 0.08), jitter: rng.range(0.02, 0.04), ghostRate: 0.02 };
}

/** Renders the scenario frame by frame through the real tracker and zone tracker into the rule. */
export function runScenario(scenario: Scenario, rule: Rule, options: RunOptions = {}): RunResult {
  const rng = new Rng(scenario.seed ^ 0x5bd1e995);
  const posRng = rng.fork();
  const faults = options.cleanPos === true ? NO_FAULTS : randomFaults(posRng, scenario.start, scenario.end);
  const deliveries = deliver(scenario.pos, faults, posRng);
  const noise = detectorNoise(rng);
  const tracker = new ByteTracker();
  const dwell = new ZoneDwellTracker(scenario.layout.zones);
  const hits: RuleHit[] = [];
  const step = 1000 / FPS;
  let next = 0;
  let frames = 0;
  for (let t = scenario.start; t <= scenario.end; t += step, frames++) {
    const isLast = t + step > scenario.end;
    const { tracks, removed } = tracker.update(render(scenario.actors, t, rng, noise), t);
    dwell.update(tracks, removed, { ...FRAME, timestamp: t });
    const from = next;
    while (next < deliveries.length && (isLast || (deliveries[next]?.deliverAt ?? Infinity) <= t)) next++;
    const pos = deliveries.slice(from, next).map((d) => d.event);
    const keypoints = scenario.keypoints ? keypointMap(scenario, t, tracks, rng) : undefined;
    hits.push(...rule.evaluate({ at: t, frame: FRAME, tracks, removed, visits: dwell.current(), zones: scenario.layout.zones, pos, keypoints }));
  }
  return { hits, frames, faults };
}
