import { randomUUID } from 'node:crypto';
import type { VmsAlarm } from '../../contracts/capabilities.js';
import type { EventDetection, Severity } from '../../contracts/events.js';
import { element } from './xml-text.js';

/** Kind GUID of a camera in VideoOS.Platform.Kind (AnalyticsEvent.xsd, FQID/Kind). */
const CAMERA_KIND = '5135BA21-F1DC-4321-806A-6CE2017343C0';
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface AnalyticsEventOptions {
  /** The analytics event name defined in the Management Client (EventHeader/Message). */
  readonly eventMessage: string;
  readonly vendorName: string;
  /** The EventHeader/ID; a fresh GUID per send unless given (tests). */
  readonly eventId?: string;
}

const SEVERITY_COLOURS: Record<Severity, readonly [number, number, number]> = {
  low: [0, 200, 0],
  medium: [255, 200, 0],
  high: [255, 120, 0],
  critical: [255, 0, 0],
};

const coordinate = (value: number): string => String(Number(Math.min(1, Math.max(0, value)).toFixed(6)));

/** The box as a closed polygon: top-left, top-right, bottom-right, bottom-left, top-left again. */
function polygon(detection: EventDetection, severity: Severity): string {
  const [x1, y1, x2, y2] = detection.box;
  const corners: Array<readonly [number, number]> = [[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]];
  const [r, g, b] = SEVERITY_COLOURS[severity];
  const points = corners.map(([x, y]) => `<Point><X>${coordinate(x)}</X><Y>${coordinate(y)}</Y></Point>`).join('');
  return `<Polygon><Color><A>255</A><R>${r}</R><G>${g}</G><B>${b}</B></Color><PointList>${points}</PointList></Polygon>`;
}

/** One AnalyticsObject; children in the schema's sequence (ID, Name, Type, Description, Confidence, Value, AlarmTrigger, …, Polygon). */
function analyticsObject(detection: EventDetection, severity: Severity): string {
  return [
    '<Object>',
    element('Name', detection.label),
    element('Type', detection.label),
    `<Confidence>${coordinate(detection.score)}</Confidence>`,
    ...(detection.trackId === undefined ? [] : [element('Value', `track ${detection.trackId}`)]),
    '<AlarmTrigger>true</AlarmTrigger>',
    polygon(detection, severity),
    '</Object>',
  ].join('');
}

/**
 * The event's source: the camera's FQID when the VMS GUID is known (the Event Server matches on it), and its
 * Milestone name when known (or as the only reference when there is no GUID). Schema order: Name, Description, FQID.
 */
function source(alarm: VmsAlarm): string {
  const id = alarm.camera.vms.id;
  const hasGuid = id !== undefined && GUID.test(id);
  const name = alarm.camera.vms.name ?? (hasGuid ? undefined : alarm.camera.name);
  const fqid = hasGuid ? `<FQID><ObjectId>${id}</ObjectId><FolderType>0</FolderType><Kind>${CAMERA_KIND}</Kind></FQID>` : '';
  return `<Source>${name === undefined ? '' : element('Name', name)}${fqid}</Source>`;
}

function description(alarm: VmsAlarm): string {
  return alarm.incidentUrl ? `${alarm.description}\n${alarm.incidentUrl}` : alarm.description;
}

function location(alarm: VmsAlarm): string {
  return alarm.laneId ? `${alarm.camera.name} (store ${alarm.storeId}, lane ${alarm.laneId})` : `${alarm.camera.name} (store ${alarm.storeId})`;
}

/**
 * A Milestone AnalyticsEvent document (urn:milestone-systems, AnalyticsEvent.xsd of the MIP SDK). Element order
 * follows the schema's sequences: EventHeader, Description, Location, ObjectList, Vendor (Vendor comes last).
 */
export function analyticsEventXml(alarm: VmsAlarm, options: AnalyticsEventOptions): string {
  const header = [
    '<EventHeader>',
    `<ID>${options.eventId ?? randomUUID()}</ID>`,
    element('Timestamp', alarm.occurredAt),
    element('Type', alarm.type),
    element('Message', options.eventMessage),
    element('CustomTag', alarm.id),
    source(alarm),
    '</EventHeader>',
  ].join('');
  const objects = alarm.detections.length === 0 ? '' : `<ObjectList>${alarm.detections.map((d) => analyticsObject(d, alarm.severity)).join('')}</ObjectList>`;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<AnalyticsEvent xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:milestone-systems">',
    header,
    element('Description', description(alarm)),
    element('Location', location(alarm)),
    objects,
    `<Vendor>${element('Name', options.vendorName)}</Vendor>`,
    '</AnalyticsEvent>',
  ].join('');
}

/** The HTTP/1.1 framing the Event Server expects on its analytics port; Content-Length counts UTF-8 bytes. */
export function analyticsEventRequest(xml: string, host: string): Buffer {
  const body = Buffer.from(xml, 'utf8');
  const head = [
    'POST / HTTP/1.1',
    `Host: ${host}`,
    'Content-Type: text/xml; charset=utf-8',
    `Content-Length: ${body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}
