/**
 * The incident page's legal hold (place, release) and evidence export, through the API routes that decide for
 * themselves; after an export the list of bundles already exported is read again (`GET …/exports`).
 */
import { ApiRefusal, announce, api } from './dom.js';
import { escapeHtml, exportsListHtml, holdStatusHtml, type ExportRecord, type HoldInfo } from './render.js';

interface EvidenceData {
  incident: { id: string };
  timezone: string;
  evidence: { hold: HoldInfo | null; mayHold: boolean };
}

const refusalText = (error: unknown): string => (error instanceof ApiRefusal ? error.message : 'the hub could not be reached');

/** Wires the section; `data` is the page's JSON block. */
export function wireEvidenceActions(data: EvidenceData): void {
  const status = document.getElementById('hold-status');
  const showHold = (hold: HoldInfo | null) => {
    if (status) status.innerHTML = holdStatusHtml(hold, data.evidence.mayHold, data.timezone);
  };

  const dialog = document.getElementById('hold') as HTMLDialogElement | null;
  const form = document.getElementById('hold-form') as HTMLFormElement | null;
  status?.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button');
    if (button?.id === 'hold-place' && dialog && form) {
      form.reset();
      dialog.showModal();
    }
    const holdId = button?.dataset.release;
    if (holdId) {
      void api<HoldInfo>('POST', `/v1/evidence/holds/${encodeURIComponent(holdId)}/release`, {}).then(() => {
        showHold(null);
        announce('Legal hold released: the evidence follows the retention policies again.');
        document.getElementById('hold-place')?.focus();
      }, (error: unknown) => announce(`The hold was not released: ${refusalText(error)}`, 'error'));
    }
  });
  form?.addEventListener('submit', (event) => {
    if ((event as SubmitEvent).submitter?.getAttribute('value') !== 'hold') return;
    const reason = String(new FormData(form).get('reason') ?? '').trim();
    void api<HoldInfo>('POST', '/v1/evidence/holds', { targetType: 'incident', targetId: data.incident.id, reason }).then((hold) => {
      showHold(hold);
      announce('Legal hold placed: nothing under this incident is deleted until it is released.');
      document.getElementById('hold-release')?.focus();
    }, (error: unknown) => announce(`No hold was placed: ${refusalText(error)}`, 'error'));
  });

  const exportForm = document.getElementById('export-form') as HTMLFormElement | null;
  const result = document.getElementById('export-result');
  exportForm?.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = new FormData(exportForm);
    const text = (name: string) => String(values.get(name) ?? '').trim();
    const custody = Object.fromEntries(['caseNumber', 'recipient', 'purpose'].filter((name) => text(name)).map((name) => [name, text(name)]));
    const button = exportForm.querySelector('button');
    if (button) button.disabled = true;
    if (result) result.textContent = 'Building the bundle…';
    void api<{ id: string; url: string; bytes: number; sha256: string; expiresAt: string; redacted: boolean }>('POST', `/v1/incidents/${encodeURIComponent(data.incident.id)}/exports`, {
      redacted: values.get('original') === null, ...custody,
    }).then((bundle) => {
      if (result) {
        result.innerHTML = `<a id="export-link" href="${escapeHtml(bundle.url)}" download>Download bundle ${escapeHtml(bundle.id)}</a> (${bundle.redacted ? 'redacted' : 'original footage'}, ${bundle.bytes} bytes, SHA-256 <code>${escapeHtml(bundle.sha256.slice(0, 16))}…</code>; the link works until ${escapeHtml(new Date(bundle.expiresAt).toISOString().slice(11, 19))} UTC).`;
      }
      announce('Evidence bundle exported (audited).');
      const list = document.getElementById('exports-list');
      if (list) {
        void api<{ data: ExportRecord[] }>('GET', `/v1/incidents/${encodeURIComponent(data.incident.id)}/exports`).then((exports) => {
          list.innerHTML = exportsListHtml(exports.data, data.timezone);
        }, () => undefined);
      }
    }, (error: unknown) => {
      if (result) result.textContent = '';
      announce(`Not exported: ${refusalText(error)}`, 'error');
    }).finally(() => {
      if (button) button.disabled = false;
    });
  });
}
