/**
 * Rendering shared by the hub (server-rendered pages) and the browser (live rows, re-rendered sections):
 * pure functions from API records to HTML text, with no DOM and no imports but types, so the same file
 * runs in Node and, compiled to a module, in the browser.
 */

/** Text for HTML element content and attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const STATES = ['new', 'acknowledged', 'verified', 'dismissed', 'intervened', 'escalated', 'resolved'] as const;
export const EVENT_TYPES = ['zone_dwell', 'scan_avoidance', 'concealment', 'no_sale_drawer_open', 'refund_no_customer', 'push_out', 'sweethearting', 'void_after_bagging', 'loitering_high_value', 'sweep', 'pos_exception', 'camera_health'] as const;

export const severityRank = (severity: string): number => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]) + 1;

/** What a reviewer picks when dismissing; sent as the transition's reason (`code: note`). */
export const DISMISS_REASONS: ReadonlyArray<{ code: string; label: string }> = [
  { code: 'false_positive', label: 'False positive: nothing happened' },
  { code: 'paid', label: 'Paid: the POS shows the items' },
  { code: 'staff_activity', label: 'Authorised staff activity' },
  { code: 'duplicate', label: 'Duplicate of another incident' },
  { code: 'camera_problem', label: 'Camera or video problem' },
  { code: 'test', label: 'Test or drill' },
];

/** Workflow moves: the button label, and the key that makes it (where there is one). */
export const TRANSITION_LABELS: Readonly<Record<string, { label: string; key?: string }>> = {
  acknowledged: { label: 'Acknowledge', key: 'a' },
  verified: { label: 'Verify', key: 'v' },
  dismissed: { label: 'Dismiss', key: 'd' },
  escalated: { label: 'Escalate', key: 'e' },
  intervened: { label: 'Mark intervened' },
  resolved: { label: 'Resolve' },
  reopened: { label: 'Reopen' },
};

/** `?action=` words in Teams, Slack and ServiceNow links, to the transition they name. */
export const DEEP_LINK_ACTIONS: Readonly<Record<string, string>> = { acknowledge: 'acknowledged', verify: 'verified', dismiss: 'dismissed', escalate: 'escalated' };

export const KEYBOARD_HELP: ReadonlyArray<[string, string]> = [
  ['j / k', 'next / previous incident'], ['Enter', 'open the selected incident (queue)'], ['a', 'acknowledge'], ['v', 'verify'],
  ['d', 'dismiss (pick a reason)'], ['e', 'escalate'], ['Space', 'play / pause the clip'], ['?', 'this help'], ['Esc', 'close a dialog'],
];

export const typeLabel = (type: string): string => type.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export interface StoreInfo { id: string; name: string; code: string; timezone: string }
export interface NamedThing { id: string; name: string }

/** What the pages know about the directory, by id (missing entries render as the id). */
export interface Directory {
  stores: Record<string, StoreInfo>;
  lanes: Record<string, NamedThing>;
  cameras: Record<string, NamedThing>;
}

export interface QueueIncident {
  id: string;
  storeId?: string;
  laneId?: string | null;
  cameraId?: string;
  type?: string;
  severity?: string;
  state?: string;
  eventCount?: number;
  openedAt?: string;
  lastEventAt?: string;
  allowedTransitions?: string[];
  version?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A time as the store's clock shows it, with the zone's abbreviation (UTC when the zone is unknown). */
/** A time to the minute in UTC (`2026-12-07 23:10 UTC`), or a dash for none: where no store time zone applies. */
export const utcMinute = (iso: string | null | undefined): string => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '—');

