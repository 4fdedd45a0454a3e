/**
 * The zone editor of a camera page: the camera's zones drawn on a canvas over its latest snapshot (or a
 * neutral grid), edited with the mouse (click adds a point, drag moves one, clicking the first point closes
 * the polygon) or the keyboard (arrows move the selected point, the points field takes typed coordinates),
 * and saved through the camera API (`PATCH /v1/cameras/{id}` with the whole `zones` list).
 */
import { ApiRefusal, announce, api, pageData, wireEnvironmentSwitch } from './dom.js';
import { escapeHtml } from './render.js';

type Point = [number, number];
interface Zone { name: string; type: string; polygon: Point[]; closed: boolean }
interface CameraData {
  camera: { id: string; name: string; zones: Array<{ name: string; type: string; polygon: Point[] }>; updatedAt: string | null };
  /** The camera's ETag when the page was rendered: the save sends it as If-Match. */
  etag: string | null;
  snapshotItemId: string | null;
  canEdit: boolean;
}

const data = pageData<CameraData>();
const cameraPath = `/v1/cameras/${encodeURIComponent(data.camera.id)}`;
let etag = data.etag;
const zones: Zone[] = data.camera.zones.map((z) => ({ ...z, polygon: z.polygon.map(([x, y]): Point => [x, y]), closed: true }));
let selected = zones.length > 0 ? 0 : -1;
let selectedPoint = -1;
let dragging = false;
let dirty = false;

const canvas = document.getElementById('zone-canvas') as HTMLCanvasElement;
const snapshot = document.getElementById('zone-snapshot') as HTMLImageElement;
const list = document.getElementById('zone-list') as HTMLUListElement;
const form = document.getElementById('zone-form') as HTMLFieldSetElement | null;
const nameInput = document.getElementById('zone-name') as HTMLInputElement | null;
const typeInput = document.getElementById('zone-type') as HTMLSelectElement | null;
const pointsInput = document.getElementById('zone-points') as HTMLTextAreaElement | null;

const COLOURS: Record<string, string> = {
  scanner: '#1d4ed8', bagging: '#047857', load: '#7c3aed', exit: '#b91c1c', shelf: '#a16207', customer: '#0e7490', staff: '#4b5563', high_value: '#be185d',
};
const HANDLE = 7;
const round = (n: number) => Math.round(Math.min(1, Math.max(0, n)) * 10_000) / 10_000;
const current = (): Zone | undefined => zones[selected];

function drawGrid(ctx: CanvasRenderingContext2D, w: number, h: number): void {
  ctx.fillStyle = '#eceff3';
  ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = '#b8bec8';
  ctx.lineWidth = 1;
  for (let i = 1; i < 10; i += 1) {
    ctx.beginPath(); ctx.moveTo((w * i) / 10, 0); ctx.lineTo((w * i) / 10, h); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(0, (h * i) / 10); ctx.lineTo(w, (h * i) / 10); ctx.stroke();
  }
}

function drawZone(ctx: CanvasRenderingContext2D, zone: Zone, isSelected: boolean, w: number, h: number): void {
  const colour = COLOURS[zone.type] ?? '#1d4ed8';
  const [first] = zone.polygon;
  if (!first) return;
  ctx.beginPath();
  zone.polygon.forEach(([x, y], n) => (n === 0 ? ctx.moveTo(x * w, y * h) : ctx.lineTo(x * w, y * h)));
  if (zone.closed) {
    ctx.closePath();
    ctx.globalAlpha = isSelected ? 0.3 : 0.18;
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.globalAlpha = 1;
  }
  ctx.strokeStyle = colour;
  ctx.lineWidth = isSelected ? 3 : 2;
  ctx.setLineDash(zone.closed ? [] : [6, 4]);
  ctx.stroke();
  ctx.setLineDash([]);
  if (isSelected) {
    zone.polygon.forEach(([x, y], n) => {
      ctx.fillStyle = n === selectedPoint ? '#ffd400' : '#fff';
      ctx.fillRect(x * w - HANDLE / 2 - 1, y * h - HANDLE / 2 - 1, HANDLE + 2, HANDLE + 2);
      ctx.strokeStyle = '#1a1a1a';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(x * w - HANDLE / 2 - 1, y * h - HANDLE / 2 - 1, HANDLE + 2, HANDLE + 2);
    });
  }
  ctx.font = '600 15px system-ui, sans-serif';
  const label = `${zone.name || '(unnamed)'} · ${zone.type}`;
  const width = ctx.measureText(label).width + 8;
  ctx.fillStyle = '#1a1a1a';
  ctx.fillRect(first[0] * w, Math.max(0, first[1] * h - 20), width, 20);
  ctx.fillStyle = '#fff';
  ctx.fillText(label, first[0] * w + 4, Math.max(15, first[1] * h - 5));
}

