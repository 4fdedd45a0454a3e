/** The review queue in the browser: thumbnails, live updates (server-sent events), keyboard review. */
import { ApiRefusal, announce, api, openHelp, pageData, QUEUE_ORDER_KEY, shortcutKey, transition, wireEnvironmentSwitch } from './dom.js';
import { matchesFilters, queueBefore, queueRowHtml, storeLabel, TRANSITION_LABELS, typeLabel, type Directory, type QueueFilters, type QueueIncident } from './render.js';

interface QueueData { directory: Directory; filters: QueueFilters; firstPage: boolean }

const data = pageData<QueueData>();
const table = document.getElementById('incidents') as HTMLTableElement;
const body = table.tBodies[0] as HTMLTableSectionElement;
const rows = () => [...body.querySelectorAll<HTMLTableRowElement>('tr[data-incident]')];

function refreshCount(): void {
  const count = rows().length;
  const counter = document.getElementById('count');
  if (counter) counter.textContent = String(count);
  document.getElementById('empty')?.toggleAttribute('hidden', count > 0);
  table.toggleAttribute('hidden', count === 0);
  sessionStorage.setItem(QUEUE_ORDER_KEY, JSON.stringify(rows().map((r) => r.dataset.incident)));
}

// Thumbnails: the incident's snapshot through a signed link (a few at a time).
const thumbQueue: HTMLElement[] = [];
let thumbsRunning = 0;
async function loadThumb(slot: HTMLElement): Promise<void> {
  const incidentId = slot.dataset.thumbFor ?? '';
  try {
    const items = await api<{ data: Array<{ id: string; kind: string }> }>('GET', `/v1/evidence/items?incidentId=${encodeURIComponent(incidentId)}`);
    const snapshot = items.data.find((item) => item.kind === 'snapshot');
    if (!snapshot) {
      slot.textContent = 'no snapshot';
      return;
    }
    const link = await api<{ url: string }>('POST', `/v1/evidence/items/${encodeURIComponent(snapshot.id)}/links`, { disposition: 'inline' });
    // The thumbnail links to the snapshot itself (the same short-lived signed link), to look closer.
    const open = document.createElement('a');
    open.href = link.url;
    open.className = 'thumb-link';
    open.dataset.snapshotFor = incidentId;
    const img = document.createElement('img');
    img.src = link.url;
    img.alt = 'Snapshot (open full size)';
    img.width = 96;
    img.height = 54;
    img.className = 'thumb-img';
    img.decoding = 'async';
    img.dataset.thumbFor = incidentId;
    open.append(img);
    slot.replaceWith(open);
  } catch (error) {
    slot.textContent = error instanceof ApiRefusal && error.status === 403 ? 'not shown to your role' : 'no snapshot';
  }
}
function pumpThumbs(): void {
  while (thumbsRunning < 4 && thumbQueue.length > 0) {
    const slot = thumbQueue.shift() as HTMLElement;
    thumbsRunning += 1;
    void loadThumb(slot).finally(() => {
      thumbsRunning -= 1;
      pumpThumbs();
    });
  }
}
// Only the rows on screen ask for their thumbnail, when they scroll into view: a page of 25 rows is 50 API
// calls otherwise, made while the hub is serving the next page.
const onScreen = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    onScreen.unobserve(entry.target);
    thumbQueue.push(entry.target as HTMLElement);
  }
  pumpThumbs();
}, { rootMargin: '200px 0px' });
const queueThumbs = (root: ParentNode) => {
  for (const slot of root.querySelectorAll<HTMLElement>('span[data-thumb-for]')) onScreen.observe(slot);
};

function rowElement(incident: QueueIncident): HTMLTableRowElement {
  const template = document.createElement('tbody');
  template.innerHTML = queueRowHtml(incident, data.directory);
  return template.firstElementChild as HTMLTableRowElement;
}

/** A new or changed incident from the stream: placed in order, replaced, or taken out when it no longer matches. */
function applyLive(incident: QueueIncident): void {
  const existing = body.querySelector<HTMLTableRowElement>(`tr[data-incident="${CSS.escape(incident.id)}"]`);
  const wasSelected = existing?.classList.contains('selected') ?? false;
  if (!matchesFilters(incident, data.filters)) {
    if (existing) {
      if (wasSelected) move(1);
      existing.remove();
      refreshCount();
    }
    return;
  }
  const current = rows().filter((r) => r !== existing);
  const next = current.find((r) => queueBefore(incident, { id: r.dataset.incident ?? '', severity: r.dataset.severity ?? '' }));
  // Beyond the last row of a page that has more: it belongs on a later page.
  if (!next && !existing && document.getElementById('next-page')) return;
  if (!data.firstPage && !existing && next === current[0]) return;
  const row = rowElement(incident);
  row.classList.add(existing ? 'changed' : 'arrived');
  if (wasSelected) row.classList.add('selected');
  existing?.remove();
  body.insertBefore(row, next ?? null);
  queueThumbs(row);
  refreshCount();
  if (!existing) announce(`New ${incident.severity ?? ''} incident: ${typeLabel(incident.type ?? 'incident')} at ${storeLabel(data.directory, incident.storeId)}`);
}

