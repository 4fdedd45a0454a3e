import { ZONE_TYPES } from '../../contracts/zones.js';
import { escapeHtml } from './client/render.js';
import { healthText, type CameraRow, type StoreRow } from './directory-page.js';
import { consolePage, type Viewer } from './html.js';

export interface CameraPageInput {
  /** The camera's ETag as the API answered it (the zone editor saves with If-Match). */
  etag: string | null;
  viewer: Viewer;
  camera: CameraRow;
  store: StoreRow | null;
  laneName: string | null;
  /** The evidence item of the camera's latest snapshot (from its newest incident), when there is one the role may read. */
  snapshotItemId: string | null;
  canEdit: boolean;
}

/** The zone editor's controls; the module draws the zones and wires the editing (absent when the role may only read). */
function editorControls(): string {
  const types = ZONE_TYPES.map((t) => `<option value="${t}">${t.replace('_', ' ')}</option>`).join('');
  return `<fieldset id="zone-form" disabled><legend>Selected zone</legend>
<label for="zone-name">Name</label><input id="zone-name" maxlength="100" autocomplete="off">
<label for="zone-type">Type</label><select id="zone-type">${types}</select>
<label for="zone-points">Points (x y from 0 to 1, one per line)</label><textarea id="zone-points" rows="5" spellcheck="false"></textarea>
<p class="buttons"><button type="button" id="zone-close">Close polygon</button> <button type="button" id="zone-undo">Remove last point</button> <button type="button" id="zone-delete">Delete zone</button></p>
</fieldset>
<p class="buttons"><button type="button" id="zone-new">New zone</button> <button type="button" id="zone-save" class="primary">Save zones</button></p>`;
}

export function cameraPage(input: CameraPageInput): string {
  const { camera } = input;
  const where = [input.store ? `${input.store.name} (${input.store.code})` : camera.storeId, input.laneName ?? (camera.laneId ? camera.laneId : 'no lane')];
  const help = input.canEdit
    ? 'Choose "New zone", then click on the picture to add its points; drag a point to move it; click the first point or "Close polygon" to close it. With the picture focused, arrow keys move the selected point (Shift for larger steps) and Delete removes it. Nothing is kept until "Save zones".'
    : 'Your role may read this camera\'s zones but not change them.';
  const main = `<h1>Camera ${escapeHtml(camera.name)}</h1>
<p id="camera-where">${where.map(escapeHtml).join(' · ')} · health: <span id="camera-health">${escapeHtml(healthText(camera.health))}</span> · <a href="/console/admin/stores">All stores and cameras</a></p>
<div class="layout">
<section aria-labelledby="picture-heading"><h2 id="picture-heading">Zones over the camera's view</h2>
<div class="zone-stage"><img id="zone-snapshot" alt="" hidden><canvas id="zone-canvas" width="960" height="540" ${input.canEdit ? 'tabindex="0" ' : ''}role="img" aria-label="The camera's zones drawn over its latest snapshot" aria-describedby="zone-help"></canvas></div>
<p id="snapshot-note" class="notice">${input.snapshotItemId ? 'Loading the latest snapshot…' : 'No snapshot of this camera is available: the zones are drawn on a neutral grid (10% steps).'}</p>
<p id="zone-help" class="notice">${escapeHtml(help)}</p>
</section>
<section aria-labelledby="zones-heading"><h2 id="zones-heading">Zones</h2>
<ul id="zone-list" aria-label="Zones of this camera"></ul>
${input.canEdit ? editorControls() : ''}
</section>
</div>`;
  return consolePage({
    title: `Camera ${camera.name}`, viewer: input.viewer, main, script: 'zones', dialogs: false, current: '/console/admin/stores',
    data: { camera: { id: camera.id, name: camera.name, zones: camera.zones ?? [], updatedAt: camera.updatedAt ?? null }, etag: input.etag, snapshotItemId: input.snapshotItemId, canEdit: input.canEdit },
  });
}
