import { escapeHtml } from './client/render.js';
import type { StoreRow } from './directory-page.js';
import { consolePage, type Viewer } from './html.js';
import { explainPanel, type ExplainPerson } from './policy-explain-panel.js';
import { policyYaml, yamlText } from './policy-yaml.js';

export interface PolicyVersion { version: number; mode: string; rules: unknown[]; reason: string; revertsVersion: number | null; createdBy: string; createdAt: string }
export interface PolicyState { role: string; builtIn: unknown[]; tenant: PolicyVersion | null }

/** The YAML the editor starts from: the saved tenant policy, or an empty extension of the built-in rules. */
export const editableText = (policy: PolicyState): string =>
  policyYaml({ mode: policy.tenant?.mode ?? 'extend', rules: policy.tenant?.rules ?? [] });

/** Built-in rules without the `source` the API adds for explanations (a policy document does not take it). */
const withoutSource = (rules: unknown[]) => rules.map((r) => {
  if (typeof r !== 'object' || r === null) return r;
  const { source: _source, ...rule } = r as Record<string, unknown>;
  return rule;
});

export function policyIndexPage(input: { viewer: Viewer; policies: PolicyState[] }): string {
  const rows = input.policies.map((p) => `<tr><th scope="row"><a href="/console/admin/policies/${encodeURIComponent(p.role)}">${escapeHtml(p.role)}</a></th>
<td>${p.tenant ? `version ${p.tenant.version} (${escapeHtml(p.tenant.mode)}, ${p.tenant.rules.length} rules)` : 'built-in rules only'}</td><td>${escapeHtml(p.tenant?.reason ?? '—')}</td></tr>`).join('');
  const main = `<h1>Policies</h1><p class="notice">Each role's tenant policy extends or replaces its built-in rules. Open a role to edit it, preview its effect and see its versions.</p>
<table id="policies"><thead><tr><th scope="col">Role</th><th scope="col">Tenant policy</th><th scope="col">Last reason</th></tr></thead><tbody>${rows}</tbody></table>`;
  return consolePage({ title: 'Policies', viewer: input.viewer, main, script: 'admin', dialogs: false, current: '/console/admin/policies' });
}

function versionsTable(versions: PolicyVersion[]): string {
  if (versions.length === 0) return '<p class="notice" id="no-versions">No version saved yet: the role has its built-in rules.</p>';
  const rows = versions.map((v) => `<tr data-version="${v.version}"><th scope="row">${v.version}</th><td>${escapeHtml(v.mode)}, ${v.rules.length} rules</td><td>${escapeHtml(v.reason)}${v.revertsVersion === null ? '' : ` <span class="notice">(reverts ${v.revertsVersion})</span>`}</td>
<td>${escapeHtml(v.createdBy)}</td><td>${escapeHtml(v.createdAt.replace('T', ' ').slice(0, 19))} UTC</td>
<td><button type="button" data-diff="${v.version}">Changes from ${v.version - 1}</button> ${v === versions[0] ? '<span class="notice">in force</span>' : `<button type="button" data-revert="${v.version}">Revert to ${v.version}</button>`}</td></tr>`).join('');
  return `<table id="versions"><thead><tr><th scope="col">Version</th><th scope="col">Policy</th><th scope="col">Reason</th><th scope="col">By</th><th scope="col">Saved</th><th scope="col"><span class="notice">Actions</span></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function scopePicker(role: string, stores: StoreRow[]): string {
  if (!['store_staff', 'store_manager', 'plugin'].includes(role) || stores.length === 0) return '';
  const options = stores.slice().sort((a, b) => a.code.localeCompare(b.code)).map((s) => `<option value="${escapeHtml(s.id)}">${escapeHtml(`${s.name} (${s.code})`)}</option>`).join('');
  return `<label for="preview-store">Preview as a person of</label> <select id="preview-store">${options}</select>`;
}

export function policyPage(input: { viewer: Viewer; policy: PolicyState; versions: PolicyVersion[]; stores: StoreRow[]; people: ExplainPerson[] }): string {
  const { policy } = input;
  const saved = policy.tenant
    ? `Version ${policy.tenant.version} is in force (${escapeHtml(policy.tenant.mode)}: ${policy.tenant.mode === 'replace' ? 'these rules instead of the built-in ones' : 'the built-in rules plus these'}).`
    : 'No tenant policy saved: the role has its built-in rules.';
  const main = `<h1>Policy of ${escapeHtml(policy.role)}</h1>
<p id="policy-saved">${saved} <a href="/console/admin/policies">All roles</a></p>
<details><summary>Built-in rules of ${escapeHtml(policy.role)} (${policy.builtIn.length})</summary><pre id="built-in">${escapeHtml(yamlText(withoutSource(policy.builtIn)))}</pre></details>
<div class="layout">
<section aria-labelledby="draft-heading"><h2 id="draft-heading">Draft</h2>
<label for="policy-text">Tenant policy in YAML (JSON works too): <code>mode</code> (extend or replace) and <code>rules</code></label>
<textarea id="policy-text" rows="22" spellcheck="false" aria-describedby="policy-lint policy-inline-heading">${escapeHtml(editableText(policy))}</textarea>
<h3 id="policy-inline-heading">Draft checked line by line</h3>
<div class="inline-lint" tabindex="0" role="region" aria-labelledby="policy-inline-heading"><ol id="policy-inline"><li class="notice">Checked as you type (and by "Check and preview"): each problem appears under its line.</li></ol></div>
<p class="buttons"><button type="button" id="policy-preview">Check and preview</button> <button type="button" id="policy-diff">Changes from the saved version</button> ${scopePicker(policy.role, input.stores)}</p>
<label for="policy-reason">Reason for the change (kept in the audit trail)</label><input id="policy-reason" maxlength="1000" autocomplete="off">
<p class="buttons"><button type="button" id="policy-save" class="primary">Save as a new version</button></p>
</section>
<section aria-labelledby="result-heading"><h2 id="result-heading">Check</h2>
<h3 id="policy-lint-heading">Problems and warnings</h3><ul id="policy-lint"><li class="notice">Not checked yet: "Check and preview" asks the hub.</li></ul>
<h3>What the role would see</h3><div id="policy-preview-result"><p class="notice">No preview yet.</p></div>
<h3 id="diff-heading">Changes</h3><pre id="policy-diff-result" class="diff" tabindex="0" role="region" aria-labelledby="diff-heading"></pre>
</section>
</div>
${explainPanel(policy.role, input.people)}
<h2>Versions</h2>${versionsTable(input.versions)}`;
  return consolePage({
    title: `Policy of ${policy.role}`, viewer: input.viewer, main, script: 'policy', dialogs: false, current: '/console/admin/policies',
    data: { role: policy.role, savedText: editableText(policy), savedVersion: policy.tenant?.version ?? 0, storeNames: Object.fromEntries(input.stores.map((s) => [s.id, `${s.name} (${s.code})`])) },
  });
}
