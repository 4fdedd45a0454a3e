import type { DetectionEvent, EvidenceRef } from '../../contracts/index.js';
import { detectionEventSchema, newId, type EventProgram } from '../../contracts/index.js';
import type { CameraHealth } from '../capture/index.js';
import type { ClipResult } from '../evidence/index.js';
import type { RuleHit } from '../rules/index.js';

/** Where an event comes from: the camera as registered at the hub. */
export interface EventCamera {
  readonly id: string;
  readonly storeId: string;
  readonly laneId?: string | undefined;
}

/** How a configured rule labels what it raises (its severity comes with each hit, from the rule's config). */
export interface RuleLabel {
  /** Name shown on incidents (the config's `name`, else the rule type). */
  readonly name: string;
  /** The pilot program the rule belongs to (from the hub's rule document); its events say so. */
  readonly program?: EventProgram | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The clip and snapshot of a hit as evidence references (hash and size; the hub files the bytes by upload). */
export function evidenceRefs(clip: ClipResult | null): EvidenceRef[] {
  if (clip === null) return [];
  const refs: EvidenceRef[] = [
    { kind: 'clip', sha256: clip.clip.sha256, bytes: clip.clip.bytes, contentType: clip.clip.contentType, startedAt: iso(clip.clip.startedAt), endedAt: iso(clip.clip.endedAt) },
  ];
  if (clip.snapshot !== null) {
    refs.push({ kind: 'snapshot', sha256: clip.snapshot.sha256, bytes: clip.snapshot.bytes, contentType: clip.snapshot.contentType, startedAt: iso(clip.snapshot.at), endedAt: iso(clip.snapshot.at) });
  }
  return refs;
}

/** The POS events a hit rests on, flattened into event attributes (the hub links the transaction by them). */
function posAttributes(hit: RuleHit): Record<string, string | number | null> {
  const [first] = hit.pos;
  if (first === undefined) return {};
  return {
    posWorkstationId: first.workstationId,
    posSequenceNumber: first.sequenceNumber,
    posOperatorId: first.operatorId,
    posKinds: [...new Set(hit.pos.map((p) => p.kind))].join(','),
    posAt: iso(first.at),
  };
}

/**
 * The detection event for one rule hit, validated against the contract. The id is minted here, once, and
 * travels with every resend; detections are already normalised to the frame by the rule.
 */
export function buildHitEvent(input: {
  readonly id?: string;
  readonly hit: RuleHit;
  readonly camera: EventCamera;
  readonly rule: RuleLabel;
  readonly modelName: string;
  readonly clip: ClipResult | null;
  /** The clip and snapshot follow as uploads under this event's id (the event left before its post-roll). */
  readonly isEvidencePending?: boolean;
  readonly evidenceError?: string | undefined;
}): DetectionEvent {
  const { hit, camera, rule, clip } = input;
  return detectionEventSchema.parse({
    id: input.id ?? newId('event', hit.at),
    cameraId: camera.id,
    storeId: camera.storeId,
    ...(camera.laneId === undefined ? {} : { laneId: camera.laneId }),
    type: hit.rule,
    severity: hit.severity,
    occurredAt: iso(hit.at),
    confidence: hit.confidence,
    rule: { name: rule.name },
    ...(rule.program === undefined ? {} : { program: rule.program }),
    model: { name: input.modelName.slice(0, 100) },
    ...(hit.zone === undefined ? {} : { zone: hit.zone }),
    detections: hit.detections,
    evidence: evidenceRefs(clip),
    attributes: {
      ...hit.attributes,
      trackId: hit.trackId ?? null,
      label: hit.label ?? null,
      zoneType: hit.zoneType ?? null,
      explanation: hit.explanation.slice(0, 1000),
      since: iso(hit.since),
      evidenceFrom: iso(hit.evidence.from),
      evidenceTo: iso(hit.evidence.to),
      ...posAttributes(hit),
      ...(clip === null ? {} : { clipComplete: clip.complete, clipWarnings: clip.warnings.join('; ').slice(0, 1000) || null }),
      ...(input.evidenceError === undefined ? {} : { evidenceError: input.evidenceError.slice(0, 1000) }),
      ...(input.isEvidencePending === true ? { evidencePending: true } : {}),
    },
  });
}

/** A camera going offline (or coming back) as a `camera_health` event, so the hub's operators see it. */
export function buildHealthEvent(camera: EventCamera, health: CameraHealth): DetectionEvent {
  const isOffline = health.state === 'offline';
  return detectionEventSchema.parse({
    id: newId('event', health.since),
    cameraId: camera.id,
    storeId: camera.storeId,
    ...(camera.laneId === undefined ? {} : { laneId: camera.laneId }),
    type: 'camera_health',
    severity: isOffline ? 'high' : 'low',
    occurredAt: iso(health.since),
    confidence: 1,
    rule: { name: 'camera_health' },
    attributes: {
      state: health.state,
      fps: health.fps,
      restarts: health.restarts,
      lastError: health.lastError === null ? null : health.lastError.slice(0, 1000),
      lastFrameAt: health.lastFrameAt === null ? null : iso(health.lastFrameAt),
    },
  });
}
