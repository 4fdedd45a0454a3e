import { OUTCOME_CLASSES } from '../retention/index.js';
import { escapeHtml, type HoldInfo } from './client/render.js';
import type { StoreRow } from './directory-page.js';
import { consolePage, type Viewer } from './html.js';

export interface RetentionRow { id: string; outcome: string; keepDays: number; regionId: string | null; storeId: string | null; incidentType: string | null; createdAt: string }
export interface PlannedPurge { id: string; verdict: string; reason: string; bytes: number; incidentId?: string | null }

function policiesTable(rows: RetentionRow[], names: Record<string, string>, canDelete: boolean): string {
  if (rows.length === 0) return '<p class="notice" id="no-retention">No tenant policy: the defaults apply everywhere.</p>';
  const body = rows.map((r) => `<tr data-retention="${escapeHtml(r.id)}"><th scope="row">${escapeHtml(r.outcome)}</th><td>${r.keepDays} days</td>
<td>${escapeHtml(r.storeId ? (names[r.storeId] ?? r.storeId) : r.regionId ? `region ${r.regionId}` : 'every store')}</td><td>${escapeHtml(r.incidentType ?? 'every type')}</td>
${canDelete ? `<td><button type="button" data-delete="${escapeHtml(r.id)}">Remove</button></td>` : ''}</tr>`).join('');
  return `<table id="retention"><thead><tr><th scope="col">Outcome</th><th scope="col">Keep</th><th scope="col">Where</th><th scope="col">Incident type</th>${canDelete ? '<th scope="col"><span class="notice">Action</span></th>' : ''}</tr></thead><tbody>${body}</tbody></table>`;
}

function createForm(stores: StoreRow[]): string {
  const outcomes = OUTCOME_CLASSES.map((o) => `<option value="${o}">${o}</option>`).join('');
  const storeOptions = stores.map((s) => `<option value="${escapeHtml(s.id)}">${escapeHtml(`${s.name} (${s.code})`)}</option>`).join('');
  return `<form id="retention-form" class="filters" aria-labelledby="add-heading"><h3 id="add-heading" class="full">Add a policy</h3>
<label for="r-outcome">Outcome<select id="r-outcome" name="outcome">${outcomes}</select></label>
<label for="r-days">Keep (days)<input id="r-days" name="keepDays" type="number" min="0" max="3650" required></label>
<label for="r-store">Store<select id="r-store" name="storeId"><option value="">Every store</option>${storeOptions}</select></label>
<label for="r-type">Incident type<input id="r-type" name="incidentType" maxlength="64" placeholder="every type" autocomplete="off"></label>
<button type="submit">Add policy</button></form>`;
}

function holdsTable(holds: { data: HoldInfo[]; nextCursor: string | null } | null, names: Record<string, string>, canRelease: boolean): string {
  if (holds === null) return '<p class="notice" id="no-holds">Legal holds are not shown to your role.</p>';
  if (holds.data.length === 0) return '<p class="notice" id="no-holds">No active legal hold: retention applies to all evidence.</p>';
  const target = (h: HoldInfo) => (h.targetType === 'incident'
    ? `<a href="/console/incidents/${encodeURIComponent(h.targetId)}">Incident ${escapeHtml(h.targetId)}</a>` : `Evidence item <code>${escapeHtml(h.targetId)}</code>`);
  const body = holds.data.map((h) => `<tr data-hold="${escapeHtml(h.id)}"><th scope="row">${target(h)}</th><td>${escapeHtml(h.storeId ? (names[h.storeId] ?? h.storeId) : '—')}</td>
<td>${escapeHtml(h.reason)}</td><td>${escapeHtml(h.placedBy)}</td><td><time datetime="${escapeHtml(h.placedAt)}">${escapeHtml(h.placedAt.slice(0, 16).replace('T', ' '))} UTC</time></td>
${canRelease ? `<td><button type="button" data-release="${escapeHtml(h.id)}">Release</button></td>` : ''}</tr>`).join('');
  const next = holds.nextCursor ? `<p><a id="holds-next" href="/console/admin/retention?holdsCursor=${encodeURIComponent(holds.nextCursor)}">Next page of holds</a></p>` : '';
  return `<table id="holds"><thead><tr><th scope="col">On</th><th scope="col">Store</th><th scope="col">Reason</th><th scope="col">Placed by</th><th scope="col">Since</th>${canRelease ? '<th scope="col"><span class="notice">Action</span></th>' : ''}</tr></thead><tbody>${body}</tbody></table>${next}`;
}

/** Retention: the built-in defaults, the tenant's policies (most specific wins) and what a purge would delete now. */
export function retentionPage(input: { viewer: Viewer; defaults: Record<string, number>; policies: RetentionRow[]; plan: PlannedPurge[] | null; stores: StoreRow[]; canChange: boolean;
  holds: { data: HoldInfo[]; nextCursor: string | null } | null; canRelease: boolean;
}): string {
  const names = Object.fromEntries(input.stores.map((s) => [s.id, `${s.name} (${s.code})`]));
  const defaults = Object.entries(input.defaults).map(([k, v]) => `<li><strong>${escapeHtml(k)}</strong>: ${v} days</li>`).join('');
  const plan = input.plan === null ? '' : input.plan.length === 0
    ? '<p class="notice" id="plan-empty">The purge would delete nothing now.</p>'
    : `<table id="plan"><thead><tr><th scope="col">Item</th><th scope="col">Verdict</th><th scope="col">Why</th><th scope="col">Bytes</th></tr></thead><tbody>${input.plan.map((p) => `<tr><th scope="row"><code>${escapeHtml(p.id)}</code></th><td>${escapeHtml(p.verdict)}</td><td>${escapeHtml(p.reason)}</td><td>${p.bytes}</td></tr>`).join('')}</tbody></table>`;
  const main = `<h1>Evidence retention</h1>
<h2>Defaults</h2><ul id="retention-defaults">${defaults}</ul>
<h2>Tenant policies</h2><p class="notice">The most specific policy wins (store, then region, then the tenant); an incident type narrows it further. Evidence under a legal hold is never purged.</p>
${policiesTable(input.policies, names, input.canChange)}
${input.canChange ? createForm(input.stores) : ''}
<h2>Active legal holds</h2><p class="notice">Evidence under a hold is kept whatever the policies say, until the hold is released (audited).</p>
${holdsTable(input.holds, names, input.canRelease)}
<h2>What a purge would delete now</h2>${plan}`;
  return consolePage({ title: 'Evidence retention', viewer: input.viewer, main, script: 'retention', dialogs: false, current: '/console/admin/retention' });
}
