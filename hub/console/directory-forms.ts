import { escapeHtml } from './client/render.js';
import type { LaneRow, StoreRow } from './directory-page.js';

/** What the caller's role may create, or rename, on the directory page (`GET /v1/session/permissions`). */
export interface DirectoryGrants { store: boolean; lane: boolean; camera: boolean }
export interface RegionRow { id: string; name: string }

const field = (id: string, label: string, input: string) => `<label for="${id}">${label}</label>${input}`;
const text = (id: string, name: string, attributes = '') => `<input id="${id}" name="${name}" maxlength="200" autocomplete="off"${attributes}>`;

/**
 * A form the page's script posts as JSON to `data-api` (client/directory.ts): every named field with a value,
 * and the hidden ones. The API validates and refuses; the page announces its reason.
 */
const apiForm = (id: string, api: string, legend: string, body: string) =>
  `<form id="${id}" class="settings create" data-api="${api}" novalidate><fieldset><legend>${legend}</legend>${body}<p class="buttons"><button type="submit">${legend}</button></p></fieldset></form>`;

/** "Add a lane" and "Add a camera" under a store, for roles that may create them. */
export function storeForms(store: StoreRow, lanes: LaneRow[], grants: DirectoryGrants): string {
  const key = escapeHtml(store.id);
  const hidden = `<input type="hidden" name="storeId" value="${key}">`;
  const lane = grants.lane ? apiForm(`new-lane-${key}`, '/v1/lanes', 'Add a lane', `${hidden}${field(`lane-name-${key}`, 'Name', text(`lane-name-${key}`, 'name', ' required'))}${field(`lane-pos-${key}`, 'POS workstation id (as the till reports it)', text(`lane-pos-${key}`, 'posWorkstationId'))}`) : '';
  const laneOptions = ['<option value="">No lane</option>', ...lanes.map((l) => `<option value="${escapeHtml(l.id)}">${escapeHtml(l.name)}</option>`)].join('');
  const camera = grants.camera ? apiForm(`new-camera-${key}`, '/v1/cameras', 'Add a camera', `${hidden}${field(`camera-name-${key}`, 'Name', text(`camera-name-${key}`, 'name', ' required'))}${field(`camera-lane-${key}`, 'Lane', `<select id="camera-lane-${key}" name="laneId">${laneOptions}</select>`)}`) : '';
  return lane || camera ? `<div class="create-forms">${lane}${camera}</div>` : '';
}

/** "New store", for roles that may create stores: a region of the tenant, name, code and IANA time zone. */
export function newStoreForm(regions: RegionRow[], grants: DirectoryGrants): string {
  if (!grants.store) return '';
  if (regions.length === 0) return '<p class="notice" id="no-regions">Create a region first (API or CLI) to add stores.</p>';
  const regionOptions = regions.map((r) => `<option value="${escapeHtml(r.id)}">${escapeHtml(r.name)}</option>`).join('');
  return apiForm('new-store', '/v1/stores', 'New store', `${field('store-region', 'Region', `<select id="store-region" name="regionId">${regionOptions}</select>`)}
${field('store-name', 'Name', text('store-name', 'name', ' required'))}${field('store-code', 'Code (the store number the POS uses)', text('store-code', 'code', ' required'))}
${field('store-timezone', 'Time zone (IANA, such as Europe/Berlin)', text('store-timezone', 'timezone', ' required placeholder="Europe/Berlin"'))}`);
}

/** "Rename" for a store, lane or camera: client/directory.ts opens #rename on it and sends `PATCH <path> {name}`. */
export const renameButton = (path: string, name: string) =>
  `<button type="button" class="rename" data-rename="${escapeHtml(path)}" data-name="${escapeHtml(name)}" aria-label="Rename ${escapeHtml(name)}">Rename</button>`;

/** The one rename dialog of the page; the API's refusal is shown in it. */
export const renameDialog = () => `<dialog id="rename" aria-labelledby="rename-heading"><form id="rename-form" class="settings" novalidate>
<h2 id="rename-heading">Rename</h2>
<label for="rename-name">New name</label><input id="rename-name" name="name" maxlength="200" required autocomplete="off">
<p id="rename-error" class="notice" role="alert"></p>
<p class="buttons"><button type="submit" class="primary" id="rename-save">Save the name</button><button type="button" id="rename-cancel">Cancel</button></p>
</form></dialog>`;
