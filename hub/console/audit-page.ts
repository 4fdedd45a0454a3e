import { SUBJECTS } from '../../policies/index.js';
import { escapeHtml } from './client/render.js';
import { consolePage, type Viewer } from './html.js';

export interface AuditEntry {
  id: string; environment: string; seq: number; occurredAt: string; actorType: string; actorId: string; action: string;
  subjectType: string; subjectId: string; before: unknown; after: unknown; requestId: string | null; hash: string;
}
export interface AuditForm { subjectType?: string | undefined; subjectId?: string | undefined; action?: string | undefined }

const query = (form: AuditForm, cursor?: string): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value) params.set(key, value);
  if (cursor) params.set('cursor', cursor);
  const text = params.toString();
  return text ? `?${text}` : '';
};

function filterForm(form: AuditForm): string {
  const subjects = SUBJECTS.filter((s) => s !== 'all').map((s) => `<option value="${s}"${s === form.subjectType ? ' selected' : ''}>${s}</option>`).join('');
  return `<form class="filters" method="get" action="/console/admin/audit" role="search" aria-label="Filter the audit trail">
<label for="a-subjectType">Subject type<select id="a-subjectType" name="subjectType"><option value="">Any</option>${subjects}</select></label>
<label for="a-subjectId">Subject id<input id="a-subjectId" name="subjectId" maxlength="60" value="${escapeHtml(form.subjectId ?? '')}" autocomplete="off"></label>
<label for="a-action">Action<input id="a-action" name="action" maxlength="100" value="${escapeHtml(form.action ?? '')}" placeholder="policy.updated" autocomplete="off"></label>
<button type="submit">Apply filters</button> <a href="/console/admin/audit">Clear</a></form>`;
}

const change = (label: string, value: unknown) => (value === null || value === undefined ? '' : `<h3>${label}</h3><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`);

function row(r: AuditEntry): string {
  const details = change('Before', r.before) + change('After', r.after);
  return `<tr data-audit="${escapeHtml(r.id)}" data-action="${escapeHtml(r.action)}"><td>${r.seq}</td><td><time datetime="${escapeHtml(r.occurredAt)}">${escapeHtml(r.occurredAt.replace('T', ' ').slice(0, 19))} UTC</time></td>
<td>${escapeHtml(`${r.actorType} ${r.actorId}`)}</td><th scope="row">${escapeHtml(r.action)}</th><td>${escapeHtml(r.subjectType)} <code>${escapeHtml(r.subjectId)}</code></td>
<td>${details ? `<details><summary>Changes</summary>${details}</details>` : '—'}</td><td><code title="${escapeHtml(r.hash)}">${escapeHtml(r.hash.slice(0, 12))}…</code>${r.environment === 'production' ? '' : ` <span class="notice">${escapeHtml(r.environment)}</span>`}</td></tr>`;
}

/** The tenant's audit trail, newest first, filtered by subject and action, a page at a time. */
export function auditPage(input: { viewer: Viewer; records: AuditEntry[]; nextCursor: string | null; cursor: string | undefined; form: AuditForm }): string {
  const pager = [
    input.cursor ? `<a href="/console/admin/audit${escapeHtml(query(input.form))}" id="first-page">← First page</a>` : '',
    input.nextCursor ? `<a href="/console/admin/audit${escapeHtml(query(input.form, input.nextCursor))}" id="next-page" rel="next">Next page →</a>` : '',
  ].join('');
  const main = `<h1>Audit trail</h1>
${filterForm(input.form)}
<section aria-labelledby="chain-title"><h2 id="chain-title">Chain verification</h2>
<p class="notice" id="chain-note">Each record carries its keyed hash in the tenant's chain. The hub recomputes every shard's chain and holds it against the newest signed checkpoints (as <code>vigil audit verify</code> does) when this page opens.</p>
<div id="chain-status" aria-live="polite"><p>Verifying…</p></div><button type="button" id="chain-verify">Verify again</button></section>
<h2>Records</h2>
${input.records.length === 0 ? '<p class="empty" id="empty">No audit record matches these filters.</p>' : `<table id="audit"><caption class="notice">Newest first</caption><thead><tr><th scope="col">Seq</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Changes</th><th scope="col">Hash</th></tr></thead>
<tbody>${input.records.map(row).join('')}</tbody></table>`}
<nav class="pager" aria-label="Pages">${pager}</nav>`;
  return consolePage({ title: 'Audit trail', viewer: input.viewer, main, script: 'audit', dialogs: false, current: '/console/admin/audit' });
}
