import type { LanePosEvent } from '../../contracts/index.js';
import type { Point } from './geometry.js';
import type { Layout } from './layout.js';

/** Start of every scenario: a weekday afternoon, inside any store's opening hours. */
export const T0 = Date.UTC(2026, 2, 10, 14, 0);
export const LANE = 'lane-1';
export const OTHER_LANE = 'lane-2';
export const FRAME = { width: 960, height: 540 } as const;
export const FPS = 5;

export type ActorKind = 'person' | 'product' | 'cart';

/** Something the detector sees: its anchor point over time (feet for persons and carts, the centre for products). */
export interface Actor {
  readonly name: string;
  readonly kind: ActorKind;
  readonly label: string;
  /** Box size, normalised [width, height]. */
  readonly size: readonly [number, number];
  at(t: number): Point | undefined;
  /** For persons: where the right hand is (a held product), for the pose model's wrist. */
  hand?(t: number): Point | undefined;
}

/** A POS event as it happened, on the camera clock; pos-stream turns it into what the plugin hears. */
export interface PosScript {
  readonly at: number;
  readonly kind: LanePosEvent['kind'];
  readonly laneId: string;
  readonly sequenceNumber: string | null;
  readonly itemId: string | null;
  readonly amount: number | null;
  /** A line a parser might refuse (not one any rule rests on): it may be lost. */
  readonly droppable?: boolean;
}

/** One event a correct rule raises, with the stretch of time its hit may fall in. */
export interface TruthEvent {
  readonly rule: string;
  readonly from: number;
  readonly to: number;
  readonly what: string;
}

export interface Scenario {
  readonly name: string;
  readonly rule: string;
  readonly variant: string;
  readonly seed: number;
  readonly layout: Layout;
  readonly actors: readonly Actor[];
  readonly pos: readonly PosScript[];
  readonly truth: readonly TruthEvent[];
  readonly start: number;
  readonly end: number;
  /** Whether a pose model runs (keypoints in the rule input). */
  readonly keypoints: boolean;
  /** The camera's lane; undefined for an exit camera that hears every lane. */
  readonly laneId: string | undefined;
}

/** What every scenario generator gets: the rule it is for, its index and a seeded generator. */
export interface ScenarioRequest {
  readonly rule: string;
  readonly index: number;
  readonly seed: number;
}
