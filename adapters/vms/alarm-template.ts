import type { VmsAlarm } from '../../contracts/capabilities.js';

/** Fills `{type}`-style placeholders from an alarm; unknown placeholders stay as written. */
export function fillTemplate(template: string, alarm: VmsAlarm): string {
  const values: Record<string, string> = {
    type: alarm.type,
    camera: alarm.camera.vms.name ?? alarm.camera.name,
    cameraId: alarm.camera.vms.id ?? alarm.camera.id,
    id: alarm.id,
    severity: alarm.severity,
    store: alarm.storeId,
    lane: alarm.laneId ?? '',
    title: alarm.title,
  };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
