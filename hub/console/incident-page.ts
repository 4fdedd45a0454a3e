import { DEEP_LINK_ACTIONS, TRANSITION_LABELS, escapeHtml, formatInZone, severityBadge, stateBadge, typeLabel, type StoreInfo } from './client/render.js';
import { consolePage, type Viewer } from './html.js';
import { evidenceSection, type EvidenceActions } from './incident-evidence.js';

interface PosLine { type?: string; description?: string | null; quantity?: number | null; amount?: number | null; isVoided?: boolean; reason?: string | null }

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
  readonly dismissReason?: string | null;
  readonly version?: number;
  readonly allowedTransitions?: readonly string[];
  readonly pos?: ReadonlyArray<{ workstationId: string; sequenceNumber: string; beginAt?: string | null; endAt?: string | null; total: number | null; exceptions: readonly string[]; reason: string; lines: readonly PosLine[] }>;
}

export interface EventRow { id: string; occurredAt: string; type: string; severity: string; confidence: number; rule: { name: string } | null; zone: string | null; detections: Array<{ label: string; score: number; box: number[] }> }
export interface ItemRow { id: string; kind: string; capturedFrom: string; capturedTo: string; contentType: string }
export interface TransitionRow { action: string; fromState: string; toState: string; actorId: string; reason: string | null; at: string }
export interface CommentRow { id: string; authorId: string; body: string; at: string }
export interface AuditRow { seq: number; occurredAt: string; actorType: string; actorId: string; action: string }

export interface IncidentPageInput {
  viewer: Viewer;
  incident: IncidentDetail;
  store: StoreInfo | null;
  laneName: string | null;
  cameraName: string | null;
  /** null: the role may not read detection events. */
  events: EventRow[] | null;
  /** null: the role may not read evidence. */
  items: ItemRow[] | null;
  transitions: TransitionRow[];
  /** null: comments are not readable. */
  comments: CommentRow[] | null;
  /** null: the audit trail is not open to the role (auditors and admins read it). */
  audit: AuditRow[] | null;
  /** `?action=` of a Teams/Slack/ServiceNow link. */
  action: string | null;
  /** The legal hold and the export, as far as the role may use them. */
  evidence: EvidenceActions;
}

const clipSeconds = (at: string | null | undefined, clipFrom: number | null): number | null => (at && clipFrom !== null ? (Date.parse(at) - clipFrom) / 1000 : null);
const mmss = (seconds: number): string => `${seconds < 0 ? '-' : ''}${Math.floor(Math.abs(seconds) / 60)}:${String(Math.floor(Math.abs(seconds) % 60)).padStart(2, '0')}`;

function posSection(incident: IncidentDetail, zone: string | undefined, clipFrom: number | null): string {
  if (incident.pos === undefined || incident.pos.length === 0) return '<p id="pos">No POS transaction linked.</p>';
  const blocks = incident.pos.map((t) => {
    const start = clipSeconds(t.beginAt, clipFrom);
    const end = clipSeconds(t.endAt, clipFrom);
    const when = t.beginAt ? `${formatInZone(t.beginAt, zone)}${start !== null ? ` (clip ${mmss(start)}${end !== null ? `–${mmss(end)}` : ''})` : ''}` : 'time unknown';
    const lines = t.lines.map((l) => `<tr${l.isVoided ? ' class="voided"' : ''}><td>${escapeHtml(l.type ?? '')}</td><td>${escapeHtml(l.description ?? '—')}</td><td>${escapeHtml(l.quantity ?? '')}</td><td>${escapeHtml(l.amount ?? '')}</td><td>${l.isVoided ? 'voided' : ''}${l.reason ? ` ${escapeHtml(l.reason)}` : ''}</td></tr>`).join('');
    return `<section class="receipt" aria-label="Receipt ${escapeHtml(t.workstationId)} #${escapeHtml(t.sequenceNumber)}"><h3>Till ${escapeHtml(t.workstationId)} · receipt ${escapeHtml(t.sequenceNumber)}</h3>
<p>${escapeHtml(when)} · total ${escapeHtml(t.total ?? '—')} · ${escapeHtml(t.exceptions.join(', ') || 'no exception')} · linked by ${escapeHtml(t.reason)}</p>
<table class="lines"><thead><tr><th scope="col">line</th><th scope="col">item</th><th scope="col">qty</th><th scope="col">amount</th><th scope="col">note</th></tr></thead><tbody>${lines || '<tr><td colspan="5">No lines.</td></tr>'}</tbody></table></section>`;
  });
  return `<div id="pos">${blocks.join('')}</div>`;
}