function draw(): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  if (snapshot.hidden) drawGrid(ctx, w, h);
  zones.forEach((zone, n) => n !== selected && drawZone(ctx, zone, false, w, h));
  const chosen = current();
  if (chosen) drawZone(ctx, chosen, true, w, h);
  canvas.dataset.zones = String(zones.length);
}

function renderList(): void {
  list.innerHTML = zones.length === 0
    ? '<li class="notice">No zones yet.</li>'
    : zones.map((z, n) => `<li><button type="button" data-zone="${n}" aria-pressed="${n === selected}">${escapeHtml(z.name || '(unnamed)')}</button> <span class="notice">${escapeHtml(z.type.replace('_', ' '))} · ${z.polygon.length} points${z.closed ? '' : ' · open'}</span></li>`).join('');
  const zone = current();
  if (!form || !nameInput || !typeInput || !pointsInput) return;
  form.disabled = zone === undefined;
  nameInput.value = zone?.name ?? '';
  typeInput.value = zone?.type ?? 'scanner';
  if (document.activeElement !== pointsInput) pointsInput.value = zone ? zone.polygon.map(([x, y]) => `${x} ${y}`).join('\n') : '';
}

function changed(): void {
  dirty = true;
  renderList();
  draw();
}

/** The point under a canvas position, on the selected zone first, then any zone. */
function pointAt(px: number, py: number): { zone: number; point: number } | null {
  const order = [selected, ...zones.map((_z, n) => n).filter((n) => n !== selected)].filter((n) => n >= 0);
  for (const zone of order) {
    const found = zones[zone]?.polygon.findIndex(([x, y]) => Math.abs(x * canvas.width - px) <= HANDLE + 3 && Math.abs(y * canvas.height - py) <= HANDLE + 3) ?? -1;
    if (found >= 0) return { zone, point: found };
  }
  return null;
}

function canvasPosition(event: PointerEvent): { px: number; py: number } {
  const rect = canvas.getBoundingClientRect();
  return { px: ((event.clientX - rect.left) / rect.width) * canvas.width, py: ((event.clientY - rect.top) / rect.height) * canvas.height };
}

function onPointerDown(event: PointerEvent): void {
  const { px, py } = canvasPosition(event);
  const hit = pointAt(px, py);
  const zone = current();
  if (hit && zone && hit.zone === selected && hit.point === 0 && !zone.closed && zone.polygon.length >= 3) {
    zone.closed = true;
    announce(`Zone ${zone.name || '(unnamed)'} closed with ${zone.polygon.length} points.`);
    return changed();
  }
  if (hit) {
    [selected, selectedPoint, dragging] = [hit.zone, hit.point, true];
    canvas.setPointerCapture(event.pointerId);
    return changed();
  }
  if (!zone || zone.closed) return announce(zone ? 'This zone is closed: drag its points, or choose "New zone".' : 'Choose "New zone" first.');
  if (zone.polygon.length >= 64) return announce('A zone has at most 64 points.', 'error');
  zone.polygon.push([round(px / canvas.width), round(py / canvas.height)]);
  selectedPoint = zone.polygon.length - 1;
  changed();
}

function onPointerMove(event: PointerEvent): void {
  const point = current()?.polygon[selectedPoint];
  if (!dragging || !point) return;
  const { px, py } = canvasPosition(event);
  [point[0], point[1]] = [round(px / canvas.width), round(py / canvas.height)];
  changed();
}

function onKey(event: KeyboardEvent): void {
  const zone = current();
  const point = zone?.polygon[selectedPoint];
  if (!zone || !point) return;
  const step = event.shiftKey ? 0.05 : 0.01;
  const moves: Record<string, Point> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  const move = moves[event.key];
  if (move) {
    [point[0], point[1]] = [round(point[0] + move[0]), round(point[1] + move[1])];
  } else if (event.key === 'Delete' || event.key === 'Backspace') {
    zone.polygon.splice(selectedPoint, 1);
    selectedPoint = Math.min(selectedPoint, zone.polygon.length - 1);
    if (zone.polygon.length < 3) zone.closed = false;
  } else if (event.key === 'Tab' || !/^[1-9]$/.test(event.key)) {
    return;
  } else {
    // Digits pick a point of the selected zone, so a keyboard user can reach each one.
    selectedPoint = Math.min(Number(event.key), zone.polygon.length) - 1;
  }
  event.preventDefault();
  changed();
}

/** The zones as the API takes them; a message instead when one is not ready to save. */
function zonesToSave(): Array<{ name: string; type: string; polygon: Point[] }> | string {
  const names = new Set<string>();
  for (const zone of zones) {
    if (!zone.name.trim()) return 'Every zone needs a name.';
    if (names.has(zone.name.trim())) return `Two zones are named ${zone.name.trim()}: names are unique within a camera.`;
    names.add(zone.name.trim());
    if (!zone.closed || zone.polygon.length < 3) return `Zone ${zone.name} is not closed: it needs at least 3 points and "Close polygon".`;
  }
  return zones.map((z) => ({ name: z.name.trim(), type: z.type, polygon: z.polygon }));
}

