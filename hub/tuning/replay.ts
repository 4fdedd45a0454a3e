import type { DetectionEvent } from '../../contracts/index.js';
import { assignIncidents, type CameraPlacement } from '../commands/incident-merger.js';

/** What reviewers said of an incident: verified (and onwards), dismissed, or nothing yet. */
export type Verdict = 'verified' | 'dismissed' | 'pending';

/** A stored event of the rule being tuned, with the incident it went to. */
export interface ReplayEvent {
  readonly event: DetectionEvent;
  readonly incidentId: string | null;
}

export interface ReplayInput {
  readonly events: readonly ReplayEvent[];
  readonly verdicts: ReadonlyMap<string, Verdict>;
  readonly placement: (cameraId: string) => CameraPlacement;
  readonly days: number;
}

/** What the rule would have raised over the stored period with `minConfidence` set to `threshold`. */
export interface ReplayFigures {
  threshold: number;
  /** Events the rule would still send. */
  events: number;
  /** Incidents those events open, merged exactly as the hub merges them. */
  incidents: number;
  incidentsPerDay: number;
  /** Verified incidents (of the stored ones) that keep at least one event, of all verified ones. */
  verifiedKept: number;
  verified: number;
  /** verifiedKept / verified; null without verified incidents. */
  recall: number | null;
  dismissedKept: number;
  dismissed: number;
  /** verifiedKept / (verifiedKept + dismissedKept); null when neither remains. */
  precision: number | null;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/**
 * Replays the stored events through the rule's threshold and the hub's own merger: an event is sent iff its
 * confidence is at least the threshold (the plugin applies minConfidence to what the rule raises), and the
 * events sent merge into incidents as ingest merges them (plugin/rules/rule-registry.ts, commands/incident-merger.ts).
 */
export function replayAt(threshold: number, input: ReplayInput): ReplayFigures {
  const kept = input.events.filter((e) => e.event.confidence >= threshold);
  const { incidents } = assignIncidents(kept.map((e) => e.event), [], input.placement);
  const keptIncidents = new Set(kept.flatMap((e) => (e.incidentId === null ? [] : [e.incidentId])));
  const count = (verdict: Verdict, only?: ReadonlySet<string>) => [...input.verdicts].filter(([id, v]) => v === verdict && (!only || only.has(id))).length;
  const verified = count('verified');
  const dismissed = count('dismissed');
  const verifiedKept = count('verified', keptIncidents);
  const dismissedKept = count('dismissed', keptIncidents);
  return {
    threshold,
    events: kept.length,
    incidents: incidents.length,
    incidentsPerDay: incidents.length / input.days,
    verifiedKept, verified, recall: ratio(verifiedKept, verified),
    dismissedKept, dismissed, precision: ratio(verifiedKept, verifiedKept + dismissedKept),
  };
}

/**
 * The thresholds worth trying: the current one and each hundredth above it up to the highest stored
 * confidence (a threshold a person can read and set; at most 100 replays however many events were stored).
 */
export function candidateThresholds(current: number, events: readonly ReplayEvent[]): number[] {
  const highest = Math.max(current, ...events.map((e) => e.event.confidence));
  const steps: number[] = [];
  for (let k = Math.floor(current * 100) + 1; k / 100 <= highest; k += 1) steps.push(k / 100);
  return [current, ...steps];
}

/**
 * The proposal: of the thresholds above the current one that keep recall at or above the floor, the one that
 * drops the most dismissed incidents (the lowest such threshold on a tie, so fewer true alerts are risked).
 * None when no threshold drops a dismissed incident within the floor, or when nothing was verified
 * (recall cannot be measured, so no change is proposed).
 */
export function proposeThreshold(curve: readonly ReplayFigures[], current: number, recallFloor: number): ReplayFigures | null {
  const base = curve.find((f) => f.threshold === current);
  if (!base || base.verified === 0) return null;
  let best: ReplayFigures | null = null;
  for (const figures of curve) {
    if (figures.threshold <= current || figures.recall === null || figures.recall < recallFloor) continue;
    if (figures.dismissedKept >= base.dismissedKept) continue;
    if (!best || figures.dismissedKept < best.dismissedKept) best = figures;
  }
  return best;
}
