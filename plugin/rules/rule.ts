import type { z } from 'zod';
import type { EventDetection } from '../../contracts/index.js';
import type { Track, ZoneType, ZoneVisit } from '../tracking/index.js';

/** What a rule raises: enough for the event sent to the hub and for cutting the evidence clip. */
export interface RuleHit {
  readonly rule: string;
  readonly trackId: number;
  readonly zone: string;
  readonly zoneType: ZoneType;
  readonly label: string;
  /** Epoch ms when the condition began (e.g. the zone entry). */
  readonly since: number;
  /** Epoch ms when the rule fired. */
  readonly at: number;
  readonly confidence: number;
  /** The track's latest detection, box normalised to the frame, with its track id. */
  readonly detections: EventDetection[];
}

/** One camera's state after a frame: the tracker's tracks and the zone visits still open. */
export interface RuleInput {
  readonly at: number;
  readonly frame: { readonly width: number; readonly height: number };
  readonly tracks: readonly Track[];
  readonly visits: readonly ZoneVisit[];
}

export interface Rule {
  readonly name: string;
  evaluate(input: RuleInput): RuleHit[];
}

/** Where a rule runs: the store's IANA timezone decides what "opening hours" mean. */
export interface RuleEnvironment {
  readonly timezone: string;
}

/** A rule family registered by name, with its own validated config. */
export interface RuleDefinition<C> {
  readonly name: string;
  readonly description: string;
  readonly configSchema: z.ZodType<C>;
  create(config: C, env: RuleEnvironment): Rule;
}
