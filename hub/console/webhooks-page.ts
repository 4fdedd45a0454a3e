import { escapeHtml } from './client/render.js';
import { consolePage, type Viewer } from './html.js';
import { webhookCreatePanel, webhookSettingsPanel } from './webhook-settings-panel.js';

export interface WebhookRow {
  id: string; url: string; description: string; eventTypes: string[]; format: string; enabled: boolean; disabledReason: string | null; failingSince: string | null;
  rateLimitPerSecond?: number | null;
}
export interface DeliveryRow { id: string; messageId: string; eventType: string; status: string; attemptCount: number; nextAttemptAt: string; lastStatusCode: number | null; createdAt: string }
export interface AttemptRow { id: string; deliveryId: string; messageId: string; attempt: number; outcome: string; statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null; at: string }

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed', 'aborted', 'skipped'] as const;

const utc = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;
const state = (w: WebhookRow) => (w.enabled ? (w.failingSince ? `enabled, failing since ${utc(w.failingSince)}` : 'enabled') : `disabled${w.disabledReason ? ` (${w.disabledReason})` : ''}`);

export function webhooksPage(input: { viewer: Viewer; webhooks: WebhookRow[]; canCreate: boolean }): string {
  const rows = input.webhooks.map((w) => `<tr data-webhook="${escapeHtml(w.id)}"><th scope="row"><a href="/console/admin/webhooks/${encodeURIComponent(w.id)}">${escapeHtml(w.description || w.url)}</a><span class="sub notice">${escapeHtml(w.url)}</span></th>
<td>${escapeHtml(w.format)}</td><td>${escapeHtml(w.eventTypes.join(', '))}</td><td>${escapeHtml(state(w))}</td></tr>`).join('');
  const main = `<h1>Webhooks</h1>
${input.webhooks.length === 0 ? `<p class="empty" id="empty">No webhook endpoint yet${input.canCreate ? ': create one below' : ' (an admin or IT integrator creates them)'}.</p>` : `<table id="webhooks"><thead><tr><th scope="col">Endpoint</th><th scope="col">Format</th><th scope="col">Events</th><th scope="col">State</th></tr></thead><tbody>${rows}</tbody></table>`}
${input.canCreate ? webhookCreatePanel() : ''}`;
  return consolePage({ title: 'Webhooks', viewer: input.viewer, main, script: input.canCreate ? 'webhooks-list' : 'admin', dialogs: false, current: '/console/admin/webhooks' });
}

function deliveriesTable(deliveries: DeliveryRow[], canResend: boolean): string {
  if (deliveries.length === 0) return '<p class="notice" id="no-deliveries">No delivery matches.</p>';
  const rows = deliveries.map((d) => `<tr data-delivery="${escapeHtml(d.id)}" data-message="${escapeHtml(d.messageId)}" data-status="${escapeHtml(d.status)}"><td>${escapeHtml(utc(d.createdAt))}</td><th scope="row">${escapeHtml(d.eventType)}<span class="sub notice">${escapeHtml(d.messageId)}</span></th>
<td>${escapeHtml(d.status)}</td><td>${d.attemptCount}</td><td>${d.lastStatusCode ?? '—'}</td><td>${d.status === 'pending' ? escapeHtml(utc(d.nextAttemptAt)) : '—'}</td>
${canResend ? `<td><button type="button" data-resend="${escapeHtml(d.messageId)}">Resend</button></td>` : ''}</tr>`).join('');
  return `<table id="deliveries"><thead><tr><th scope="col">Created</th><th scope="col">Message</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last HTTP status</th><th scope="col">Next attempt</th>${canResend ? '<th scope="col"><span class="notice">Action</span></th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

function attemptsTable(attempts: AttemptRow[]): string {
  if (attempts.length === 0) return '<p class="notice" id="no-attempts">No attempt yet.</p>';
  const rows = attempts.map((a) => `<tr><td>${escapeHtml(utc(a.at))}</td><td><code>${escapeHtml(a.messageId)}</code></td><td>${a.attempt}</td><td>${escapeHtml(a.outcome)}</td><td>${a.statusCode ?? '—'}</td><td>${a.latencyMs} ms</td><td>${escapeHtml(a.error ?? a.responseExcerpt ?? '')}</td></tr>`).join('');
  return `<table id="attempts"><thead><tr><th scope="col">At</th><th scope="col">Message</th><th scope="col">Attempt</th><th scope="col">Outcome</th><th scope="col">HTTP status</th><th scope="col">Latency</th><th scope="col">Error or response</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** One endpoint: its settings, the delivery log (with resend where the role may update webhooks) and the attempts. */
export function webhookPage(input: { viewer: Viewer; webhook: WebhookRow; deliveries: DeliveryRow[]; attempts: AttemptRow[]; status: string | undefined; canResend: boolean }): string {
  const w = input.webhook;
  const statuses = DELIVERY_STATUSES.map((s) => `<option value="${s}"${s === input.status ? ' selected' : ''}>${s}</option>`).join('');
  const main = `<h1>Webhook ${escapeHtml(w.description || w.url)}</h1>
<p id="webhook-summary">${escapeHtml(w.url)} · ${escapeHtml(w.format)} · events ${escapeHtml(w.eventTypes.join(', '))} · <span id="webhook-state">${escapeHtml(state(w))}</span> · <a href="/console/admin/webhooks">All webhooks</a></p>
<h2>Deliveries</h2>
<form class="filters" method="get" action="/console/admin/webhooks/${encodeURIComponent(w.id)}" role="search" aria-label="Filter the deliveries">
<label for="d-status">Status<select id="d-status" name="status"><option value="">Any</option>${statuses}</select></label><button type="submit">Apply</button></form>
${input.canResend ? '<p class="notice">"Resend" queues the message to this endpoint again under the same webhook-id (the receiver can tell it is the same message).</p>' : ''}
${deliveriesTable(input.deliveries, input.canResend)}
<h2>Attempts (newest first)</h2>${attemptsTable(input.attempts)}
${input.canResend ? webhookSettingsPanel(w) : ''}`;
  return consolePage({ title: `Webhook ${w.description || w.url}`, viewer: input.viewer, main, script: 'webhooks', dialogs: false, current: '/console/admin/webhooks', data: { webhookId: w.id, canEdit: input.canResend } });
}
