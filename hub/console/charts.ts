import { escapeHtml } from './client/render.js';

/**
 * Charts as inline SVG, drawn on the server: nothing to load, nothing to run (the console's CSP allows scripts
 * from the hub only). Every mark carries its number in `data-value` and a <title>, and each chart is followed by
 * the same numbers as a table, for screen readers and for copying.
 */

export interface Bar { key: string; label: string; value: number }

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

function dataTable(id: string, caption: string, header: [string, string], rows: Array<[string, string]>): string {
  const body = rows.map(([a, b]) => `<tr><th scope="row">${escapeHtml(a)}</th><td>${escapeHtml(b)}</td></tr>`).join('');
  return `<details class="chart-table"><summary>Numbers</summary><table id="${escapeHtml(id)}-table"><caption class="notice">${escapeHtml(caption)}</caption>
<thead><tr><th scope="col">${escapeHtml(header[0])}</th><th scope="col">${escapeHtml(header[1])}</th></tr></thead><tbody>${body}</tbody></table></details>`;
}

/** Horizontal bars, largest first (at most `limit`). */
export function barChart(id: string, title: string, bars: Bar[], options: { unit?: string; limit?: number } = {}): string {
  const shown = [...bars].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label)).slice(0, options.limit ?? 12);
  if (shown.length === 0) return `<p class="notice" id="${escapeHtml(id)}-empty">No incidents in this range.</p>`;
  const max = Math.max(...shown.map((b) => b.value), 1);
  const rowHeight = 22;
  const labelWidth = 170;
  const width = 520;
  const marks = shown.map((bar, i) => {
    const w = Math.max(1, Math.round(((width - labelWidth - 60) * bar.value) / max));
    const y = i * rowHeight;
    return `<g class="bar" data-key="${escapeHtml(bar.key)}" data-value="${bar.value}"><title>${escapeHtml(bar.label)}: ${fmt(bar.value)}${options.unit ?? ''}</title>
<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end" class="chart-label">${escapeHtml(bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label)}</text>
<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 6}" class="chart-bar"></rect>
<text x="${labelWidth + w + 4}" y="${y + 15}" class="chart-value">${fmt(bar.value)}${escapeHtml(options.unit ?? '')}</text></g>`;
  }).join('');
  return `<svg id="${escapeHtml(id)}" class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${shown.length * rowHeight}" width="${width}" height="${shown.length * rowHeight}">${marks}</svg>
${dataTable(id, title, ['', 'value'], shown.map((b) => [b.label, fmt(b.value)]))}`;
}

/** Columns over time (one per bucket, in order). */
export function columnChart(id: string, title: string, columns: Bar[]): string {
  if (columns.length === 0) return `<p class="notice" id="${escapeHtml(id)}-empty">No incidents in this range.</p>`;
  const max = Math.max(...columns.map((c) => c.value), 1);
  const height = 160;
  const step = Math.max(6, Math.min(40, Math.floor(640 / columns.length)));
  const width = columns.length * step + 40;
  const marks = columns.map((c, i) => {
    const h = c.value === 0 ? 0 : Math.max(1, Math.round(((height - 30) * c.value) / max));
    const x = 30 + i * step;
    return `<g class="bar" data-key="${escapeHtml(c.key)}" data-value="${c.value}"><title>${escapeHtml(c.label)}: ${fmt(c.value)}</title>
<rect x="${x}" y="${height - 20 - h}" width="${step - 2}" height="${h}" class="chart-bar"></rect>
${step >= 24 ? `<text x="${x + (step - 2) / 2}" y="${height - 24 - h}" text-anchor="middle" class="chart-value">${fmt(c.value)}</text>` : ''}</g>`;
  }).join('');
  const axis = `<text x="30" y="${height - 4}" class="chart-label">${escapeHtml(columns[0]?.label ?? '')}</text><text x="${width - 4}" y="${height - 4}" text-anchor="end" class="chart-label">${escapeHtml(columns.at(-1)?.label ?? '')}</text>
<text x="2" y="12" class="chart-label">${max}</text><line x1="28" y1="${height - 20}" x2="${width}" y2="${height - 20}" class="chart-axis"></line>`;
  return `<svg id="${escapeHtml(id)}" class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${axis}${marks}</svg>
${dataTable(id, title, ['', 'incidents'], columns.map((c) => [c.label, fmt(c.value)]))}`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Weekday (rows, Monday first) by hour of the day (columns), darker for more incidents. */
export function heatmapChart(id: string, title: string, cells: Array<{ weekday: number; hour: number; incidents: number }>): string {
  const max = Math.max(...cells.map((c) => c.incidents), 1);
  const size = 20;
  const left = 36;
  const byCell = new Map(cells.map((c) => [`${c.weekday}/${c.hour}`, c.incidents]));
  const marks: string[] = [];
  for (let day = 1; day <= 7; day += 1) {
    marks.push(`<text x="0" y="${(day - 1) * size + 34}" class="chart-label">${WEEKDAYS[day - 1]}</text>`);
    for (let hour = 0; hour < 24; hour += 1) {
      const n = byCell.get(`${day}/${hour}`) ?? 0;
      const opacity = n === 0 ? 0.04 : 0.2 + (0.8 * n) / max;
      marks.push(`<rect x="${left + hour * size}" y="${(day - 1) * size + 20}" width="${size - 2}" height="${size - 2}" class="heat" fill-opacity="${opacity.toFixed(2)}" data-weekday="${day}" data-hour="${hour}" data-value="${n}"><title>${WEEKDAYS[day - 1]} ${String(hour).padStart(2, '0')}:00: ${n}</title></rect>`);
    }
  }
  for (let hour = 0; hour < 24; hour += 3) marks.push(`<text x="${left + hour * size}" y="14" class="chart-label">${String(hour).padStart(2, '0')}</text>`);
  const width = left + 24 * size;
  return `<svg id="${escapeHtml(id)}" class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${7 * size + 24}" width="${width}" height="${7 * size + 24}">${marks.join('')}</svg>
${dataTable(id, title, ['weekday, hour', 'incidents'], cells.map((c) => [`${WEEKDAYS[c.weekday - 1]} ${String(c.hour).padStart(2, '0')}:00`, String(c.incidents)]))}`;
}

/** A duration bound in words: "≤ 5 min", "≤ 2 h", "> 7 days". */
export function durationText(seconds: number | null): string {
  if (seconds === null) return '> 7 days';
  if (seconds < 3600) return `≤ ${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `≤ ${Math.round(seconds / 3600)} h`;
  const days = Math.round(seconds / 86_400);
  return `≤ ${days} ${days === 1 ? 'day' : 'days'}`;
}
