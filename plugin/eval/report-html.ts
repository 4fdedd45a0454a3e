import type { EvalReport } from './eval-report.js';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

interface Bar {
  readonly label: string;
  readonly value: number | null;
}

const show = (v: number | null, digits = 3): string => (v === null ? 'n/a' : String(Number(v.toFixed(digits))));

/** A horizontal bar chart as inline SVG, with a dashed line at the goal when there is one. */
export function barChart(title: string, bars: readonly Bar[], options: { max?: number; goal?: number; unit?: string } = {}): string {
  const values = bars.map((b) => b.value ?? 0);
  const max = options.max ?? Math.max(1e-9, ...values, options.goal ?? 0);
  const rowH = 26;
  const left = 170;
  const width = 420;
  const height = bars.length * rowH + 30;
  const x = (v: number): number => left + (Math.max(0, v) / max) * width;
  const rows = bars.map((b, k) => {
    const y = 20 + k * rowH;
    const text = `${show(b.value)}${b.value === null ? '' : options.unit ?? ''}`;
    return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(b.label)}</text>`
      + `<rect x="${left}" y="${y + 3}" width="${(x(b.value ?? 0) - left).toFixed(1)}" height="${rowH - 8}" fill="#3b82f6"/>`
      + `<text x="${x(b.value ?? 0) + 6}" y="${y + 15}">${escapeHtml(text)}</text>`;
  }).join('');
  const goal = options.goal === undefined ? '' : `<line x1="${x(options.goal)}" x2="${x(options.goal)}" y1="14" y2="${height - 6}" stroke="#dc2626" stroke-dasharray="4 3"/>`
    + `<text x="${x(options.goal) + 4}" y="12" fill="#dc2626">goal ${escapeHtml(show(options.goal))}${escapeHtml(options.unit ?? '')}</text>`;
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 90}" height="${height}" font-family="sans-serif" font-size="12">${rows}${goal}</svg></figure>`;
}

function goalTable(report: EvalReport): string {
  const rows = Object.entries(report.goals).map(([name, g]) => `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(g.goal)}</td><td>${escapeHtml(show(g.measured))}</td><td class="${g.isMet ? 'met' : 'unmet'}">${g.isMet ? 'met' : 'not met'}</td></tr>`);
  return `<table><tr><th>goal</th><th>target</th><th>measured</th><th></th></tr>${rows.join('')}</table>`;
}

function eventTable(report: EvalReport): string {
  const rows = Object.entries(report.metrics.events).map(([rule, s]) => `<tr><td>${escapeHtml(rule)}</td><td>${s.tp}</td><td>${s.fp}</td><td>${s.fn}</td><td>${show(s.precision)}</td><td>${show(s.recall)}</td></tr>`);
  return `<table><tr><th>rule</th><th>TP</th><th>FP</th><th>FN</th><th>precision</th><th>recall</th></tr>${rows.join('')}</table>`;
}

/** The report as one self-contained HTML page: no script, no external asset, every text escaped. */
export function renderReportHtml(report: EvalReport): string {
  const m = report.metrics;
  const latencies = report.scenarios.flatMap((s) => s.latenciesMs.map((v, k) => ({ label: `${s.scene} ${s.seed} #${k + 1}`, value: v })));
  const o = report.options;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>vigil eval ${escapeHtml(report.startedAt)}</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}.met{color:#15803d}.unmet{color:#b91c1c}figure{margin:1rem 0}figcaption{font-weight:bold;margin-bottom:.3rem}</style>
</head><body>
<h1>vigil eval</h1>
<p>${escapeHtml(`${o.scenarios} ${o.scene} scenario(s) of ${o.seconds} s at ${o.fps} fps from seed ${o.seed}, model ${report.model}, started ${report.startedAt}`)}</p>
<h2>Goals</h2>${goalTable(report)}
<h2>Detection</h2>
${barChart(`mAP@0.5 per class (${m.detection.frames} held-out frames)`, Object.entries(m.detection.classes).map(([label, v]) => ({ label, value: v.ap50 })), { max: 1, goal: 0.9 })}
<p>${escapeHtml(`The incidents' objects (the product scanned past or hidden), while the incidents ran: found as their class in ${m.incidentObjects.asItsClass} of ${m.incidentObjects.frames} frames at the plugin's thresholds${Object.entries(m.incidentObjects.asOtherClass).map(([label, n]) => `; only as ${label} in ${n}`).join('')}. A rule follows only what the detector reports.`)}</p>
<h2>Events through the video pipeline</h2>${eventTable(report)}
${barChart('precision and recall per rule', Object.entries(m.events).flatMap(([rule, s]) => [{ label: `${rule} precision`, value: s.precision }, { label: `${rule} recall`, value: s.recall }]), { max: 1, goal: 0.9 })}
<h2>Alarm latency</h2>
<p>${escapeHtml(`From the incident's end on the scene clock to the alarm's arrival at the Milestone receiver: ${m.alarms.latencyMs.count} alarm(s), p50 ${show(m.alarms.latencyMs.p50, 0)} ms, p95 ${show(m.alarms.latencyMs.p95, 0)} ms; ${m.alarms.delivered} of ${m.alarms.raised} raised alarms delivered.`)}</p>
${barChart('latency per detected incident', latencies, { goal: 1500, unit: ' ms' })}
${barChart('where it went, p50 (ms): to the rule\'s decision (of it the rule\'s wait after its window), to queued, to the VMS receiver', Object.entries(m.alarms.latencyPartsMs).map(([label, v]) => ({ label, value: v.p50 })), { unit: ' ms' })}
<h2>Frames and stages</h2>
${barChart(`share of frames reaching the model (${m.frames.reachedModel} of ${m.frames.analysed})`, [{ label: 'share', value: m.frames.share }], { max: 1 })}
${barChart('milliseconds per frame by stage', [
    { label: 'decode (ffmpeg CPU)', value: m.stageMs.decode }, { label: 'motion gate', value: m.stageMs.motion },
    { label: 'inference (per model frame)', value: m.stageMs.inference }, { label: 'tracking + zones', value: m.stageMs.tracking }, { label: 'rules', value: m.stageMs.rules },
  ], { unit: ' ms' })}
</body></html>
`;
}
