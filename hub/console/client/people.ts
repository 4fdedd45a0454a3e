/** The users page: Disable and Enable call `POST /v1/users/{id}/disable|enable`, then the page reloads. */
import { announce, api, wireEnvironmentSwitch } from './dom.js';

document.getElementById('users')?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-user-action]');
  const { userAction, id, name } = button?.dataset ?? {};
  if (!button || !id || (userAction !== 'disable' && userAction !== 'enable')) return;
  button.disabled = true;
  void api('POST', `/v1/users/${encodeURIComponent(id)}/${userAction}`)
    .then(() => {
      announce(`${name ?? id} ${userAction === 'disable' ? 'disabled' : 'enabled'}.`);
      window.location.reload();
    })
    .catch((error: unknown) => {
      button.disabled = false;
      announce(error instanceof Error ? `Not changed: ${error.message}` : 'Not changed.', 'error');
    });
});
wireEnvironmentSwitch();
document.body.dataset.ready = 'people';
