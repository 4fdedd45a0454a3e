import type { DetectionEvent, VmsAlarm, VmsCameraRef } from '../../contracts/index.js';
import type { RuleHit } from '../rules/index.js';

/** The camera as an alarm names it: ours, and the VMS's. */
export interface AlarmCamera {
  readonly id: string;
  readonly name: string;
  readonly vms?: VmsCameraRef | undefined;
}

const TITLES: Readonly<Record<string, string>> = {
  scan_avoidance: 'Scan avoidance',
  sweethearting: 'Sweethearting',
  concealment: 'Concealment',
  no_sale_drawer_open: 'No-sale drawer open',
  refund_no_customer: 'Refund without a customer',
  void_after_bagging: 'Void after bagging',
  push_out: 'Push-out',
  loitering_high_value: 'Loitering at high-value goods',
  sweep: 'Shelf sweep',
  zone_dwell: 'Zone dwell',
};

/**
 * Where the operator opens the alarm's incident: the console resolves the event to the incident it joined (the alarm
 * leaves before the hub has opened it, so the link names the event).
 */
export function incidentLink(consoleUrl: string, eventId: string): string {
  return new URL(`console/events/${encodeURIComponent(eventId)}`, consoleUrl.endsWith('/') ? consoleUrl : `${consoleUrl}/`).toString();
}

/** The alarm the operator sees for one queued event: the rule's explanation, on the camera as the VMS names it. */
export function toVmsAlarm(event: DetectionEvent, hit: RuleHit, camera: AlarmCamera, ruleName: string, consoleUrl?: string): VmsAlarm {
  const what = TITLES[event.type] ?? ruleName;
  return {
    id: event.id,
    type: event.type,
    title: `${what} — ${camera.name}`.slice(0, 200),
    description: hit.explanation.slice(0, 2000),
    severity: event.severity,
    occurredAt: event.occurredAt,
    camera: { id: camera.id, name: camera.name, vms: { ...(camera.vms?.id === undefined ? {} : { id: camera.vms.id }), ...(camera.vms?.name === undefined ? {} : { name: camera.vms.name }) } },
    storeId: event.storeId,
    ...(event.laneId === undefined ? {} : { laneId: event.laneId }),
    detections: event.detections,
    ...(consoleUrl === undefined ? {} : { incidentUrl: incidentLink(consoleUrl, event.id) }),
  };
}
