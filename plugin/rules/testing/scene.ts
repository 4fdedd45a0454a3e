import type { LanePosEvent, PosLaneEventKind } from '../../../contracts/index.js';
import type { Track, Zone, ZoneType, ZoneVisit } from '../../tracking/index.js';
import type { Keypoint, Rule, RuleHit, RuleInput } from '../rule.js';

/** Test scenes in a 1000 x 1000 frame, so pixel boxes read as thousandths of the frame. */
export const FRAME = { width: 1000, height: 1000 };
export const T0 = Date.UTC(2026, 0, 15, 15, 0);
export const LANE = 'lane-1';

export const rect = (name: string, type: ZoneType, x1: number, y1: number, x2: number, y2: number): Zone => ({
  name,
  type,
  polygon: [[x1, y1], [x2, y1], [x2, y2], [x1, y2]],
});

/** A left-to-right checkout: load area, scanner, bagging area. */
export const CHECKOUT_ZONES: readonly Zone[] = [rect('load', 'load', 0, 0, 0.3, 1), rect('scanner', 'scanner', 0.3, 0, 0.5, 1), rect('bagging', 'bagging', 0.5, 0, 0.8, 1)];

export interface TrackSpec {
  readonly id: number;
  readonly label?: string;
  /** Box in pixels of the 1000 x 1000 frame. */
  readonly box: readonly [number, number, number, number];
  readonly score?: number;
  readonly missedFrames?: number;
  readonly lastSeenAt?: number;
  readonly firstSeenAt?: number;
}

export function track(spec: TrackSpec, at: number): Track {
  const score = spec.score ?? 0.9;
  const label = spec.label ?? 'product';
  return {
    id: spec.id,
    label,
    classId: 0,
    state: 'confirmed',
    box: spec.box,
    score,
    meanScore: score,
    hits: 10,
    missedFrames: spec.missedFrames ?? 0,
    firstSeenAt: spec.firstSeenAt ?? T0,
    lastSeenAt: spec.lastSeenAt ?? at,
    lastDetection: { label, classId: 0, score, box: spec.box },
  };
}

/** A small product box centred on (x, y), normalised. */
export const productAt = (id: number, x: number, y = 0.5, label = 'product'): TrackSpec => ({
  id,
  label,
  box: [x * 1000 - 20, y * 1000 - 20, x * 1000 + 20, y * 1000 + 20],
});

/** A person box whose feet stand at (x, y), normalised, 100 px wide and 400 px tall. */
export const personAt = (id: number, x: number, y: number, label = 'person'): TrackSpec => ({
  id,
  label,
  box: [x * 1000 - 50, y * 1000 - 400, x * 1000 + 50, y * 1000],
});

export function pos(kind: PosLaneEventKind, at: number, extra: Partial<LanePosEvent> = {}): LanePosEvent {
  return {
    workstationId: 'ws-1',
    kind,
    posTime: at - 1000,
    sequenceNumber: '1001',
    operatorId: 'op-7',
    itemId: null,
    description: null,
    quantity: null,
    amount: null,
    raw: null,
    laneId: LANE,
    at,
    ...extra,
  };
}

export interface FrameSpec {
  readonly tracks?: readonly TrackSpec[];
  readonly removed?: readonly TrackSpec[];
  readonly pos?: readonly LanePosEvent[];
  readonly keypoints?: ReadonlyMap<number, readonly Keypoint[]>;
  readonly visits?: readonly ZoneVisit[];
}

export function input(at: number, zones: readonly Zone[], spec: FrameSpec = {}): RuleInput {
  return {
    at,
    frame: FRAME,
    tracks: (spec.tracks ?? []).map((t) => track(t, at)),
    removed: (spec.removed ?? []).map((t) => track(t, at)),
    visits: spec.visits ?? [],
    zones,
    pos: spec.pos ?? [],
    keypoints: spec.keypoints,
  };
}

/** Feeds one frame per entry, `stepMs` apart from `start`; returns every hit. */
export function play(rule: Rule, zones: readonly Zone[], frames: readonly FrameSpec[], start = T0, stepMs = 500): RuleHit[] {
  return frames.flatMap((spec, i) => rule.evaluate(input(start + i * stepMs, zones, spec)));
}

/** Empty frames, for letting time pass. */
export const idle = (count: number, spec: FrameSpec = {}): FrameSpec[] => Array.from({ length: count }, () => spec);
