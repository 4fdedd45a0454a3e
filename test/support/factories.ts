import { newId, type DetectionEventInput } from '../../contracts/index.js';

/** A valid detection event with overrides (`buildEvent({ cameraId, storeId })`). */
export function buildEvent(overrides: Partial<DetectionEventInput> & { cameraId: string; storeId: string }): DetectionEventInput {
  const occurredAt = overrides.occurredAt ?? new Date().toISOString();
  return {
    id: newId('event', Date.parse(occurredAt)),
    type: 'zone_dwell',
    severity: 'medium',
    occurredAt,
    confidence: 0.8,
    rule: { name: 'zone_dwell', version: '1' },
    detections: [{ label: 'person', score: 0.8, box: [0.1, 0.1, 0.3, 0.6] }],
    ...overrides,
  } as DetectionEventInput;
}

export const secondsAfter = (iso: string, seconds: number): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();
