import { EVENT_TYPES, SEVERITIES, STATES, escapeHtml, queueRowHtml, typeLabel, type Directory, type QueueFilters, type QueueIncident } from './client/render.js';
import { consolePage, type Viewer } from './html.js';

/** The filter form as the user filled it in (times as typed, in the chosen store's zone). */
export interface QueueForm {
  state?: string | undefined; storeId?: string | undefined; laneId?: string | undefined; cameraId?: string | undefined;
  type?: string | undefined; severity?: string | undefined; from?: string | undefined; to?: string | undefined;
}

const select = (name: string, label: string, value: string | undefined, options: Array<[string, string]>): string =>
  `<label for="f-${name}">${escapeHtml(label)}<select id="f-${name}" name="${name}"><option value="">Any</option>${options
    .map(([v, text]) => `<option value="${escapeHtml(v)}"${v === value ? ' selected' : ''}>${escapeHtml(text)}</option>`).join('')}</select></label>`;

function filterForm(form: QueueForm, dir: Directory): string {
  const stores = Object.values(dir.stores).sort((a, b) => a.name.localeCompare(b.name)).map((s): [string, string] => [s.id, `${s.name} (${s.code})`]);
  const lanes = Object.values(dir.lanes).sort((a, b) => a.name.localeCompare(b.name)).map((l): [string, string] => [l.id, l.name]);
  const cameras = Object.values(dir.cameras).sort((a, b) => a.name.localeCompare(b.name)).map((c): [string, string] => [c.id, c.name]);
  const time = (name: 'from' | 'to', label: string) => `<label for="f-${name}">${label}<input type="datetime-local" id="f-${name}" name="${name}" value="${escapeHtml(form[name] ?? '')}"></label>`;
  return `<form class="filters" method="get" action="/console" role="search" aria-label="Filter the queue">
${select('state', 'State', form.state, STATES.map((s) => [s, s]))}
${select('storeId', 'Store', form.storeId, stores)}
${select('laneId', 'Lane', form.laneId, lanes)}
${select('cameraId', 'Camera', form.cameraId, cameras)}
${select('type', 'Type', form.type, EVENT_TYPES.map((t) => [t, typeLabel(t)]))}
${select('severity', 'Severity', form.severity, [...SEVERITIES].reverse().map((s) => [s, s]))}
${time('from', 'Last event from')}${time('to', 'Opened before')}
<button type="submit">Apply filters</button> <a href="/console">Clear</a>
<p class="notice" id="time-note">Times are the store's local time (the chosen store's zone in the filters; UTC when no store is chosen).</p>
</form>`;
}

export interface QueuePageInput {
  viewer: Viewer;
  incidents: QueueIncident[];
  nextCursor: string | null;
  cursor: string | undefined;
  directory: Directory;
  form: QueueForm;
  filters: QueueFilters;
  /** Why the directory (store names) could not be read, when it could not. */
  directoryNote: string | null;
}

const formQuery = (form: QueueForm, cursor?: string): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
};

function emptyState(input: QueuePageInput): string {
  const filtered = Object.values(input.form).some(Boolean);
  if (input.cursor) return `<div class="empty" id="empty"><p>No more incidents on this page. <a href="/console${escapeHtml(formQuery(input.form))}">Back to the first page</a>.</p></div>`;
  if (filtered) return `<div class="empty" id="empty"><p><strong>No incident matches these filters.</strong></p><p>Widen the time range, choose "Any" for a filter, or <a href="/console">clear all filters</a>. New matching incidents appear here as they happen.</p></div>`;
  return `<div class="empty" id="empty"><p><strong>Nothing to review.</strong> There is no incident in your stores.</p><p>Leave this page open: new incidents appear here as they happen. If you expected some, check that your stores' cameras are online and that your role covers the right stores (ask your loss-prevention admin).</p></div>`;
}

export function queuePage(input: QueuePageInput): string {
  const rows = input.incidents.map((i) => queueRowHtml(i, input.directory)).join('\n');
  const empty = input.incidents.length === 0;
  const pager = [
    input.cursor ? `<a href="/console${escapeHtml(formQuery(input.form))}" id="first-page">← First page</a>` : '',
    input.nextCursor ? `<a href="/console${escapeHtml(formQuery(input.form, input.nextCursor))}" id="next-page" rel="next">Next page →</a>` : '',
  ].join('');
  const main = `<h1>Review queue <span class="notice">(<span id="count">${input.incidents.length}</span> on this page)</span></h1>
${filterForm(input.form, input.directory)}
${input.directoryNote ? `<p class="notice" id="directory-note">${escapeHtml(input.directoryNote)}</p>` : ''}
<p id="live" aria-live="off">Live updates: connecting…</p>
${empty ? emptyState(input) : '<div class="empty" id="empty" hidden><p><strong>Nothing to review on this page any more.</strong> New incidents appear here as they happen.</p></div>'}
<table id="incidents"${empty ? ' hidden' : ''}><caption class="notice">Most severe first, then newest. <kbd>j</kbd>/<kbd>k</kbd> select, <kbd>Enter</kbd> opens, <kbd>a</kbd> <kbd>v</kbd> <kbd>d</kbd> <kbd>e</kbd> act, <kbd>?</kbd> help.</caption>
<thead><tr><th scope="col"><span class="notice">Snapshot</span></th><th scope="col">Severity</th><th scope="col">Incident</th><th scope="col">Store</th><th scope="col">Lane · camera</th><th scope="col">Last event (store time)</th><th scope="col">State</th></tr></thead>
<tbody>${rows}</tbody></table>
<nav class="pager" aria-label="Pages">${pager}</nav>`;
  return consolePage({ title: 'Review queue', viewer: input.viewer, main, script: 'queue', data: { directory: input.directory, filters: input.filters, firstPage: !input.cursor } });
}
