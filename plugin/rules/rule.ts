import type { z } from 'zod';
import type { EventDetection, LanePosEvent, Severity } from '../../contracts/index.js';
import type { Track, Zone, ZoneType, ZoneVisit } from '../tracking/index.js';

/** The stretch of video that explains a hit, epoch ms on the camera clock; the clip is cut around it. */
export interface EvidenceWindow {
  readonly from: number;
  readonly to: number;
}

/** A POS event a hit refers to (the receipt line, the no-sale, the refund), as the reviewer sees it. */
export interface PosReference {
  readonly laneId: string;
  readonly workstationId: string;
  readonly kind: LanePosEvent['kind'];
  readonly sequenceNumber: string | null;
  readonly operatorId: string | null;
  readonly itemId: string | null;
  readonly description: string | null;
  readonly amount: number | null;
  /** Epoch ms on the POS clock, as the POS wrote it. */
  readonly posTime: number;
  /** Epoch ms on the camera clock (posTime corrected by the lane's clock offset). */
  readonly at: number;
}

/** What a rule raises: enough for the event sent to the hub, the VMS alarm and the evidence clip. */
export interface RuleHit {
  readonly rule: string;
  /** The track the hit is about (the person, product or cart); absent for POS-only hits. */
  readonly trackId?: number | undefined;
  readonly zone?: string | undefined;
  readonly zoneType?: ZoneType | undefined;
  readonly label?: string | undefined;
  /** Epoch ms when the condition began (e.g. the zone entry, the first unmatched crossing). */
  readonly since: number;
  /** Epoch ms when the rule fired. */
  readonly at: number;
  readonly confidence: number;
  readonly severity: Severity;
  /** One or two sentences a reviewer can read without knowing the rule's internals. */
  readonly explanation: string;
  readonly evidence: EvidenceWindow;
  /** Boxes normalised to the frame, with their track ids. */
  readonly detections: EventDetection[];
  /** POS events the hit rests on (empty when the rule saw none, e.g. a scan avoidance with no sale line). */
  readonly pos: readonly PosReference[];
  /** Rule-specific figures for the event's attributes (counts, seconds, amounts). */
  readonly attributes: Readonly<Record<string, string | number | boolean | null>>;
  /** Two hits with the same key are one incident-worthy fact: the second is dropped (de-duplication). */
  readonly dedupKey: string;
}

/** A body keypoint from a pose model, normalised to the frame (0..1). */
export interface Keypoint {
  /** COCO keypoint name: nose, left_wrist, right_wrist, left_hip, right_hip, left_shoulder, right_shoulder, … */
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly score: number;
}

/** One camera's state after a frame: the tracker's tracks, zone visits, POS events that arrived, keypoints. */
export interface RuleInput {
  readonly at: number;
  readonly frame: { readonly width: number; readonly height: number };
  readonly tracks: readonly Track[];
  /** Tracks the tracker dropped this frame (their last sighting is their end). */
  readonly removed: readonly Track[];
  /** Zone visits still open. */
  readonly visits: readonly ZoneVisit[];
  /** The camera's zones, normalised polygons. */
  readonly zones: readonly Zone[];
  /**
   * POS events that arrived since the previous frame, for the camera's lane and, for exit cameras, every lane of
   * the store; in arrival order, which need not be the order of `at` (rules tolerate out-of-order events).
   */
  readonly pos: readonly LanePosEvent[];
  /** Keypoints per person track id, where a pose model runs; absent otherwise. */
  readonly keypoints?: ReadonlyMap<number, readonly Keypoint[]> | undefined;
}

export interface Rule {
  readonly name: string;
  evaluate(input: RuleInput): RuleHit[];
  /** Forgets all state (tracks, pending crossings, cooldowns): called when the camera's stream restarts. */
  reset?(): void;
}

/** Where a rule runs: the store's IANA timezone decides what "opening hours" mean; the lane binds POS events. */
export interface RuleEnvironment {
  readonly timezone: string;
  /** The camera's lane, when it watches one; lane rules only read POS events of this lane. */
  readonly laneId?: string | undefined;
}

/** A rule family registered by name, with its own validated config. */
export interface RuleDefinition<C> {
  readonly name: string;
  readonly description: string;
  readonly configSchema: z.ZodType<C>;
  create(config: C, env: RuleEnvironment): Rule;
}