function deepActionBanner(input: IncidentPageInput): string {
  if (!input.action) return '';
  const target = DEEP_LINK_ACTIONS[input.action];
  if (!target) return `<section class="deep" id="deep-action" aria-label="Requested action"><p>The link asked for "${escapeHtml(input.action)}", which is not an action the console knows.</p></section>`;
  const label = TRANSITION_LABELS[target]?.label ?? target;
  if (!(input.incident.allowedTransitions ?? []).includes(target)) {
    return `<section class="deep" id="deep-action" data-allowed="false" aria-label="Requested action"><p>You came here to <strong>${escapeHtml(label.toLowerCase())}</strong> this incident, but that is not open to you now: it is <strong>${escapeHtml(input.incident.state)}</strong>.</p></section>`;
  }
  return `<section class="deep" id="deep-action" data-allowed="true" aria-label="Requested action"><p>You came here to <strong>${escapeHtml(label.toLowerCase())}</strong> this incident. Check the clip, then confirm:</p>
<button type="button" data-transition="${escapeHtml(target)}">${escapeHtml(label)} now</button></section>`;
}

function timeline(input: IncidentPageInput, zone: string | undefined, clipFrom: number | null): string {
  if (input.events === null) return '<p class="notice" id="timeline-note">Detection events (and their boxes) are not shown to your role.</p>';
  if (input.events.length === 0) return '<p class="notice">No detection event is linked.</p>';
  const items = input.events.map((e) => {
    const offset = clipSeconds(e.occurredAt, clipFrom);
    const inClip = offset !== null && offset >= 0;
    const label = `${formatInZone(e.occurredAt, zone)} · ${typeLabel(e.type)} · ${Math.round(e.confidence * 100)}% · ${e.detections.length} box${e.detections.length === 1 ? '' : 'es'}${e.zone ? ` · zone ${e.zone}` : ''}`;
    return `<li data-event="${escapeHtml(e.id)}">${inClip ? `<button type="button" data-offset="${offset.toFixed(2)}" aria-label="Play from ${escapeHtml(mmss(offset))}: ${escapeHtml(label)}">${escapeHtml(mmss(offset))}</button> ` : ''}${escapeHtml(label)}</li>`;
  });
  return `<ol id="timeline">${items.join('')}</ol>`;
}

function media(input: IncidentPageInput): string {
  if (input.items === null) return '<p class="notice" id="clip-note">Evidence is not shown to your role.</p>';
  const clip = input.items.find((i) => i.kind === 'clip');
  const snapshot = input.items.find((i) => i.kind === 'snapshot');
  const player = clip
    ? `<figure><div class="player"><video id="clip" controls preload="auto" muted playsinline aria-label="Incident clip" tabindex="0"></video><canvas id="boxes" aria-hidden="true"></canvas></div>
<figcaption id="clip-note">Clip ${escapeHtml(formatInZone(clip.capturedFrom, input.store?.timezone))} to ${escapeHtml(formatInZone(clip.capturedTo, input.store?.timezone))}; yellow boxes are the detections. <kbd>Space</kbd> plays and pauses.</figcaption></figure>`
    : '<p class="notice" id="clip-note">No clip has reached the hub for this incident yet (the store\'s plugin uploads it after the event).</p>';
  const snap = snapshot ? '<h2>Snapshot</h2><img id="snapshot" alt="Snapshot at the incident" hidden>' : '';
  return `${player}${snap}`;
}

