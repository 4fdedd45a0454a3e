import { WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../webhooks/event-types.js';
import { escapeHtml } from './client/render.js';
import { serviceNowCreateFieldset, serviceNowCredentialsForm } from './servicenow-fields.js';

/** The endpoint fields the settings form edits (as `GET /v1/webhooks/{id}` answers them). */
export interface EditableWebhook {
  id: string; url: string; description: string; eventTypes: string[]; enabled: boolean; rateLimitPerSecond?: number | null; format: string;
}

export const checkbox = (name: string, value: string, checked: boolean, label: string) =>
  `<label class="check"><input type="checkbox" name="${name}" value="${escapeHtml(value)}"${checked ? ' checked' : ''}> ${escapeHtml(label)}</label>`;

/**
 * For a role that may update webhooks: the endpoint's settings (`PATCH /v1/webhooks/{id}`), a test message
 * (`POST …/test`), "recover since" (`POST …/recover`) and a new signing secret (`POST …/secret/rotate`, shown once). client/webhook-settings.ts
 * sends them, and for a servicenow endpoint new credentials (`PATCH … {servicenowAuth}`); the API checks and refuses (an unsafe URL, a subnet not allowed) and the page says why.
 */
export function webhookSettingsPanel(w: EditableWebhook): string {
  const types = WEBHOOK_EVENT_TYPES.map((t) => checkbox('eventTypes', t, w.eventTypes.includes(t), t)).join('');
  return `<section aria-labelledby="settings-heading"><h2 id="settings-heading">Settings</h2>
<form id="webhook-settings" class="settings" novalidate>
<label for="w-description">Description</label><input id="w-description" name="description" maxlength="500" value="${escapeHtml(w.description)}">
<label for="w-url">URL</label><input id="w-url" name="url" type="url" maxlength="2000" required value="${escapeHtml(w.url)}">
<fieldset><legend>Event types</legend>${types}</fieldset>
<label for="w-rate">Rate limit (messages per second; empty for none)</label><input id="w-rate" name="rateLimitPerSecond" type="number" min="1" max="10000" step="1" value="${w.rateLimitPerSecond ?? ''}">
${checkbox('enabled', 'true', w.enabled, 'Enabled (re-enabling clears the disabled reason and the failing streak)')}
<p class="buttons"><button type="submit" class="primary" id="w-save">Save settings</button></p>
</form>
<h3 id="test-heading">Test</h3>
<form id="webhook-test" class="settings" aria-labelledby="test-heading">
<label for="w-test-type">Send an example message (marked <code>test: true</code>) of the type</label><select id="w-test-type" name="eventType">${w.eventTypes.map((t) => `<option value="${escapeHtml(t)}">${escapeHtml(t)}</option>`).join('')}</select>
<p class="buttons"><button type="submit" id="w-test">Send a test message</button></p>
</form>
<h3 id="recover-heading">Recover</h3>
<form id="webhook-recover" class="settings" aria-labelledby="recover-heading">
<label for="w-since">Send again every failed (or skipped while disabled) delivery created since (UTC)</label><input id="w-since" name="since" type="datetime-local" required>
<p class="buttons"><button type="submit" id="w-recover">Recover</button></p>
</form>
<h3 id="rotate-heading">Signing secret</h3>
<p class="notice">A new secret signs from now on; the previous one keeps signing as well for the grace period, so receivers can switch without losing a message.</p>
<form id="webhook-rotate" class="settings" aria-labelledby="rotate-heading">
<label for="w-grace">Previous secret keeps signing for (hours)</label><input id="w-grace" name="graceHours" type="number" min="0" max="168" step="1" value="24">
<p class="buttons"><button type="submit" id="w-rotate">Rotate the secret</button></p>
</form>
<div id="w-secret" hidden><p><strong>The new secret, shown this once:</strong></p><pre id="w-secret-value" tabindex="0"></pre></div>
${w.format === 'servicenow' ? serviceNowCredentialsForm() : ''}
</section>`;
}

/** For a role that may create webhooks: a new endpoint (`POST /v1/webhooks`), its secret shown once (client/webhooks-list.ts). */
export function webhookCreatePanel(): string {
  const types = WEBHOOK_EVENT_TYPES.map((t) => checkbox('eventTypes', t, t === 'incident.created', t)).join('');
  const formats = WEBHOOK_FORMATS.map((f) => `<option value="${f}">${f}</option>`).join('');
  return `<section aria-labelledby="create-heading"><h2 id="create-heading">New endpoint</h2>
<form id="webhook-create" class="settings" novalidate>
<label for="n-url">URL</label><input id="n-url" name="url" type="url" maxlength="2000" required placeholder="https://receiver.example.com/vigil">
<label for="n-description">Description</label><input id="n-description" name="description" maxlength="500">
<label for="n-format">Format</label><select id="n-format" name="format">${formats}</select>
${serviceNowCreateFieldset()}
<fieldset><legend>Event types</legend>${types}</fieldset>
${checkbox('fullPayload', 'true', false, 'Full payloads (otherwise ids and links only; receivers fetch the rest with their own credentials)')}
<p class="buttons"><button type="submit" class="primary" id="n-create">Create the endpoint</button></p>
</form>
<div id="n-created" hidden><p><strong>Created.</strong> Its signing secret, shown this once (the receiver verifies with it):</p><pre id="n-secret" tabindex="0"></pre><p><a id="n-open" href="/console/admin/webhooks">Open the endpoint</a></p></div>
</section>`;
}
