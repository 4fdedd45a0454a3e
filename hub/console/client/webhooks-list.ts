/**
 * The webhooks page for a role that may create endpoints: "New endpoint" posts `POST /v1/webhooks` and shows
 * the signing secret once, with a link to the endpoint's page. For the servicenow format it sends the table and
 * the instance's credentials (`servicenow`), which the API stores sealed and never answers back; the page clears
 * them once sent. The API validates and refuses (an unsafe or malformed URL, no event type, no credentials);
 * its message is announced as is.
 */
import { ApiRefusal, announce, api, wireEnvironmentSwitch } from './dom.js';

const create = document.getElementById('webhook-create') as HTMLFormElement | null;
const input = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;
const value = (id: string) => input(id)?.value.trim() ?? '';

/** The ServiceNow fieldset follows the format, and its credential fields the kind of authentication. */
function showServiceNow(): void {
  const serviceNow = document.getElementById('n-servicenow');
  if (serviceNow) serviceNow.hidden = value('n-format') !== 'servicenow';
  const bearer = value('n-sn-auth') === 'bearer';
  const basicFields = document.getElementById('n-sn-basic');
  const bearerFields = document.getElementById('n-sn-bearer');
  if (basicFields) basicFields.hidden = bearer;
  if (bearerFields) bearerFields.hidden = !bearer;
}

function serviceNowBody(): Record<string, unknown> {
  const auth = value('n-sn-auth') === 'bearer'
    ? { type: 'bearer', token: value('n-sn-token') }
    : { type: 'basic', username: value('n-sn-username'), password: input('n-sn-password')?.value ?? '' };
  return { servicenow: { table: value('n-sn-table') || 'incident', auth } };
}

function forgetCredentials(): void {
  for (const id of ['n-sn-password', 'n-sn-token']) {
    const field = input(id);
    if (field) field.value = '';
  }
}

input('n-format')?.addEventListener('change', showServiceNow);
input('n-sn-auth')?.addEventListener('change', showServiceNow);
showServiceNow();

create?.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(create);
  const eventTypes = data.getAll('eventTypes').map(String);
  if (eventTypes.length === 0) return announce('Not created: choose at least one event type.', 'error');
  const format = String(data.get('format') ?? 'standard');
  const body = {
    url: String(data.get('url') ?? '').trim(), description: String(data.get('description') ?? ''), format,
    eventTypes, fullPayload: data.get('fullPayload') === 'true', ...(format === 'servicenow' ? serviceNowBody() : {}),
  };
  void api<{ id: string; secret: string }>('POST', '/v1/webhooks', body).then(({ id, secret }) => {
    forgetCredentials();
    const secretOut = document.getElementById('n-secret');
    const open = document.getElementById('n-open') as HTMLAnchorElement | null;
    if (secretOut) secretOut.textContent = secret;
    if (open) open.href = `/console/admin/webhooks/${encodeURIComponent(id)}`;
    document.getElementById('n-created')?.removeAttribute('hidden');
    secretOut?.focus();
    announce('Endpoint created: copy its secret to the receiver now, it is not shown again.');
    document.body.dataset.created = id;
  }, (error: unknown) => announce(error instanceof ApiRefusal ? `Not created: ${error.message}` : 'Not created: the hub could not be reached.', 'error'));
});
wireEnvironmentSwitch();
