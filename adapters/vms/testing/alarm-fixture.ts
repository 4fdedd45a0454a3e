import type { VmsAlarm } from '../../../contracts/capabilities.js';

/** A scan-avoidance alarm on a camera with a non-ASCII name; override any field. */
export function buildAlarm(overrides: Partial<VmsAlarm> = {}): VmsAlarm {
  return {
    id: 'evt_01HZX3K9Q7ABCDEF12345678',
    type: 'scan_avoidance',
    title: 'Scan avoidance — lane 3',
    description: 'Item passed the scanner <unscanned> & bagged',
    severity: 'high',
    occurredAt: '2026-12-06T18:04:05.123Z',
    camera: { id: 'cam_examplecamera0001', name: 'Kasse 3 Übersicht', vms: { id: '068680ab-5350-4ac7-a47e-652300b16252', name: 'Kasse 3 — Übersicht' } },
    storeId: 'sto_examplestore00001',
    laneId: 'lan_examplelane000001',
    detections: [{ label: 'person', score: 0.91, box: [0.1, 0.2, 0.4, 0.9], trackId: 7 }],
    incidentUrl: 'https://hub.example.com/incidents/inc_1?tab=clip&x=1',
    ...overrides,
  };
}