export function formatInZone(iso: string | undefined, timezone: string | undefined): string {
  if (!iso) return '—';
  const zone = timezone ?? 'UTC';
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName ?? zone}`;
}

/** The UTC instant of a wall-clock time (`YYYY-MM-DDTHH:mm`) in a time zone. */
export function zonedToUtc(local: string, timezone: string): string {
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(local);
  if (!match) throw new RangeError(`not a local date and time: ${local}`);
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
    return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) - instant;
  };
  let instant = wall - offsetAt(wall);
  instant = wall - offsetAt(instant);
  return new Date(instant).toISOString();
}

export const storeLabel = (dir: Directory, storeId: string | undefined): string => {
  const store = storeId ? dir.stores[storeId] : undefined;
  return store ? `${store.name} (${store.code})` : (storeId ?? '—');
};

export function severityBadge(severity: string | undefined): string {
  const s = severity ?? 'unknown';
  return `<span class="sev sev-${escapeHtml(s)}" data-severity="${escapeHtml(s)}">${escapeHtml(s)}</span>`;
}

export const stateBadge = (state: string | undefined): string => `<span class="state state-${escapeHtml(state)}">${escapeHtml(state ?? '—')}</span>`;

/** One row of the review queue. */
export function queueRowHtml(i: QueueIncident, dir: Directory): string {
  const zone = i.storeId ? dir.stores[i.storeId]?.timezone : undefined;
  const where = [i.laneId ? (dir.lanes[i.laneId]?.name ?? i.laneId) : null, i.cameraId ? (dir.cameras[i.cameraId]?.name ?? i.cameraId) : null].filter(Boolean).join(' · ');
  const title = `${typeLabel(i.type ?? 'incident')}`;
  return `<tr data-incident="${escapeHtml(i.id)}" data-store="${escapeHtml(i.storeId)}" data-severity="${escapeHtml(i.severity)}" data-state="${escapeHtml(i.state)}" data-allowed="${escapeHtml((i.allowedTransitions ?? []).join(' '))}" data-version="${escapeHtml(i.version)}" class="row sev-row-${escapeHtml(i.severity)}">
<td class="thumb"><span class="no-thumb" data-thumb-for="${escapeHtml(i.id)}">…</span></td>
<td>${severityBadge(i.severity)}</td>
<th scope="row" elementtiming="queue-row"><a class="open" href="/console/incidents/${encodeURIComponent(i.id)}">${escapeHtml(title)}</a><span class="sub">${escapeHtml(i.eventCount ?? 0)} event${i.eventCount === 1 ? '' : 's'}</span></th>
<td data-col="store">${escapeHtml(storeLabel(dir, i.storeId))}</td>
<td data-col="where">${escapeHtml(where || '—')}</td>
<td data-col="time"><time datetime="${escapeHtml(i.lastEventAt)}">${escapeHtml(formatInZone(i.lastEventAt, zone))}</time></td>
<td data-col="state">${stateBadge(i.state)}</td>
</tr>`;
}

/** Whether the queue order puts `a` before `b`: most severe first, newest (by id, time-sortable) first. */
export const queueBefore = (a: QueueIncident, b: QueueIncident): boolean => {
  const bySeverity = severityRank(a.severity ?? '') - severityRank(b.severity ?? '');
  return bySeverity !== 0 ? bySeverity > 0 : a.id > b.id;
};

/** The queue's filters, as the console's own query string carries them (times already in UTC). */
export interface QueueFilters {
  state?: string; storeId?: string; laneId?: string; cameraId?: string; type?: string; severity?: string; from?: string; to?: string;
}

/** Whether a live incident belongs in the filtered queue (the same tests the API applies). */
export function matchesFilters(i: QueueIncident, f: QueueFilters): boolean {
  if (f.state && i.state !== f.state) return false;
  if (f.storeId && i.storeId !== f.storeId) return false;
  if (f.laneId && i.laneId !== f.laneId) return false;
  if (f.cameraId && i.cameraId !== f.cameraId) return false;
  if (f.type && i.type !== f.type) return false;
  if (f.severity && i.severity !== f.severity) return false;
  if (f.from && (!i.lastEventAt || Date.parse(i.lastEventAt) < Date.parse(f.from))) return false;
  if (f.to && (!i.openedAt || Date.parse(i.openedAt) >= Date.parse(f.to))) return false;
  return true;
}

export function helpDialogHtml(): string {
  const rows = KEYBOARD_HELP.map(([key, what]) => `<tr><th scope="row"><kbd>${escapeHtml(key)}</kbd></th><td>${escapeHtml(what)}</td></tr>`).join('');
  return `<dialog id="help" aria-labelledby="help-title"><h2 id="help-title">Keyboard shortcuts</h2><table class="keys"><tbody>${rows}</tbody></table><form method="dialog"><button type="submit">Close</button></form></dialog>`;
}

export function dismissDialogHtml(): string {
  const options = DISMISS_REASONS.map((r, n) => `<li><label><input type="radio" name="reason" value="${escapeHtml(r.code)}"${n === 0 ? ' required' : ''}> ${escapeHtml(r.label)}</label></li>`).join('');
  return `<dialog id="dismiss" aria-labelledby="dismiss-title"><form method="dialog" id="dismiss-form"><h2 id="dismiss-title">Dismiss: why?</h2>
