import type { EvalReport } from './eval-report.js';

const show = (v: number | null): string => (v === null ? 'n/a' : String(Number(v.toFixed(3))));

/** The goals beside the measured figures, then where the report files are. */
export function printSummary(report: EvalReport, files: { jsonPath: string; htmlPath: string }, say: (line: string) => void): void {
  const rows = Object.entries(report.goals).map(([name, g]) => [name, g.goal, show(g.measured), g.isMet ? 'met' : 'NOT MET'] as const);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 8));
  const m = report.metrics;
  say('');
  for (const r of rows) say(`${r[0].padEnd(widths[0] ?? 0)}  ${r[1].padEnd(widths[1] ?? 0)}  ${r[2].padEnd(widths[2] ?? 0)}  ${r[3]}`);
  say(`frames reaching the model: ${m.frames.reachedModel}/${m.frames.analysed} (${show(m.frames.share)}); ms a frame: decode ${show(m.stageMs.decode)}, motion ${show(m.stageMs.motion)}, inference ${show(m.stageMs.inference)} (per model frame), tracking ${show(m.stageMs.tracking)}, rules ${show(m.stageMs.rules)}`);
  const seen = m.incidentObjects;
  const others = Object.entries(seen.asOtherClass).map(([label, n]) => `${n} only as ${label}`).join(', ');
  say(`incident objects seen by the detector while the incidents ran: ${seen.asItsClass}/${seen.frames} frames (${show(seen.share)})${others === '' ? '' : `; ${others}`}`);
  const parts = m.alarms.latencyPartsMs;
  const part = (p: { p50: number | null; p95: number | null }) => `${show(p.p50)}/${show(p.p95)}`;
  say(`alarm latency ms p50/p95: incident end to rule decision ${part(parts.toDecisionMs)} (of it the rule's wait after its window ${part(parts.ruleWaitMs)}), to queued ${part(parts.queueMs)}, to the VMS receiver ${part(parts.deliveryMs)}`);
  say(`alarms: ${m.alarms.delivered}/${m.alarms.raised} delivered to the VMS receiver; report: ${files.jsonPath}, ${files.htmlPath}`);
}
