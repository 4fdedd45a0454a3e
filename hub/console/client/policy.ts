/**
 * The policy editor: the role's tenant policy as JSON, checked and previewed by the hub
 * (`PUT /v1/policies/{role}?dryRun=true`: problems with their paths, warnings, what the role would see,
 * gained and lost grants), compared with the saved version, saved with a reason, and reverted to a
 * version (`POST /v1/policies/{role}/revert`). The page parses nothing but JSON; the hub validates.
 */
import { ApiRefusal, announce, api, pageData, wireEnvironmentSwitch } from './dom.js';
import { jsonPathLines, lineOf, syntaxErrorLine } from './json-paths.js';
import { lineDiff } from './line-diff.js';
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

/** The draft as the API takes it, or the JSON syntax problem at its line. */
function draft(): { body: { mode?: unknown; rules?: unknown } } | { problem: Problem & { line: number | null } } {
  try {
    const parsed: unknown = JSON.parse(text.value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: { path: '', message: 'the policy is a JSON object with mode and rules', line: 1 } };
    return { body: parsed as { mode?: unknown; rules?: unknown } };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'not JSON';
    return { problem: { path: '', message: `not valid JSON: ${message}`, line: syntaxErrorLine(text.value, message) } };
  }
}

/** A problem's path as the API writes it: a string, or the list of keys of a schema issue. */
function pathText(path: unknown): string {
  // A schema issue of the request itself is named from the body (`body.rules.0`): the editor's text is the body.
  if (typeof path === 'string') return path.replace(/^body\./, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  if (!Array.isArray(path)) return '';
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

function goToLine(line: number): void {
  const lines = text.value.split('\n');
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  text.focus();
  text.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
}

/** Problems and warnings listed with the line they point at; each line is a button that selects it. */
function showLint(items: Array<{ kind: 'problem' | 'warning' | 'refusal'; path: string; message: string; line?: number | null }>): void {
  const lines = jsonPathLines(text.value);
  lint.innerHTML = items.length === 0
    ? '<li class="ok" id="lint-clean">No problem found.</li>'
    : items.map((item) => {
      const line = item.line !== undefined ? item.line : lineOf(lines, item.path);
      const where = line === null ? '' : `<button type="button" data-line="${line}">Line ${line}</button> `;
      return `<li class="lint-${item.kind}" data-path="${escapeHtml(item.path)}">${where}<strong>${item.kind}</strong> ${item.path ? `<code>${escapeHtml(item.path)}</code>: ` : ''}${escapeHtml(item.message)}</li>`;
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

function refusalItems(error: ApiRefusal): Array<{ kind: 'problem'; path: string; message: string }> {
  const issues = (error.details as { issues?: Array<{ path: unknown; message: string }> } | undefined)?.issues;
  if (!issues || issues.length === 0) return [{ kind: 'problem', path: '', message: error.message }];
  return issues.map((i) => ({ kind: 'problem', path: pathText(i.path), message: i.message }));
}

async function check(): Promise<void> {
  const parsed = draft();
  if ('problem' in parsed) return showLint([{ kind: 'problem', ...parsed.problem }]);
  const query = new URLSearchParams({ dryRun: 'true', ...(storePicker ? { storeId: storePicker.value } : {}) });
  try {
    const report = await api<DryRun>('PUT', `${policyPath}?${query}`, parsed.body);
    showLint([...report.refusals.map((p) => ({ kind: 'refusal' as const, ...p })), ...report.warnings.map((p) => ({ kind: 'warning' as const, ...p }))]);
    showPreview(report);
    announce(report.refusals.length > 0 ? 'The hub would refuse this draft: see the problems.' : 'Checked: the preview shows what the role would see.');
  } catch (error) {
    if (!(error instanceof ApiRefusal)) return announce('The hub could not be reached.', 'error');
    showLint(refusalItems(error));
    preview.innerHTML = '<p class="notice">No preview: the draft has problems.</p>';
    announce('The draft has problems: see the list.', 'error');
  }
}

/** The saved document and the draft, both in the editor's layout, line by line. */
function showDiff(): void {
  const parsed = draft();
  const normal = 'body' in parsed ? JSON.stringify(parsed.body, null, 2) : text.value;
  const lines = lineDiff(data.savedText, normal);
  const changed = lines.some((l) => l.kind !== ' ');
  diffOut.innerHTML = changed
    ? lines.map((l) => `<span class="diff-${l.kind === '+' ? 'add' : l.kind === '-' ? 'del' : 'same'}">${l.kind} ${escapeHtml(l.text)}</span>`).join('\n')
    : `No change from ${data.savedVersion === 0 ? 'the built-in rules (no version saved)' : `version ${data.savedVersion}`}.`;
}

async function save(): Promise<void> {
  const parsed = draft();
  if ('problem' in parsed) return showLint([{ kind: 'problem', ...parsed.problem }]);
  if (!reason.value.trim()) {
    reason.focus();
    return announce('Say why the policy changes: the reason is kept in the audit trail.', 'error');
  }
  try {
    const saved = await api<{ version: number; warnings: Problem[] }>('PUT', policyPath, { ...parsed.body, reason: reason.value.trim() });
    announce(`Saved version ${saved.version}.`);
    window.location.reload();
  } catch (error) {
    if (!(error instanceof ApiRefusal)) return announce('The hub could not be reached.', 'error');
    showLint(refusalItems(error));
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
document.body.dataset.ready = 'policy';
