/**
 * The users page: Disable and Enable call `POST /v1/users/{id}/disable|enable`; "Change a person's role and
 * scope" sends `PATCH /v1/users/{id}` and "Provision a person" `POST /v1/users`; each reloads the page on
 * success and announces the API's reason on refusal. The service identities' controls are service-identities.ts.
 */
import { ApiRefusal, announce, api, pageData, wireEnvironmentSwitch } from './dom.js';
import './service-identities.js';

interface Person { id: string; role: string; storeIds: string[]; regionIds: string[] }
const { people } = pageData<{ people: Person[] }>();

const refused = (what: string) => (error: unknown) => announce(error instanceof ApiRefusal ? `${what}: ${error.message}` : `${what}: the hub could not be reached.`, 'error');
const scopeOf = (form: HTMLFormElement) => {
  const data = new FormData(form);
  return { role: String(data.get('role') ?? ''), storeIds: data.getAll('storeIds').map(String), regionIds: data.getAll('regionIds').map(String) };
};

/** The change form shows the chosen person's current role and scope. */
function showPerson(form: HTMLFormElement): void {
  const person = people.find((p) => p.id === (form.elements.namedItem('id') as HTMLSelectElement).value);
  if (!person) return;
  (form.elements.namedItem('role') as HTMLSelectElement).value = person.role;
  for (const box of form.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) {
    box.checked = (box.name === 'storeIds' ? person.storeIds : person.regionIds).includes(box.value);
  }
}

const change = document.getElementById('person-change') as HTMLFormElement | null;
if (change) {
  showPerson(change);
  (change.elements.namedItem('id') as HTMLSelectElement | null)?.addEventListener('change', () => showPerson(change));
  change.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = (change.elements.namedItem('id') as HTMLSelectElement).value;
    void api('PATCH', `/v1/users/${encodeURIComponent(id)}`, scopeOf(change)).then(() => {
      announce('Role and scope saved.');
      document.body.dataset.changed = id;
      window.location.reload();
    }, refused('Not saved'));
  });
}
const provision = document.getElementById('person-new') as HTMLFormElement | null;
provision?.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(provision);
  const name = String(data.get('name') ?? '').trim();
  void api<{ id: string }>('POST', '/v1/users', { email: String(data.get('email') ?? '').trim(), ...(name ? { name } : {}), ...scopeOf(provision) }).then(({ id }) => {
    announce(`Provisioned ${id}.`);
    document.body.dataset.changed = id;
    window.location.reload();
  }, refused('Not provisioned'));
});

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
