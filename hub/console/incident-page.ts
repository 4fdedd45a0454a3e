import { escapeHtml } from './html.js';

/** The incident as `GET /v1/incidents/:id` presents it, as far as the page shows it (fields may be hidden by policy). */
export interface IncidentDetail {
  readonly id: string;
  readonly storeId?: string;
  readonly laneId?: string | null;
  readonly cameraId?: string;
  readonly type?: string;
  readonly severity?: string;
  readonly state?: string;
  readonly eventCount?: number;
  readonly openedAt?: string;
  readonly lastEventAt?: string;
  readonly allowedTransitions?: readonly string[];
  readonly pos?: ReadonlyArray<{ workstationId: string; sequenceNumber: string; total: number | null; exceptions: readonly string[]; reason: string; lines: ReadonlyArray<{ description?: string | null; kind?: string; amount?: number | null }> }>;
}

const STYLE = 'body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}';

function shell(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Vigil</title>${head}<style>${STYLE}</style></head>
<body><p><a href="/console">← All incidents</a></p>${body}</body></html>`;
}

function posSection(incident: IncidentDetail): string {
  if (incident.pos === undefined || incident.pos.length === 0) return '<p id="pos">No POS transaction linked.</p>';
  const rows = incident.pos.map((t) => `<tr><td>${escapeHtml(t.workstationId)}</td><td>${escapeHtml(t.sequenceNumber)}</td><td>${escapeHtml(t.total ?? '')}</td><td>${escapeHtml(t.exceptions.join(', '))}</td><td>${escapeHtml(t.lines.length)}</td><td>${escapeHtml(t.reason)}</td></tr>`);
  return `<table id="pos"><thead><tr><th>workstation</th><th>sequence</th><th>total</th><th>exceptions</th><th>lines</th><th>why linked</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** One incident: what happened where, its state and the moves the viewer may make, the POS transactions beside it. */
export function incidentPage(incident: IncidentDetail): string {
  const fields: Array<[string, unknown]> = [
    ['type', incident.type], ['severity', incident.severity], ['state', incident.state], ['store', incident.storeId], ['lane', incident.laneId],
    ['camera', incident.cameraId], ['events', incident.eventCount], ['opened', incident.openedAt], ['last event', incident.lastEventAt],
    ['you may', incident.allowedTransitions?.join(', ') || 'nothing'],
  ];
  const rows = fields.filter(([, value]) => value !== undefined).map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td data-field="${escapeHtml(name)}">${escapeHtml(value ?? '—')}</td></tr>`);
  return shell(`Incident ${incident.id}`, `<h1 id="incident" data-incident="${escapeHtml(incident.id)}">Incident ${escapeHtml(incident.id)}</h1>
<table id="fields">${rows.join('')}</table><h2>POS</h2>${posSection(incident)}`);
}

/** An alarm link whose event the hub has not filed yet (the alarm leaves first): the page looks again shortly. */
export function incidentPendingPage(eventId: string): string {
  return shell('Incident being opened', `<h1>Incident being opened</h1><p id="pending">Event ${escapeHtml(eventId)} has not reached the hub yet (its VMS alarm leaves first), or its incident is not yours to see. This page looks again every 3 seconds.</p>`, '<meta http-equiv="refresh" content="3">');
}

export function notFoundPage(what: string): string {
  return shell('Not found', `<h1>Not found</h1><p id="not-found">${escapeHtml(what)} does not exist or is not yours to see.</p>`);
}
