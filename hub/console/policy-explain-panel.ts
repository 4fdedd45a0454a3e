import { ACTIONS, SUBJECTS } from '../../policies/index.js';
import { escapeHtml } from './client/render.js';

/** A person the role's decisions can be explained for (the role's people, from `GET /v1/users?role=`). */
export interface ExplainPerson { id: string; email: string; name: string }

const options = (values: readonly string[], selected: string) =>
  values.map((v) => `<option value="${escapeHtml(v)}"${v === selected ? ' selected' : ''}>${escapeHtml(v)}</option>`).join('');

/**
 * "Explain a decision": which rule lets a person, identity or token do an action on a record, under the saved
 * policy and under the draft in the editor (`POST /v1/policies/explain`, run by client/policy-explain.ts).
 */
export function explainPanel(role: string, people: ExplainPerson[]): string {
  const personOptions = people.map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name ? `${p.name} (${p.email})` : p.email)}</option>`).join('');
  const picker = people.length > 0
    ? `<label for="explain-person">A person with the role ${escapeHtml(role)}</label> <select id="explain-person">${personOptions}</select>`
    : `<p class="notice" id="explain-no-people">Nobody has the role ${escapeHtml(role)} yet: name an identity or token below.</p>`;
  return `<section aria-labelledby="explain-heading"><h2 id="explain-heading">Explain a decision</h2>
<p class="notice">Which rule lets someone do something, under the saved policy and under the draft above (nothing is saved).</p>
<div class="explain-form">${picker}
<label for="explain-principal">or an id (usr_…, svc_… or tok_…)</label> <input id="explain-principal" maxlength="80" autocomplete="off" spellcheck="false">
<label for="explain-action">Action</label> <select id="explain-action">${options(ACTIONS, 'read')}</select>
<label for="explain-subject">Subject</label> <select id="explain-subject">${options(SUBJECTS.filter((s) => s !== 'all'), 'Incident')}</select>
<label for="explain-id">Record id (empty: any record of the subject)</label> <input id="explain-id" maxlength="80" autocomplete="off" spellcheck="false">
</div>
<p class="buttons"><button type="button" id="explain-run">Explain</button></p>
<div id="explain-result" aria-live="polite"><p class="notice">No question asked yet.</p></div>
</section>`;
}
