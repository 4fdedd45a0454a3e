/** The incident page in the browser: clip with detection boxes, timeline, snapshot, moves, comments, keyboard. */
import { ApiRefusal, announce, api, openHelp, pageData, QUEUE_ORDER_KEY, shortcutKey, transition, wireEnvironmentSwitch } from './dom.js';
import { wireEvidenceActions } from './incident-evidence.js';
import { escapeHtml, formatInZone, stateBadge, TRANSITION_LABELS, type HoldInfo } from './render.js';

interface Detection { label: string; score: number; box: [number, number, number, number] }
interface EventRow { id: string; occurredAt: string; type: string; detections: Detection[] }
interface Item { id: string; kind: string; capturedFrom: string; capturedTo: string }
interface IncidentData {
  incident: { id: string; state: string; version: number; allowedTransitions: string[] };
  timezone: string;
  events: EventRow[] | null;
  items: Item[] | null;
  deepAction: string | null;
  evidence: { hold: HoldInfo | null; mayHold: boolean };
}

const data = pageData<IncidentData>();
const incident = { ...data.incident };
const video = document.getElementById('clip') as HTMLVideoElement | null;
const canvas = document.getElementById('boxes') as HTMLCanvasElement | null;
const clip = data.items?.find((i) => i.kind === 'clip');
const snapshot = data.items?.find((i) => i.kind === 'snapshot');
const clipStart = clip ? Date.parse(clip.capturedFrom) : 0;

/** How long a detection's boxes stay on screen after its event, in seconds of clip. */
const BOX_HOLD_SECONDS = 1.5;
let boxesDrawn = 0;

/** The boxes of the latest event at or before the clip's current time (held for a moment), over the video. */
function drawBoxes(): void {
  if (!video || !canvas || !data.events) return;
  const rect = video.getBoundingClientRect();
  if (canvas.width !== Math.round(rect.width) || canvas.height !== Math.round(rect.height)) {
    canvas.width = Math.round(rect.width);
    canvas.height = Math.round(rect.height);
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, canvas.width, canvas.height);
  const now = clipStart + video.currentTime * 1000;
  const shown = [...data.events].reverse().find((e) => Date.parse(e.occurredAt) <= now + 100 && now - Date.parse(e.occurredAt) <= BOX_HOLD_SECONDS * 1000);
  // The picture's area inside the element (letterboxing when the aspect ratios differ).
  const vw = video.videoWidth || 16;
  const vh = video.videoHeight || 9;
  const scale = Math.min(canvas.width / vw, canvas.height / vh);
  const ox = (canvas.width - vw * scale) / 2;
  const oy = (canvas.height - vh * scale) / 2;
  for (const d of shown?.detections ?? []) {
    const [x1, y1, x2, y2] = d.box;
    g.strokeStyle = '#ffdd00';
    g.lineWidth = 3;
    g.strokeRect(ox + x1 * vw * scale, oy + y1 * vh * scale, (x2 - x1) * vw * scale, (y2 - y1) * vh * scale);
    g.fillStyle = '#ffdd00';
    g.font = '13px system-ui, sans-serif';
    g.fillText(`${d.label} ${Math.round(d.score * 100)}%`, ox + x1 * vw * scale + 3, oy + y1 * vh * scale + 14);
    boxesDrawn += 1;
  }
  canvas.dataset.boxes = String(shown?.detections.length ?? 0);
  canvas.dataset.boxesDrawn = String(boxesDrawn);
  document.querySelectorAll('#timeline li').forEach((li) => li.classList.toggle('current', li.getAttribute('data-event') === shown?.id));
}

function animate(): void {
  drawBoxes();
  if (video && !video.paused && !video.ended) requestAnimationFrame(animate);
}

