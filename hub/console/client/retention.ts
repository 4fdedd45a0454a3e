/** The retention page: add a policy (`POST /v1/retention/policies`) or remove one (`DELETE …/{id}`), release a legal hold (`POST /v1/evidence/holds/{id}/release`), then reload. */
import { ApiRefusal, announce, api, wireEnvironmentSwitch } from './dom.js';

const fail = (error: unknown) => announce(error instanceof ApiRefusal ? `Not changed: ${error.message}` : 'Not changed: the hub could not be reached.', 'error');

document.getElementById('retention-form')?.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(event.target as HTMLFormElement);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const body = {
    outcome: text('outcome'), keepDays: Number(text('keepDays')),
    ...(text('storeId') ? { storeId: text('storeId') } : {}), ...(text('incidentType') ? { incidentType: text('incidentType') } : {}),
  };
  void api('POST', '/v1/retention/policies', body).then(() => window.location.reload(), fail);
});
document.getElementById('retention')?.addEventListener('click', (event) => {
  const id = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-delete]')?.dataset.delete;
  if (id) void api('DELETE', `/v1/retention/policies/${encodeURIComponent(id)}`).then(() => window.location.reload(), fail);
});
document.getElementById('holds')?.addEventListener('click', (event) => {
  const id = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-release]')?.dataset.release;
  if (id) void api('POST', `/v1/evidence/holds/${encodeURIComponent(id)}/release`, {}).then(() => window.location.reload(), fail);
});
wireEnvironmentSwitch();
document.body.dataset.ready = 'retention';
