/**
 * The webhooks page for a role that may create endpoints: "New endpoint" posts `POST /v1/webhooks` and shows
 * the signing secret once, with a link to the endpoint's page. The API validates and refuses (an unsafe or
 * malformed URL, no event type); its message is announced as is.
 */
import { ApiRefusal, announce, api, wireEnvironmentSwitch } from './dom.js';

const create = document.getElementById('webhook-create') as HTMLFormElement | null;
create?.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(create);
  const eventTypes = data.getAll('eventTypes').map(String);
  if (eventTypes.length === 0) return announce('Not created: choose at least one event type.', 'error');
  const body = {
    url: String(data.get('url') ?? '').trim(), description: String(data.get('description') ?? ''), format: String(data.get('format') ?? 'standard'),
    eventTypes, fullPayload: data.get('fullPayload') === 'true',
  };
  void api<{ id: string; secret: string }>('POST', '/v1/webhooks', body).then(({ id, secret }) => {
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
