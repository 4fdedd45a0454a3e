/**
 * "Explain a decision" on the policy editor: asks `POST /v1/policies/explain` which rule lets the chosen
 * person, identity or token do the action, under the saved policy and, when the draft passes the hub's check,
 * under the draft too. The draft is the document the hub parsed from the editor's YAML (the page parses nothing).
 */
import { ApiRefusal, api } from './dom.js';
import { escapeHtml } from './render.js';

interface DecidingRule { action: unknown; subject: unknown; conditions: unknown; inverted: boolean; source: string }
interface Explanation { allowed: boolean; text: string; rule: DecidingRule | null }
interface ExplainAnswer { principal: { id: string; role: string }; saved: Explanation; draft: Explanation | null }
/** What the editor's check gives: the parsed draft, and whether the hub would refuse it. */
export interface DraftState { document: Record<string, unknown> | null; refused: boolean }

const field = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;

function card(title: string, id: string, e: Explanation): string {
  const verdict = e.allowed ? '<strong class="ok">Allowed</strong>' : '<strong class="refused">Denied</strong>';
  const rule = e.rule
    ? `<p>by ${e.rule.inverted ? 'the inverted ' : 'the '}rule <code>${escapeHtml(JSON.stringify({ action: e.rule.action, subject: e.rule.subject, conditions: e.rule.conditions ?? undefined }))}</code> from <em>${escapeHtml(e.rule.source)}</em></p>`
    : '<p>No rule of the role grants it.</p>';
  return `<div class="explain-card" id="${id}" data-allowed="${e.allowed}"><h3>${title}</h3><p>${verdict}</p>${rule}<pre>${escapeHtml(e.text)}</pre></div>`;
}

function draftNote(answer: ExplainAnswer, role: string, draft: DraftState): string {
  if (answer.draft) return card('With the draft', 'explain-draft', answer.draft);
  if (answer.principal.role !== role) return `<p class="notice" id="explain-draft-none">${escapeHtml(answer.principal.id)} has the role ${escapeHtml(answer.principal.role)}: this draft (for ${escapeHtml(role)}) does not decide for them.</p>`;
  return `<p class="notice" id="explain-draft-none">${draft.document === null || draft.refused ? 'The draft has problems, so it was not asked about: see the problems at their lines.' : 'The draft was not asked about.'}</p>`;
}

/** Wires the panel: `draftNow` checks the editor's draft with the hub and says what it parsed. */
export function wireExplain(role: string, draftNow: () => Promise<DraftState>): void {
  const out = document.getElementById('explain-result');
  const run = document.getElementById('explain-run');
  if (!out || !run) return;
  run.addEventListener('click', () => void (async () => {
    const principalId = field('explain-principal')?.value.trim() || field('explain-person')?.value || '';
    if (!principalId) {
      out.innerHTML = '<p class="refused" role="alert">Choose a person or name an id first.</p>';
      return;
    }
    const draft = await draftNow();
    const id = field('explain-id')?.value.trim();
    const body = {
      principalId, action: field('explain-action')?.value, subject: field('explain-subject')?.value, ...(id ? { id } : {}),
      ...(draft.document && !draft.refused ? { draft: { ...draft.document, role } } : {}),
    };
    try {
      const answer = await api<ExplainAnswer>('POST', '/v1/policies/explain', body);
      out.innerHTML = `<p>For ${escapeHtml(answer.principal.id)} (${escapeHtml(answer.principal.role)}):</p><div class="explain-cards">${card('With the saved policy', 'explain-saved', answer.saved)}${draftNote(answer, role, draft)}</div>`;
    } catch (error) {
      out.innerHTML = `<p class="refused" role="alert" id="explain-refused">${escapeHtml(error instanceof ApiRefusal ? error.message : 'The hub could not be reached.')}</p>`;
    }
    document.body.dataset.explained = String(Number(document.body.dataset.explained ?? 0) + 1);
  })());
}
