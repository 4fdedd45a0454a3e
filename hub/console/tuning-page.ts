import { columnChart } from './charts.js';
import { escapeHtml } from './client/render.js';
import type { StoreRow } from './directory-page.js';
import { consolePage, type Viewer } from './html.js';

export interface TuningFigures { threshold: number; incidents: number; incidentsPerDay: number; verifiedKept: number; verified: number; recall: number | null; dismissedKept: number; dismissed: number; precision: number | null }
export interface RuleTuningRow {
  rule: string; type: string; minConfidence: number; days: number; recallFloor: number; current: TuningFigures;
  dismissReasons: Array<{ reason: string; incidents: number }>; proposal: TuningFigures | null; noProposal: string | null; curve: TuningFigures[]; truncated: boolean;
}

const share = (value: number | null): string => (value === null ? '—' : `${Math.round(value * 1000) / 10} %`);
const perDay = (value: number): string => `${Math.round(value * 10) / 10} a day`;

function figuresList(f: TuningFigures): string {
  return `<dl class="facts"><dt>Incidents</dt><dd>${f.incidents} (${perDay(f.incidentsPerDay)})</dd><dt>Precision</dt><dd>${share(f.precision)}</dd>
<dt>Verified kept</dt><dd>${f.verifiedKept} of ${f.verified} (recall ${share(f.recall)})</dd><dt>Dismissed kept</dt><dd>${f.dismissedKept} of ${f.dismissed}</dd></dl>`;
}

function proposalBlock(row: RuleTuningRow, index: number): string {
  if (!row.proposal) return `<p class="notice" data-no-proposal>No proposal: ${escapeHtml(row.noProposal ?? 'nothing to change')}.</p>`;
  const p = row.proposal;
  return `<section class="proposal" aria-labelledby="proposal-${index}"><h3 id="proposal-${index}">Proposed: minConfidence ${p.threshold}</h3>
<p>Over the same ${row.days} days this would have raised ${p.incidents} incidents instead of ${row.current.incidents}, kept ${p.verifiedKept} of ${p.verified} verified ones
and dropped ${row.current.dismissedKept - p.dismissedKept} dismissed ones (the recall floor is ${share(row.recallFloor)}).</p>
${figuresList(p)}
<form class="tuning-decision" data-rule="${escapeHtml(row.rule)}" data-threshold="${p.threshold}" data-days="${row.days}" aria-label="Decide on minConfidence ${p.threshold} for ${escapeHtml(row.rule)}">
<label for="reason-${index}">Reason (optional)<input id="reason-${index}" name="reason" maxlength="2000" autocomplete="off"></label>
<button type="submit" name="decision" value="accept">Accept</button> <button type="submit" name="decision" value="reject">Reject</button></form></section>`;
}

function ruleCard(row: RuleTuningRow, index: number): string {
  const reasons = row.dismissReasons.length === 0 ? '' : `<p>Dismissed because: ${row.dismissReasons.map((r) => `${escapeHtml(r.reason)} (${r.incidents})`).join(', ')}</p>`;
  const curve = columnChart(`curve-${index}`, `Incidents by minConfidence, ${row.rule}`, row.curve.map((f) => ({ key: String(f.threshold), label: String(f.threshold), value: f.incidents })));
  return `<article class="rule-tuning" data-rule="${escapeHtml(row.rule)}" aria-labelledby="rule-${index}"><h2 id="rule-${index}">${escapeHtml(row.rule)} <span class="sub">${escapeHtml(row.type)}, minConfidence ${row.minConfidence}</span></h2>
<h3>Last ${row.days} days at the current threshold</h3>${figuresList(row.current)}${reasons}
${row.truncated ? '<p class="notice">Only the newest 50,000 events were replayed.</p>' : ''}
${proposalBlock(row, index)}
<details><summary>Every threshold tried</summary>${curve}</details></article>`;
}

/** Threshold tuning of one store: each rule's verdicts, the replayed proposal, Accept and Reject. */
export function tuningPage(input: { viewer: Viewer; stores: StoreRow[]; storeId: string | null; rules: RuleTuningRow[] | null }): string {
  const options = input.stores.map((s) => `<option value="${escapeHtml(s.id)}"${s.id === input.storeId ? ' selected' : ''}>${escapeHtml(`${s.name} (${s.code})`)}</option>`).join('');
  const picker = `<form class="filters" method="get" action="/console/admin/tuning"><label for="t-store">Store<select id="t-store" name="storeId">${options}</select></label><button type="submit">Show</button></form>`;
  const body = input.rules === null ? '<p class="notice" id="tuning-pick">Pick a store to see its rules\' verdicts and proposals.</p>'
    : input.rules.length === 0 ? '<p class="notice" id="tuning-empty">This store has no enabled rule: save its rules first.</p>'
      : input.rules.map(ruleCard).join('');
  const main = `<h1>Threshold tuning</h1><p class="notice">Each rule's stored events of the period are replayed through a higher minConfidence and the hub's incident merging; a proposal never keeps fewer verified incidents than the recall floor allows. Accepting saves the next version of the store's rules, which its plugins pull.</p>${picker}${body}`;
  return consolePage({ title: 'Threshold tuning', viewer: input.viewer, main, script: 'tuning', dialogs: false, current: '/console/admin/tuning' });
}
