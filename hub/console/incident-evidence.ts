import { exportsListHtml, holdStatusHtml, type ExportRecord, type HoldInfo } from './client/render.js';

export type { ExportRecord };

/** What the incident page's evidence section may offer, from the API's answers and `GET /v1/session/permissions`. */
export interface EvidenceActions {
  /** The active hold on the incident, null for none; undefined: the role may not read holds. */
  hold: HoldInfo | null | undefined;
  /** The role may place and release holds (`update` on Evidence). */
  mayHold: boolean;
  /** The role may export (the export route asks only that the incident is readable: anyone on this page, where the role may read evidence). */
  mayExport: boolean;
  /** The role may export the original bytes (`unredact` on Evidence). */
  mayUnredact: boolean;
  /** The exports already made, newest first; null when the API did not answer them. */
  exports: ExportRecord[] | null;
}

function exportForm(actions: EvidenceActions): string {
  if (!actions.mayExport) return '';
  const custody = (name: string, label: string) => `<label for="x-${name}">${label}<input id="x-${name}" name="${name}" maxlength="200" autocomplete="off"></label>`;
  return `<form id="export-form" class="filters" aria-labelledby="export-title"><h3 id="export-title" class="full">Export a signed evidence bundle</h3>
${custody('caseNumber', 'Case number')}${custody('recipient', 'Recipient')}${custody('purpose', 'Purpose')}
${actions.mayUnredact ? '<label for="x-original"><input type="checkbox" id="x-original" name="original"> Original (unredacted) footage</label>' : ''}
<button type="submit">Export bundle</button></form><p id="export-result" aria-live="polite"></p>`;
}

function holdDialog(actions: EvidenceActions): string {
  if (!actions.mayHold) return '';
  return `<dialog id="hold" aria-labelledby="hold-title"><form method="dialog" id="hold-form"><h2 id="hold-title">Place a legal hold</h2>
<p><label for="hold-reason">Reason (the case or request it is for; kept in the audit trail)</label><br><textarea id="hold-reason" name="reason" rows="3" maxlength="2000" required></textarea></p>
<p><button type="submit" value="hold">Place hold</button> <button type="submit" value="cancel" formnovalidate>Cancel</button></p></form></dialog>`;
}

/** The incident page's section for the evidence as a whole: the legal hold and the export, as far as the role may use them. */
export function evidenceSection(actions: EvidenceActions, timezone: string | undefined): string {
  if (actions.hold === undefined && !actions.mayExport && actions.exports === null) return '';
  const hold = actions.hold === undefined ? '' : `<div id="hold-status">${holdStatusHtml(actions.hold, actions.mayHold, timezone)}</div>`;
  return `<section aria-labelledby="evidence-title"><h2 id="evidence-title">Legal hold and export</h2>${hold}${exportForm(actions)}${actions.exports === null ? '' : `<div id="exports-list">${exportsListHtml(actions.exports, timezone)}</div>`}</section>${holdDialog(actions)}`;
}
