/**
 * The webhooks page for a role that may create endpoints: "New endpoint" posts `POST /v1/webhooks` and shows
 * the signing secret once, with a link to the endpoint's page. For the servicenow format it sends the table and
 * the instance's credentials (`servicenow`), which the API stores sealed and never answers back; the page clears
 * them once sent. The API validates and refuses (an unsafe or malformed URL, no event type, no credentials);
 * its message is announced as is.
 */
import { ApiRefusal, announce, api, wireEnvironmentSwitch } from './dom.js';
import { authBody, forgetCredentials, wireAuthFields } from './servicenow-fields.js';

const create = document.getElementById('webhook-create') as HTMLFormElement | null;
const value = (id: string) => (document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ?? '';

/** The ServiceNow fieldset follows the format. */
function showServiceNow(): void {
  const serviceNow = document.getElementById('n-servicenow');
  if (serviceNow) serviceNow.hidden = value('n-format') !== 'servicenow';
}
document.getElementById('n-format')?.addEventListener('change', showServiceNow);
showServiceNow();
wireAuthFields('n');

const serviceNowBody = () => ({ servicenow: { table: value('n-sn-table') || 'incident', auth: authBody('n') } });

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
    forgetCredentials('n');
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