function history(input: IncidentPageInput, zone: string | undefined): string {
  const moves = input.transitions.map((t) => `<li><time datetime="${escapeHtml(t.at)}">${escapeHtml(formatInZone(t.at, zone))}</time> ${escapeHtml(t.fromState)} → <strong>${escapeHtml(t.toState)}</strong> by ${escapeHtml(t.actorId)}${t.reason ? ` — ${escapeHtml(t.reason)}` : ''}</li>`).join('') || '<li>No move yet.</li>';
  const comments = input.comments === null ? '<p class="notice">Comments are not shown to your role.</p>'
    : `<ul id="comments-list">${input.comments.map((c) => `<li data-comment="${escapeHtml(c.id)}"><time datetime="${escapeHtml(c.at)}">${escapeHtml(formatInZone(c.at, zone))}</time> <strong>${escapeHtml(c.authorId)}</strong>: ${escapeHtml(c.body)}</li>`).join('') || '<li id="no-comments">No comment yet.</li>'}</ul>
<form id="comment-form"><label for="comment-body">Add a comment</label><br><textarea id="comment-body" name="body" rows="3" maxlength="4000" required></textarea><br><button type="submit">Comment</button></form>`;
  const audit = input.audit === null ? ''
    : `<h2 id="audit-title">Audit trail</h2><table id="audit" aria-labelledby="audit-title"><thead><tr><th scope="col">#</th><th scope="col">when</th><th scope="col">who</th><th scope="col">what</th></tr></thead><tbody>${input.audit.map((a) => `<tr><td>${escapeHtml(a.seq)}</td><td>${escapeHtml(formatInZone(a.occurredAt, zone))}</td><td>${escapeHtml(`${a.actorType} ${a.actorId}`)}</td><td>${escapeHtml(a.action)}</td></tr>`).join('') || '<tr><td colspan="4">No record.</td></tr>'}</tbody></table>`;
  return `<h2>History</h2><ol id="history-list">${moves}</ol><h2>Comments</h2>${comments}${audit}`;
}

function reopenDialog(incident: IncidentDetail): string {
  if (!(incident.allowedTransitions ?? []).includes('reopened')) return '';
  return `<dialog id="reopen" aria-labelledby="reopen-title"><form method="dialog" id="reopen-form"><h2 id="reopen-title">Reopen: why?</h2>
<p><label for="reopen-reason">Reason (kept in the incident's history)</label><br><textarea id="reopen-reason" name="reason" rows="3" maxlength="2000" required></textarea></p>
<p><button type="submit" value="reopen">Reopen incident</button> <button type="submit" value="cancel" formnovalidate>Cancel</button></p></form></dialog>`;
}

function outcomeDialog(incident: IncidentDetail): string {
  if (!(incident.allowedTransitions ?? []).includes('resolved')) return '';
  const results = ['recovered', 'partially_recovered', 'not_recovered', 'no_loss', 'apprehended', 'other'];
  return `<dialog id="outcome" aria-labelledby="outcome-title"><form method="dialog" id="outcome-form"><h2 id="outcome-title">Resolve: the outcome</h2>
<p><label for="o-result">Result</label><br><select id="o-result" name="result" required>${results.map((r) => `<option value="${r}">${r.replace(/_/g, ' ')}</option>`).join('')}</select></p>
<p><label for="o-value">Value recovered</label><br><input id="o-value" name="recoveredValue" type="number" min="0" step="0.01" value="0"></p>
<p><label for="o-notes">Notes</label><br><textarea id="o-notes" name="notes" rows="3" required></textarea></p>
<p><button type="submit" value="resolve">Resolve incident</button> <button type="submit" value="cancel" formnovalidate>Cancel</button></p></form></dialog>`;
}

