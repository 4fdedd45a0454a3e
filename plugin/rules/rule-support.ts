import { z } from 'zod';
import { severitySchema, type EventDetection, type LanePosEvent, type Severity } from '../../contracts/index.js';
import type { Box, Track } from '../tracking/index.js';
import type { PosReference, RuleEnvironment, RuleInput } from './rule.js';

export const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** The settings every loss-prevention rule has, with the rule's own defaults. */
export function commonSettings(defaultSeverity: Severity, defaultCooldownSeconds: number) {
  return {
    severity: severitySchema.default(defaultSeverity).describe('severity of the incidents it raises'),
    cooldownSeconds: z
      .number()
      .nonnegative()
      .max(3600)
      .default(defaultCooldownSeconds)
      .describe('after a hit, further hits of this rule in the same scope (lane, zone or person) are dropped for this long'),
  };
}

/** The track's last matched box, normalised to the frame, as the hub's event carries it. */
export function normalisedDetection(track: Track, frame: RuleInput['frame']): EventDetection {
  const [x1, y1, x2, y2] = track.lastDetection.box;
  return {
    label: track.label,
    score: clamp01(track.lastDetection.score),
    box: [clamp01(x1 / frame.width), clamp01(y1 / frame.height), clamp01(x2 / frame.width), clamp01(y2 / frame.height)],
    trackId: track.id,
  };
}

export function posReference(event: LanePosEvent): PosReference {
  return {
    laneId: event.laneId,
    workstationId: event.workstationId,
    kind: event.kind,
    sequenceNumber: event.sequenceNumber,
    operatorId: event.operatorId,
    itemId: event.itemId,
    description: event.description,
    amount: event.amount,
    posTime: event.posTime,
    at: event.at,
  };
}

/** Lane rules read only their lane's POS events; a camera bound to no lane hears every event it is given. */
export function isOwnLane(env: RuleEnvironment): (event: LanePosEvent) => boolean {
  return (event) => env.laneId === undefined || event.laneId === env.laneId;
}

/** The scope cooldowns are counted in when a rule has no finer one: the camera's lane, or the camera. */
export const laneScope = (env: RuleEnvironment): string => `lane:${env.laneId ?? 'camera'}`;

/** A stable identity of one POS event, for de-duplication across resends. */
export function posEventKey(event: LanePosEvent): string {
  return [event.laneId, event.workstationId, event.kind, event.sequenceNumber ?? '', event.posTime, event.itemId ?? '', event.amount ?? ''].join('\u0000');
}

export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

export const boxArea = (box: Box): number => Math.max(0, box[2] - box[0]) * Math.max(0, box[3] - box[1]);

export const boxCentre = (box: Box): [number, number] => [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];

/** Seconds with one decimal, for explanations and attributes. */
export const seconds = (ms: number): number => Math.round(ms / 100) / 10;

export function describePos(event: LanePosEvent): string {
  const parts = [event.kind.replace(/_/g, ' ')];
  if (event.sequenceNumber !== null) parts.push(`transaction ${event.sequenceNumber}`);
  if (event.operatorId !== null) parts.push(`operator ${event.operatorId}`);
  if (event.itemId !== null) parts.push(`item ${event.itemId}`);
  return `${parts[0]} (${[`lane ${event.laneId}`, ...parts.slice(1)].join(', ')})`;
}