function connect(): void {
  const live = document.getElementById('live');
  const source = new EventSource('/v1/incidents/stream');
  source.addEventListener('open', () => {
    document.body.dataset.live = 'open';
    if (live) live.textContent = 'Live: new and changed incidents appear here as they happen.';
  });
  source.addEventListener('incident', (event) => applyLive(JSON.parse((event as MessageEvent<string>).data) as QueueIncident));
  source.addEventListener('error', () => {
    document.body.dataset.live = 'reconnecting';
    if (live) live.textContent = 'Live updates interrupted; reconnecting…';
    // A stream refused for an ended session would be retried for ever: ask whether the session still stands.
    void fetch('/auth/me', { credentials: 'same-origin' }).then((me) => {
      if (me.status !== 401) return;
      source.close();
      document.body.dataset.live = 'signed-out';
      if (live) live.innerHTML = `Your session has ended, so live updates stopped. <a href="/auth/login?returnTo=${encodeURIComponent(location.pathname + location.search)}">Sign in again</a>.`;
    }, () => undefined);
  });
}

// Keyboard review: j/k select, Enter opens, a/v/d/e act on the selected incident, ? help.
function selected(): HTMLTableRowElement | undefined {
  return body.querySelector<HTMLTableRowElement>('tr.selected') ?? undefined;
}
function select(row: HTMLTableRowElement | undefined): void {
  for (const r of rows()) {
    r.classList.toggle('selected', r === row);
    r.removeAttribute('aria-current');
  }
  if (!row) return;
  row.setAttribute('aria-current', 'true');
  row.querySelector<HTMLAnchorElement>('a.open')?.focus();
}
function move(step: number): void {
  const all = rows();
  if (all.length === 0) return;
  const at = all.indexOf(selected() as HTMLTableRowElement);
  const index = at < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, at + step));
  select(all[index]);
}

async function act(to: string): Promise<void> {
  const row = selected();
  if (!row) return announce('Select an incident first (j / k).', 'error');
  const allowed = (row.dataset.allowed ?? '').split(' ');
  const label = TRANSITION_LABELS[to]?.label ?? to;
  if (!allowed.includes(to)) return announce(`${label} is not possible for this incident (it is ${row.dataset.state}).`, 'error');
  try {
    const result = await transition(row.dataset.incident ?? '', to, Number(row.dataset.version) || undefined);
    if (!result) return row.querySelector<HTMLAnchorElement>('a.open')?.focus();
    applyLive(result);
    select(body.querySelector<HTMLTableRowElement>(`tr[data-incident="${CSS.escape(result.id)}"]`) ?? undefined);
    announce(`${label}: done. The incident is now ${result.state}.`);
  } catch (error) {
    announce(error instanceof Error ? error.message : String(error), 'error');
  }
}

document.addEventListener('keydown', (event) => {
  const key = shortcutKey(event);
  if (key === null) return;
  const actions: Record<string, () => void> = {
    j: () => move(1), k: () => move(-1), '?': openHelp,
    a: () => void act('acknowledged'), v: () => void act('verified'), d: () => void act('dismissed'), e: () => void act('escalated'),
  };
  const run = actions[key];
  if (!run) return;
  event.preventDefault();
  run();
});
body.addEventListener('focusin', (event) => {
  const row = (event.target as HTMLElement).closest<HTMLTableRowElement>('tr[data-incident]');
  if (row && !row.classList.contains('selected')) select(row);
});
document.getElementById('help-button')?.addEventListener('click', openHelp);
wireEnvironmentSwitch();

refreshCount();
document.body.dataset.ready = 'true';
// The rows are already on the page (server-rendered): thumbnails and the live stream wait until it has loaded
// and painted, so they never compete with the first rows.
const afterLoad = () => {
  queueThumbs(body);
  connect();
};
if (document.readyState === 'complete') afterLoad();
else window.addEventListener('load', afterLoad, { once: true });