/** One incident: the clip with its boxes, the timeline, the snapshot, the receipt, the moves open to the viewer, history. */
export function incidentPage(input: IncidentPageInput): string {
  const { incident } = input;
  const zone = input.store?.timezone;
  const clip = input.items?.find((i) => i.kind === 'clip');
  const clipFrom = clip ? Date.parse(clip.capturedFrom) : null;
  const storeText = input.store ? `${input.store.name} (${input.store.code})` : incident.storeId;
  const fields: Array<[string, unknown]> = [
    ['type', incident.type], ['severity', incident.severity], ['state', incident.state], ['store', storeText], ['lane', incident.laneId === undefined ? undefined : (input.laneName ?? incident.laneId)],
    ['camera', incident.cameraId === undefined ? undefined : (input.cameraName ?? incident.cameraId)], ['events', incident.eventCount],
    ['opened', incident.openedAt && formatInZone(incident.openedAt, zone)], ['last event', incident.lastEventAt && formatInZone(incident.lastEventAt, zone)],
    ['dismissal reason', incident.dismissReason ?? undefined],
  ];
  const rows = fields.filter(([, value]) => value !== undefined).map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td data-field="${escapeHtml(name)}">${escapeHtml(value ?? '—')}</td></tr>`);
  const main = `${deepActionBanner(input)}
<h1 id="incident" data-incident="${escapeHtml(incident.id)}">${severityBadge(incident.severity)} ${escapeHtml(typeLabel(incident.type ?? 'incident'))} at ${escapeHtml(storeText)} <span id="state-badge">${stateBadge(incident.state)}</span></h1>
<p class="notice">Incident ${escapeHtml(incident.id)} · times in the store's zone (${escapeHtml(zone ?? 'UTC')}) · <kbd>j</kbd>/<kbd>k</kbd> next/previous in the queue</p>
<section aria-labelledby="moves-title"><h2 id="moves-title">Decide</h2><div id="moves"></div></section>
<div class="layout"><section aria-labelledby="clip-title"><h2 id="clip-title">Clip</h2>${media(input)}</section>
<section aria-labelledby="details-title"><h2 id="details-title">Details</h2><table id="fields">${rows.join('')}</table>
<h2>Timeline</h2>${timeline(input, zone, clipFrom)}</section></div>
<section aria-labelledby="pos-title"><h2 id="pos-title">POS receipt</h2>${posSection(incident, zone, clipFrom)}</section>
${evidenceSection(input.evidence, zone)}
<section aria-label="History and comments">${history(input, zone)}</section>
${outcomeDialog(incident)}${reopenDialog(incident)}`;
  return consolePage({
    title: `${typeLabel(incident.type ?? 'Incident')} ${incident.id}`, viewer: input.viewer, main, script: 'incident',
    data: {
      incident: { id: incident.id, state: incident.state ?? '', version: incident.version ?? 0, allowedTransitions: incident.allowedTransitions ?? [] },
      timezone: zone ?? 'UTC', events: input.events, items: input.items, deepAction: input.action,
      evidence: { hold: input.evidence.hold ?? null, mayHold: input.evidence.mayHold },
    },
  });
}

/** An alarm link whose event the hub has not filed yet (the alarm leaves first): the page looks again shortly. */
export function incidentPendingPage(eventId: string): string {
  return consolePage({ title: 'Incident being opened', dialogs: false, refreshSeconds: 3, main: `<h1>Incident being opened</h1><p id="pending">Event ${escapeHtml(eventId)} has not reached the hub yet (its VMS alarm leaves first), or its incident is not yours to see. This page looks again every 3 seconds; meanwhile the <a href="/console">review queue</a> shows what has arrived.</p>` });
}

export function notFoundPage(what: string): string {
  return consolePage({ title: 'Not found', dialogs: false, main: `<h1>Not found</h1><p id="not-found">${escapeHtml(what)} does not exist or is not yours to see. Go back to the <a href="/console">review queue</a>.</p>` });
}

export function errorPage(title: string, message: string): string {
  return consolePage({ title, dialogs: false, main: `<h1>${escapeHtml(title)}</h1><p id="error-message">${escapeHtml(message)}</p><p><a href="/console">Back to the review queue</a> (filters cleared).</p>` });
}