<fieldset><legend>Reason</legend><ul class="reasons">${options}</ul></fieldset>
<p><label for="dismiss-note">Note (optional)</label><br><textarea id="dismiss-note" name="note" rows="2" maxlength="1500"></textarea></p>
<p class="buttons"><button type="submit" value="dismiss" id="dismiss-confirm">Dismiss incident</button> <button type="submit" value="cancel" formnovalidate>Cancel</button></p></form></dialog>`;
}

/** The reason a dismissal sends: the code, and the note after it. */
export const dismissReasonText = (code: string, note: string): string => (note.trim() ? `${code}: ${note.trim()}` : code);

/** A legal hold as `GET /v1/evidence/holds` lists it. */
export interface HoldInfo { id: string; targetType: string; targetId: string; reason: string; placedBy: string; placedAt: string; storeId?: string | null }

/** The incident page's hold line and its button (place, or release), the same from the server and after a change. */
export function holdStatusHtml(hold: HoldInfo | null, mayHold: boolean, timezone: string | undefined): string {
  if (hold === null) {
    return `<p id="hold-state" data-hold="none">No legal hold: the evidence follows the retention policies.</p>${mayHold ? '<button type="button" id="hold-place">Place legal hold</button>' : ''}`;
  }
  return `<p id="hold-state" data-hold="${escapeHtml(hold.id)}"><strong>On legal hold</strong> since ${escapeHtml(formatInZone(hold.placedAt, timezone))} by ${escapeHtml(hold.placedBy)}: ${escapeHtml(hold.reason)}. Nothing under it is deleted.</p>${mayHold ? `<button type="button" id="hold-release" data-release="${escapeHtml(hold.id)}">Release legal hold</button>` : ''}`;
}

/** An export already made (`GET /v1/incidents/{id}/exports`). */
export interface ExportRecord { id: string; redacted: boolean; bytes: number; sha256: string; createdBy: string; createdAt: string; caseNumber: string | null; recipient: string | null; purpose: string | null }

/** The bundles exported before, with their custody fields and hash (a new download is a new, audited export). */
export function exportsListHtml(exports: ExportRecord[], timezone: string | undefined): string {
  if (exports.length === 0) return '<p class="notice" id="no-exports">No bundle exported yet.</p>';
  const rows = exports.map((e) => `<tr data-export="${escapeHtml(e.id)}"><td>${escapeHtml(formatInZone(e.createdAt, timezone))}</td><th scope="row">${escapeHtml(e.id)}<span class="sub notice">${escapeHtml(e.createdBy)}</span></th>
<td>${e.redacted ? 'redacted' : 'original footage'}</td><td>${escapeHtml(e.caseNumber ?? '—')}</td><td>${escapeHtml(e.recipient ?? '—')}</td><td>${escapeHtml(e.purpose ?? '—')}</td><td>${e.bytes}</td><td><code title="${escapeHtml(e.sha256)}">${escapeHtml(e.sha256.slice(0, 16))}…</code></td></tr>`).join('');
  return `<table id="exports"><caption>Bundles already exported (newest first)</caption><thead><tr><th scope="col">Exported</th><th scope="col">Bundle and by whom</th><th scope="col">Footage</th><th scope="col">Case number</th><th scope="col">Recipient</th><th scope="col">Purpose</th><th scope="col">Bytes</th><th scope="col">SHA-256</th></tr></thead><tbody>${rows}</tbody></table>`;
}
