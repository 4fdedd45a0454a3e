/**
 * The policy editor: the role's tenant policy in YAML (JSON is YAML too), checked as you type by the hub
 * (`POST /console/admin/policies/{role}/check`: the YAML parsed by the hub, then its own validation,
 * `PUT /v1/policies/{role}?dryRun=true`: problems and warnings at their line, what the role would see, gained
 * and lost grants), compared with the saved version, saved with a reason (the API's PUT, which refuses what
 * the check lists), and reverted to a version (`POST /v1/policies/{role}/revert`). The page parses nothing.
 */
import { ApiRefusal, announce, api, pageData, wireEnvironmentSwitch } from './dom.js';
import { lineDiff } from './line-diff.js';
import { wireExplain } from './policy-explain.js';
import { escapeHtml } from './render.js';

interface PolicyData { role: string; savedText: string; savedVersion: number; storeNames: Record<string, string> }
interface Problem { path: string; message: string }
interface DryRun {
  as: { role: string; storeIds: string[]; regionIds: string[] };
  visible: Array<{ subject: string; before: number; after: number }>;
  gained: string[]; lost: string[]; warnings: Problem[]; refusals: Problem[];
}

const data = pageData<PolicyData>();
const policyPath = `/v1/policies/${encodeURIComponent(data.role)}`;
const text = document.getElementById('policy-text') as HTMLTextAreaElement;
const reason = document.getElementById('policy-reason') as HTMLInputElement;
const lint = document.getElementById('policy-lint') as HTMLUListElement;
const preview = document.getElementById('policy-preview-result') as HTMLDivElement;
const diffOut = document.getElementById('policy-diff-result') as HTMLPreElement;
const storePicker = document.getElementById('preview-store') as HTMLSelectElement | null;

interface LintItem { kind: 'problem' | 'warning' | 'refusal'; path: string; message: string; line: number | null }
interface CheckResult { document: Record<string, unknown> | null; problems: LintItem[]; report: DryRun | null }

const inline = document.getElementById('policy-inline') as HTMLOListElement;
const checkPath = `/console/admin/policies/${encodeURIComponent(data.role)}/check`;

function goToLine(line: number): void {
  const lines = text.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  text.focus();
  text.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
}

/** Problems and warnings listed with the line they point at; each line is a button that selects it. */
function showLint(items: LintItem[]): void {
  lint.innerHTML = items.length === 0
    ? '<li class="ok" id="lint-clean">No problem found.</li>'
    : items.map((item) => {
      const where = item.line === null ? '' : `<button type="button" data-line="${item.line}">Line ${item.line}</button> `;
      return `<li class="lint-${item.kind}" data-path="${escapeHtml(item.path)}">${where}<strong>${item.kind}</strong> ${item.path ? `<code>${escapeHtml(item.path)}</code>: ` : ''}${escapeHtml(item.message)}</li>`;
    }).join('');
  showInline(items);
  text.setAttribute('aria-invalid', String(items.some((i) => i.kind !== 'warning')));
}

/** The draft line by line, each problem written under the line it names (a problem without a line under line 1). */
function showInline(items: LintItem[]): void {
  const byLine = new Map<number, LintItem[]>();
  for (const item of items) byLine.set(item.line ?? 1, [...(byLine.get(item.line ?? 1) ?? []), item]);
  inline.innerHTML = text.value.split('\n').map((line, index) => {
    const n = index + 1;
    const here = byLine.get(n) ?? [];
    const messages = here.map((i) => `<span class="msg ${i.kind}" data-lint-line="${n}">${i.kind}: ${i.path ? `${escapeHtml(i.path)}: ` : ''}${escapeHtml(i.message)}</span>`).join('');
    return `<li data-line="${n}"${here.length > 0 ? ' class="has-lint"' : ''}><span class="ln">${n}</span><span>${escapeHtml(line) || ' '}</span>${messages}</li>`;
  }).join('');
}

