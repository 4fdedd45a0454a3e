/**
 * A webhook endpoint's settings on its console page: save (`PATCH /v1/webhooks/{id}`), send a test message
 * (`POST …/test`), recover failed
 * deliveries since a time (`POST …/recover`) and rotate the signing secret (`POST …/secret/rotate`, the new
 * secret shown once); for a servicenow endpoint, new credentials (`PATCH … {servicenowAuth}`, cleared from the
 * page once sent). The API validates and refuses; its message is announced as is.
 */
import { ApiRefusal, announce, api } from './dom.js';
import { authBody, forgetCredentials, wireAuthFields } from './servicenow-fields.js';

const form = (id: string) => document.getElementById(id) as HTMLFormElement | null;
const refusal = (error: unknown, what: string) => announce(error instanceof ApiRefusal ? `${what}: ${error.message}` : `${what}: the hub could not be reached.`, 'error');
const done = (name: string) => (document.body.dataset.settingsDone = name);

function settingsBody(settings: HTMLFormElement): Record<string, unknown> {
  const data = new FormData(settings);
  const rate = String(data.get('rateLimitPerSecond') ?? '').trim();
  return {
    description: String(data.get('description') ?? ''),
    url: String(data.get('url') ?? '').trim(),
    eventTypes: data.getAll('eventTypes').map(String),
    enabled: data.get('enabled') === 'true',
    rateLimitPerSecond: rate === '' ? null : Number(rate),
  };
}

export function wireWebhookSettings(webhookId: string): void {
  const path = `/v1/webhooks/${encodeURIComponent(webhookId)}`;
  const settings = form('webhook-settings');
  settings?.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = settingsBody(settings);
    if ((body.eventTypes as string[]).length === 0) return announce('Not saved: choose at least one event type.', 'error');
    void api('PATCH', path, body).then(() => {
      announce('Settings saved.');
      done('saved');
      window.location.reload();
    }, (error: unknown) => refusal(error, 'Not saved'));
  });
  const tester = form('webhook-test');
  tester?.addEventListener('submit', (event) => {
    event.preventDefault();
    const eventType = String(new FormData(tester).get('eventType') ?? '');
    void api<{ messageId: string }>('POST', `${path}/test`, { eventType }).then(({ messageId }) => {
      announce(`Test message ${messageId} queued: it shows in the delivery log when the page is reloaded.`);
      done(`tested:${messageId}`);
    }, (error: unknown) => refusal(error, 'Not sent'));
  });
  const recover = form('webhook-recover');
  recover?.addEventListener('submit', (event) => {
    event.preventDefault();
    const local = String(new FormData(recover).get('since') ?? '');
    if (!local) return announce('Choose since when to recover.', 'error');
    void api<{ recovered: number }>('POST', `${path}/recover`, { since: new Date(`${local}Z`).toISOString() }).then(({ recovered }) => {
      announce(`${recovered} deliver${recovered === 1 ? 'y' : 'ies'} queued again.`);
      done(`recovered:${recovered}`);
    }, (error: unknown) => refusal(error, 'Not recovered'));
  });
  const rotate = form('webhook-rotate');
  rotate?.addEventListener('submit', (event) => {
    event.preventDefault();
    const hours = Number(new FormData(rotate).get('graceHours') ?? 24);
    void api<{ secret: string }>('POST', `${path}/secret/rotate`, { graceSeconds: Math.round(hours * 3600) }).then(({ secret }) => {
      const shown = document.getElementById('w-secret');
      const value = document.getElementById('w-secret-value');
      if (value) value.textContent = secret;
      shown?.removeAttribute('hidden');
      value?.focus();
      announce('A new secret signs from now on: copy it to the receiver now, it is not shown again.');
      done('rotated');
    }, (error: unknown) => refusal(error, 'Not rotated'));
  });
  const credentials = form('webhook-servicenow');
  if (credentials) wireAuthFields('w');
  credentials?.addEventListener('submit', (event) => {
    event.preventDefault();
    void api('PATCH', path, { servicenowAuth: authBody('w') }).then(() => {
      forgetCredentials('w');
      announce('ServiceNow credentials replaced: the next delivery uses them.');
      done('credentials');
    }, (error: unknown) => refusal(error, 'Not replaced'));
  });
}