async function loadMedia(): Promise<void> {
  if (video && clip) {
    try {
      const link = await api<{ url: string }>('POST', `/v1/evidence/items/${encodeURIComponent(clip.id)}/links`, { disposition: 'inline' });
      video.src = link.url;
      video.addEventListener('play', () => requestAnimationFrame(animate));
      for (const name of ['seeked', 'loadeddata', 'pause', 'ended', 'timeupdate']) video.addEventListener(name, drawBoxes);
      video.addEventListener('loadeddata', () => {
        document.body.dataset.clip = 'loaded';
      }, { once: true });
      video.addEventListener('ended', () => {
        document.body.dataset.clip = 'ended';
      });
    } catch (error) {
      document.getElementById('clip-note')!.textContent = error instanceof ApiRefusal && error.status === 403 ? 'The clip is not shown to your role.' : `The clip could not be opened: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const img = document.getElementById('snapshot') as HTMLImageElement | null;
  if (img && snapshot) {
    try {
      img.src = (await api<{ url: string }>('POST', `/v1/evidence/items/${encodeURIComponent(snapshot.id)}/links`, { disposition: 'inline' })).url;
      img.hidden = false;
    } catch {
      img.replaceWith(Object.assign(document.createElement('p'), { textContent: 'The snapshot is not shown to your role.' }));
    }
  }
}

/** Clicking (or Enter on) an event seeks the clip to it. */
document.getElementById('timeline')?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-offset]');
  if (!button || !video) return;
  video.currentTime = Number(button.dataset.offset);
  video.focus();
});

function renderMoves(): void {
  const holder = document.getElementById('moves');
  if (!holder) return;
  holder.innerHTML = incident.allowedTransitions.length === 0
    ? '<p id="no-moves">No move is open to you on this incident now.</p>'
    : incident.allowedTransitions.map((to) => {
      const t = TRANSITION_LABELS[to] ?? { label: to };
      return `<button type="button" data-transition="${escapeHtml(to)}"${t.key ? ` aria-keyshortcuts="${t.key}"` : ''}>${escapeHtml(t.label)}${t.key ? ` <kbd>${t.key}</kbd>` : ''}</button>`;
    }).join(' ');
}

async function move(to: string): Promise<void> {
  const label = TRANSITION_LABELS[to]?.label ?? to;
  if (!incident.allowedTransitions.includes(to)) return announce(`${label} is not open to you on this incident (it is ${incident.state}).`, 'error');
  if (to === 'reopened') {
    (document.getElementById('reopen') as HTMLDialogElement | null)?.showModal();
    return;
  }
  if (to === 'resolved') {
    (document.getElementById('outcome') as HTMLDialogElement | null)?.showModal();
    return;
  }
  try {
    const result = await transition(incident.id, to, incident.version);
    if (!result) return;
    applyResult(result, label);
  } catch (error) {
    announce(error instanceof Error ? error.message : String(error), 'error');
  }
}

function applyResult(result: { state: string; version: number; allowedTransitions: string[] }, label: string): void {
  incident.state = result.state;
  incident.version = result.version;
  incident.allowedTransitions = result.allowedTransitions;
  const field = document.querySelector('[data-field=state]');
  if (field) field.textContent = result.state;
  const badge = document.getElementById('state-badge');
  if (badge) badge.innerHTML = stateBadge(result.state);
  document.getElementById('deep-action')?.remove();
  renderMoves();
  void refreshHistory();
  announce(`${label}: done. The incident is now ${result.state}.`);
  (document.querySelector('#moves button') as HTMLButtonElement | null)?.focus();
}

document.getElementById('outcome-form')?.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if ((event as SubmitEvent).submitter?.getAttribute('value') !== 'resolve') return;
  const values = new FormData(form);
  void api<{ state: string; version: number; allowedTransitions: string[] }>('POST', `/v1/incidents/${encodeURIComponent(incident.id)}/transitions`, {
    to: 'resolved', expectedVersion: incident.version,
    outcome: { result: String(values.get('result')), recoveredValue: Number(values.get('recoveredValue') || 0), notes: String(values.get('notes') ?? '') },
  }).then((result) => applyResult(result, 'Resolve'), (error: unknown) => announce(error instanceof Error ? error.message : String(error), 'error'));
});

document.getElementById('reopen-form')?.addEventListener('submit', (event) => {
  if ((event as SubmitEvent).submitter?.getAttribute('value') !== 'reopen') return;
  const reason = String(new FormData(event.target as HTMLFormElement).get('reason') ?? '').trim();
  void transition(incident.id, 'reopened', incident.version, reason)
    .then((result) => result && applyResult(result, 'Reopen'), (error: unknown) => announce(error instanceof Error ? error.message : String(error), 'error'));
});

document.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-transition]');
  if (button) void move(button.dataset.transition ?? '');
});

async function refreshHistory(): Promise<void> {
  const list = document.getElementById('history-list');
  if (!list) return;
  const rows = await api<{ data: Array<{ action: string; fromState: string; toState: string; actorId: string; reason: string | null; at: string }> }>('GET', `/v1/incidents/${encodeURIComponent(incident.id)}/transitions`);
  list.innerHTML = rows.data.map((t) => `<li><time datetime="${escapeHtml(t.at)}">${escapeHtml(formatInZone(t.at, data.timezone))}</time> ${escapeHtml(t.fromState)} → <strong>${escapeHtml(t.toState)}</strong> by ${escapeHtml(t.actorId)}${t.reason ? ` — ${escapeHtml(t.reason)}` : ''}</li>`).join('') || '<li>No move yet.</li>';
}

document.getElementById('comment-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target as HTMLFormElement;
  const text = (form.elements.namedItem('body') as HTMLTextAreaElement).value;
  if (!text.trim()) return announce('Write a comment first.', 'error');
  void api<{ id: string; authorId: string; body: string; at: string }>('POST', `/v1/incidents/${encodeURIComponent(incident.id)}/comments`, { body: text }).then((comment) => {
    document.getElementById('no-comments')?.remove();
    document.getElementById('comments-list')?.insertAdjacentHTML('beforeend', `<li data-comment="${escapeHtml(comment.id)}"><time datetime="${escapeHtml(comment.at)}">${escapeHtml(formatInZone(comment.at, data.timezone))}</time> <strong>${escapeHtml(comment.authorId)}</strong>: ${escapeHtml(comment.body)}</li>`);
    form.reset();
    announce('Comment added.');
  }, (error: unknown) => announce(error instanceof Error ? error.message : String(error), 'error'));
});

function neighbour(step: number): void {
  const order = JSON.parse(sessionStorage.getItem(QUEUE_ORDER_KEY) ?? '[]') as string[];
  const at = order.indexOf(incident.id);
  const next = at >= 0 ? order[at + step] : undefined;
  if (next) window.location.assign(`/console/incidents/${encodeURIComponent(next)}`);
  else announce(step > 0 ? 'This is the last incident of the queue you came from.' : 'This is the first incident of the queue you came from.', 'error');
}

function togglePlay(): void {
  if (!video?.src) return announce('There is no clip to play.', 'error');
  if (video.paused || video.ended) void video.play();
  else video.pause();
}

document.addEventListener('keydown', (event) => {
  const key = shortcutKey(event);
  if (key === null) return;
  if (key === ' ') {
    // Space plays and pauses unless a button or link has the focus (then it presses it, as everywhere).
    const focused = document.activeElement;
    if (focused && focused !== document.body && focused !== video && focused.matches('button, a, summary')) return;
    event.preventDefault();
    return togglePlay();
  }
  const actions: Record<string, () => void> = {
    j: () => neighbour(1), k: () => neighbour(-1), '?': openHelp,
    a: () => void move('acknowledged'), v: () => void move('verified'), d: () => void move('dismissed'), e: () => void move('escalated'),
  };
  const run = actions[key];
  if (!run) return;
  event.preventDefault();
  run();
});
document.getElementById('help-button')?.addEventListener('click', openHelp);
wireEnvironmentSwitch();

renderMoves();
wireEvidenceActions(data);
void loadMedia();
const deep = document.querySelector<HTMLButtonElement>('#deep-action button[data-transition]');
if (deep) deep.focus();
document.body.dataset.ready = 'true';
