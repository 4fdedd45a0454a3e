import { escapeHtml } from './client/render.js';
import { newStoreForm, renameButton, renameDialog, storeForms, type DirectoryGrants, type RegionRow } from './directory-forms.js';
import { consolePage, type Viewer } from './html.js';

export interface StoreRow { id: string; name: string; code: string; timezone: string; regionId?: string | null }
export interface LaneRow { id: string; storeId: string; name: string; posWorkstationId?: string | null }
export interface CameraRow {
  id: string; storeId: string; laneId: string | null; name: string; updatedAt?: string;
  zones?: Array<{ name: string; type: string; polygon: Array<[number, number]> }>;
  health?: Record<string, unknown>;
}

/** A camera's health as the plugin last reported it: its state word and when, or that nothing came yet. */
export function healthText(health: Record<string, unknown> | undefined): string {
  if (health === undefined) return 'not shown to your role';
  const state = typeof health.state === 'string' ? health.state : null;
  const at = ['reportedAt', 'lastSeenAt', 'at'].map((k) => health[k]).find((v): v is string => typeof v === 'string');
  if (state === null) return 'no health report yet';
  return at ? `${state} (reported ${at.replace('T', ' ').slice(0, 16)} UTC)` : state;
}

const actionHead = '<th scope="col"><span class="notice">Action</span></th>';
const renameCell = (path: string, name: string) => `<td>${renameButton(path, name)}</td>`;

function laneTable(lanes: LaneRow[], cameras: CameraRow[], rename: boolean): string {
  if (lanes.length === 0) return '<p class="notice">No lanes.</p>';
  const rows = lanes.map((l) => `<tr data-lane="${escapeHtml(l.id)}"><th scope="row">${escapeHtml(l.name)}</th><td>${escapeHtml(l.posWorkstationId ?? '—')}</td><td>${cameras.filter((c) => c.laneId === l.id).length}</td>${rename ? renameCell(`/v1/lanes/${l.id}`, l.name) : ''}</tr>`).join('');
  return `<table class="lanes"><caption>Lanes</caption><thead><tr><th scope="col">Lane</th><th scope="col">POS workstation</th><th scope="col">Cameras</th>${rename ? actionHead : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

function cameraTable(cameras: CameraRow[], laneNames: Map<string, string>, rename: boolean): string {
  if (cameras.length === 0) return '<p class="notice">No cameras.</p>';
  const rows = cameras.map((c) => `<tr data-camera="${escapeHtml(c.id)}"><th scope="row"><a href="/console/admin/cameras/${encodeURIComponent(c.id)}">${escapeHtml(c.name)}</a></th>
<td>${escapeHtml(c.laneId ? (laneNames.get(c.laneId) ?? c.laneId) : 'no lane')}</td><td class="health">${escapeHtml(healthText(c.health))}</td><td>${c.zones === undefined ? '—' : c.zones.length}</td>${rename ? renameCell(`/v1/cameras/${c.id}`, c.name) : ''}</tr>`).join('');
  return `<table class="cameras"><caption>Cameras</caption><thead><tr><th scope="col">Camera</th><th scope="col">Lane</th><th scope="col">Health</th><th scope="col">Zones</th>${rename ? actionHead : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

function storeSection(store: StoreRow, lanes: LaneRow[], cameras: CameraRow[], laneNames: Map<string, string>, grants: DirectoryGrants, renames: DirectoryGrants): string {
  const headingId = `store-${escapeHtml(store.id)}`;
  return `<section class="store" aria-labelledby="${headingId}" data-store="${escapeHtml(store.id)}">
<h2 id="${headingId}">${escapeHtml(store.name)} <span class="code">(${escapeHtml(store.code)})</span> <span class="notice">· ${escapeHtml(store.timezone)}</span></h2>
${renames.store ? `<p class="buttons">${renameButton(`/v1/stores/${store.id}`, store.name)}</p>` : ''}
${laneTable(lanes, cameras, renames.lane)}
${cameraTable(cameras, laneNames, renames.camera)}
${storeForms(store, lanes, grants)}
</section>`;
}

const byName = <T extends { name: string }>(rows: T[]): T[] => rows.slice().sort((a, b) => a.name.localeCompare(b.name));

/** Stores with their lanes and cameras (camera health and zone counts); each camera links to its zone editor. */
export function directoryPage(input: { viewer: Viewer; stores: StoreRow[]; lanes: LaneRow[]; cameras: CameraRow[]; canEditCameras: boolean; grants: DirectoryGrants; renames: DirectoryGrants; regions: RegionRow[] }): string {
  const laneNames = new Map(input.lanes.map((l) => [l.id, l.name]));
  const sections = input.stores.slice().sort((a, b) => a.code.localeCompare(b.code))
    .map((s) => storeSection(s, byName(input.lanes.filter((l) => l.storeId === s.id)), byName(input.cameras.filter((c) => c.storeId === s.id)), laneNames, input.grants, input.renames)).join('\n');
  const main = `<h1>Stores, lanes and cameras</h1>
<p class="notice">${input.canEditCameras ? 'Open a camera to draw its zones.' : 'Your role may read the directory here; cameras open read-only.'}</p>
${newStoreForm(input.regions, input.grants)}
${input.stores.length === 0 ? '<p class="empty">No store in your scope.</p>' : sections}`;
  const any = (g: DirectoryGrants) => g.store || g.lane || g.camera;
  const renames = any(input.renames);
  return consolePage({ title: 'Stores and cameras', viewer: input.viewer, main: `${main}${renames ? renameDialog() : ''}`, script: any(input.grants) || renames ? 'directory' : 'admin', dialogs: false, current: '/console/admin/stores' });
}