function showPreview(report: DryRun): void {
  const rows = report.visible.map((v) => `<tr data-subject="${escapeHtml(v.subject)}"><th scope="row">${escapeHtml(v.subject)}</th><td>${v.before}</td><td class="after">${v.after}</td><td>${v.after === v.before ? 'same' : v.after < v.before ? `${v.before - v.after} fewer` : `${v.after - v.before} more`}</td></tr>`).join('');
  const grants = (title: string, id: string, list: string[]) => `<h4>${title}</h4>${list.length === 0 ? `<p class="notice" id="${id}">None.</p>` : `<ul id="${id}">${list.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul>`}`;
  const who = report.as.storeIds.length > 0 ? ` of store ${report.as.storeIds.map((id) => escapeHtml(data.storeNames[id] ?? id)).join(', ')}` : report.as.regionIds.length > 0 ? ` of region ${report.as.regionIds.map(escapeHtml).join(', ')}` : '';
  preview.innerHTML = `<p>A person with the role ${escapeHtml(report.as.role)}${who} would see:</p>
<table id="preview-counts"><thead><tr><th scope="col">Records</th><th scope="col">Now</th><th scope="col">With the draft</th><th scope="col">Change</th></tr></thead><tbody>${rows}</tbody></table>
${grants('Gained', 'preview-gained', report.gained)}${grants('Lost', 'preview-lost', report.lost)}`;
}

let checking = 0;
/** Asks the hub to check the draft; shows the problems at their lines and, when it could run, the preview. */
async function check(): Promise<CheckResult | null> {
  const ticket = ++checking;
  try {
    const result = await api<CheckResult>('POST', checkPath, { text: text.value, ...(storePicker ? { storeId: storePicker.value } : {}) });
    if (ticket !== checking) return result; // a later check is under way: it shows its own answer
    showLint(result.problems);
    if (result.report) showPreview(result.report);
    else preview.innerHTML = '<p class="notice">No preview: the draft has problems.</p>';
    const refused = result.problems.some((p) => p.kind !== 'warning');
    announce(refused ? 'The hub would refuse this draft: see the problems at their lines.' : 'Checked: the preview shows what the role would see.', refused ? 'error' : 'info');
    document.body.dataset.checked = String(ticket);
    return result;
  } catch (error) {
    announce(error instanceof Error ? error.message : 'The hub could not be reached.', 'error');
    return null;
  }
}

/** The saved document and the draft, both in the editor's layout, line by line. */
function showDiff(): void {
  const lines = lineDiff(data.savedText, text.value);
  const changed = lines.some((l) => l.kind !== ' ');
  diffOut.innerHTML = changed
    ? lines.map((l) => `<span class="diff-${l.kind === '+' ? 'add' : l.kind === '-' ? 'del' : 'same'}">${l.kind} ${escapeHtml(l.text)}</span>`).join('\n')
    : `No change from ${data.savedVersion === 0 ? 'the built-in rules (no version saved)' : `version ${data.savedVersion}`}.`;
}

async function save(): Promise<void> {
  if (!reason.value.trim()) {
    reason.focus();
    return announce('Say why the policy changes: the reason is kept in the audit trail.', 'error');
  }
  const checked = await check();
  if (checked === null) return;
  if (checked.document === null) return announce('Not saved: the draft is not valid YAML (see the problem at its line).', 'error');
  // What the check lists, the API's PUT refuses too: say so here instead of sending it.
  if (checked.problems.some((p) => p.kind !== 'warning')) return announce('Not saved: the hub refuses this draft (see the problems at their lines).', 'error');
  try {
    const saved = await api<{ version: number; warnings: Problem[] }>('PUT', policyPath, { ...checked.document, reason: reason.value.trim() });
    announce(`Saved version ${saved.version}.`);
    window.location.reload();
  } catch (error) {
    if (!(error instanceof ApiRefusal)) return announce('The hub could not be reached.', 'error');
    announce(`Not saved: ${error.message}`, 'error');
  }
}

async function versionDiff(version: number): Promise<void> {
  try {
    const diff = await api<{ mode: { from: string; to: string; changed: boolean }; added: unknown[]; removed: unknown[]; unchanged: number }>('GET', `${policyPath}/diff?from=${version - 1}&to=${version}`);
    const rule = (kind: string, r: unknown) => `<span class="diff-${kind === '+' ? 'add' : 'del'}">${kind} ${escapeHtml(JSON.stringify(r))}</span>`;
    diffOut.innerHTML = [`Version ${version - 1} → ${version}: mode ${diff.mode.changed ? `${diff.mode.from} → ${diff.mode.to}` : diff.mode.to}, ${diff.unchanged} rule(s) unchanged`,
      ...diff.removed.map((r) => rule('-', r)), ...diff.added.map((r) => rule('+', r))].join('\n');
    diffOut.focus();
  } catch (error) {
    announce(error instanceof Error ? error.message : 'the changes could not be read', 'error');
  }
}

async function revert(version: number): Promise<void> {
  if (!reason.value.trim()) {
    reason.focus();
    return announce(`Say why you revert to version ${version} in the reason field first.`, 'error');
  }
  try {
    const saved = await api<{ version: number }>('POST', `${policyPath}/revert`, { version, reason: reason.value.trim() });
    announce(`Version ${version} saved again as version ${saved.version}.`);
    window.location.reload();
  } catch (error) {
    announce(error instanceof Error ? `Not reverted: ${error.message}` : 'Not reverted.', 'error');
  }
}

wireEnvironmentSwitch();
document.getElementById('policy-preview')?.addEventListener('click', () => void check());
// Lint as you type: the hub checks the draft once typing pauses.
let typing: number | undefined;
text.addEventListener('input', () => {
  window.clearTimeout(typing);
  typing = window.setTimeout(() => void check(), 500);
});
inline.addEventListener('click', (event) => {
  const row = (event.target as HTMLElement).closest<HTMLLIElement>('li[data-line]');
  if (row) goToLine(Number(row.dataset.line));
});
document.getElementById('policy-diff')?.addEventListener('click', showDiff);
document.getElementById('policy-save')?.addEventListener('click', () => void save());
lint.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-line]');
  if (button) goToLine(Number(button.dataset.line));
});
document.getElementById('versions')?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-diff], button[data-revert]');
  if (button?.dataset.diff) void versionDiff(Number(button.dataset.diff));
  else if (button?.dataset.revert) void revert(Number(button.dataset.revert));
});
wireExplain(data.role, async () => {
  const checked = await check();
  return { document: checked?.document ?? null, refused: checked === null || checked.problems.some((p) => p.kind !== 'warning') };
});
document.body.dataset.ready = 'policy';