async function save(): Promise<void> {
  const body = zonesToSave();
  if (typeof body === 'string') return announce(body, 'error');
  try {
    // If-Match: the API refuses (412) when the camera changed since the page loaded, under the row's lock.
    const saved = await api<{ updatedAt: string; zones: unknown[] }>('PATCH', cameraPath, { zones: body }, {
      ...(etag ? { headers: { 'if-match': etag } } : {}),
      onHeaders: (headers) => {
        etag = headers.get('etag') ?? etag;
      },
    });
    dirty = false;
    document.body.dataset.saved = saved.updatedAt;
    announce(`Saved ${saved.zones.length} zone(s).`);
  } catch (error) {
    if (error instanceof ApiRefusal && error.status === 412) return announce('Not saved: this camera changed since you opened the page; reload it to see the other change before saving.', 'error');
    announce(error instanceof ApiRefusal ? `Not saved: ${error.message}` : 'Not saved: the hub could not be reached.', 'error');
  }
}

function parsePoints(text: string): Point[] | null {
  const points: Point[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [x, y, extra] = line.split(/[\s,]+/).map(Number);
    if (x === undefined || y === undefined || extra !== undefined || !(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return null;
    points.push([x, y]);
  }
  return points;
}

function wireControls(): void {
  canvas.addEventListener('pointerdown', onPointerDown);
  canvas.addEventListener('pointermove', onPointerMove);
  canvas.addEventListener('pointerup', () => { dragging = false; });
  canvas.addEventListener('keydown', onKey);
  list.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-zone]');
    if (!button) return;
    [selected, selectedPoint] = [Number(button.dataset.zone), -1];
    renderList(); draw();
  });
  document.getElementById('zone-new')?.addEventListener('click', () => {
    zones.push({ name: `zone ${zones.length + 1}`, type: 'scanner', polygon: [], closed: false });
    [selected, selectedPoint] = [zones.length - 1, -1];
    changed();
    announce('New zone: click on the picture to add its points.');
    canvas.focus();
  });
  document.getElementById('zone-close')?.addEventListener('click', () => {
    const zone = current();
    if (!zone) return;
    if (zone.polygon.length < 3) return announce('A zone needs at least 3 points before it can be closed.', 'error');
    zone.closed = true;
    changed();
  });
  document.getElementById('zone-undo')?.addEventListener('click', () => {
    const zone = current();
    if (!zone || zone.polygon.length === 0) return;
    zone.polygon.pop();
    if (zone.polygon.length < 3) zone.closed = false;
    selectedPoint = zone.polygon.length - 1;
    changed();
  });
  document.getElementById('zone-delete')?.addEventListener('click', () => {
    if (selected < 0) return;
    const [removed] = zones.splice(selected, 1);
    [selected, selectedPoint] = [zones.length > 0 ? 0 : -1, -1];
    changed();
    announce(`Zone ${removed?.name ?? ''} deleted (not saved yet).`);
  });
  nameInput?.addEventListener('input', () => { const zone = current(); if (zone) { zone.name = nameInput.value; changed(); } });
  typeInput?.addEventListener('change', () => { const zone = current(); if (zone) { zone.type = typeInput.value; changed(); } });
  pointsInput?.addEventListener('change', () => {
    const zone = current();
    const points = parsePoints(pointsInput.value);
    if (!zone) return;
    if (points === null) return announce('Points are two numbers from 0 to 1 per line, such as "0.25 0.5".', 'error');
    zone.polygon = points;
    if (points.length < 3) zone.closed = false;
    changed();
  });
  document.getElementById('zone-save')?.addEventListener('click', () => void save());
  window.addEventListener('beforeunload', (event) => { if (dirty) event.preventDefault(); });
}

async function showSnapshot(): Promise<void> {
  const note = document.getElementById('snapshot-note');
  if (!data.snapshotItemId) return;
  try {
    const link = await api<{ url: string }>('POST', `/v1/evidence/items/${encodeURIComponent(data.snapshotItemId)}/links`, { disposition: 'inline' });
    snapshot.addEventListener('load', () => {
      snapshot.hidden = false;
      if (note) note.textContent = 'Zones over the camera\'s latest snapshot (from its newest incident).';
      draw();
    }, { once: true });
    snapshot.src = link.url;
  } catch {
    if (note) note.textContent = 'The snapshot could not be shown: the zones are drawn on a neutral grid (10% steps).';
  }
}

wireEnvironmentSwitch();
if (data.canEdit) wireControls();
renderList();
draw();
void showSnapshot();
document.body.dataset.ready = 'zones';
