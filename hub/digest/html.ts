import { escapeHtml } from '../console/client/render.js';
import type { DigestContent, DigestLine } from './content.js';

// E-mail-ready: one self-contained document, tables for layout, every style inline, no scripts, no images or
// other external resources, and every value escaped (names come from the directory, which tenants edit).

const FONT = 'font-family:Arial,Helvetica,sans-serif;color:#1f2933';
const CELL = 'padding:6px 10px;border-bottom:1px solid #e4e7eb;font-size:14px';
const HEAD = `${CELL};text-align:left;background:#f5f7fa;font-weight:bold`;
const NUMBER = `${CELL};text-align:right`;

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
const day = (iso: string): string => iso.slice(0, 10);

/** The period in words: the day, or the ISO week's first and last day (UTC). */
export function periodLabel(content: DigestContent): string {
  if (content.cadence === 'daily') return `${day(content.periodStart)} (UTC)`;
  const last = new Date(Date.parse(content.periodEnd) - 86_400_000).toISOString();
  return `week ${day(content.periodStart)} – ${day(last)} (UTC)`;
}

function lineTable(title: string, lines: DigestLine[]): string {
  const head = `<tr><th style="${HEAD}">${escapeHtml(title)}</th><th style="${HEAD};text-align:right">Incidents</th><th style="${HEAD};text-align:right">Before</th><th style="${HEAD};text-align:right">Change</th></tr>`;
  const rows = lines.length === 0
    ? `<tr><td colspan="4" style="${CELL};color:#616e7c">No incidents</td></tr>`
    : lines.map((l) => `<tr><td style="${CELL}">${escapeHtml(l.label)}</td><td style="${NUMBER}">${l.incidents}</td><td style="${NUMBER}">${l.previous}</td><td style="${NUMBER}">${escapeHtml(signed(l.change))}</td></tr>`).join('');
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 20px 0">${head}${rows}</table>`;
}

function summary(content: DigestContent): string {
  const { total } = content;
  const percent = total.changePercent === null ? '' : ` (${escapeHtml(signed(total.changePercent))}%)`;
  const ack = content.medianAckSeconds === null ? '—' : `≤ ${Math.round(content.medianAckSeconds / 60)} min`;
  return `<p style="${FONT};font-size:16px;margin:0 0 16px 0"><strong>${total.incidents}</strong> incidents, ${escapeHtml(signed(total.change))}${percent} against ${total.previous} the period before.
Acknowledged: ${content.acknowledged}; median time to acknowledge: ${escapeHtml(ack)}.</p>`;
}

/** The digest as an HTML e-mail body (a complete document). */
export function renderDigestHtml(content: DigestContent): string {
  const title = `Vigil ${content.cadence} digest: ${content.region}, ${periodLabel(content)}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:0;background:#ffffff">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse"><tr><td align="center" style="padding:16px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="border-collapse:collapse;max-width:600px;${FONT}"><tr><td>
<h1 style="${FONT};font-size:20px;margin:0 0 12px 0">${escapeHtml(title)}</h1>
${summary(content)}
${lineTable('Top stores', content.topStores)}
${lineTable('Top lanes', content.topLanes)}
${lineTable('Top incident types', content.topTypes)}
<p style="${FONT};font-size:12px;color:#616e7c;margin:0">Live incidents opened in the period (UTC), from the hub's analytics rollups; shadow incidents of pilot programs are not counted.</p>
</td></tr></table>
</td></tr></table>
</body></html>
`;
}
