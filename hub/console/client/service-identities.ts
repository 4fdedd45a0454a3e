/**
 * The users page's service identities (identities-panel.ts): "Register" posts `POST /v1/service-identities`,
 * "Rotate token" `POST /v1/service-identities/{id}/rotate` with the grace period chosen above the table, and
 * "Disable"/"Enable" and "Save stores" `PATCH /v1/service-identities/{id}`. A new token is shown once in #si-token and never
 * kept by the page; the row's state changes in place, so a token just shown is not lost to a reload.
 */
import { ApiRefusal, announce, api } from './dom.js';
import { utcMinute } from './render.js';

const refused = (what: string) => (error: unknown) => announce(error instanceof ApiRefusal ? `${what}: ${error.message}` : `${what}: the hub could not be reached.`, 'error');

function showToken(what: string, token: string): void {
  const box = document.getElementById('si-token-box');
  const out = document.getElementById('si-token');
  const label = document.getElementById('si-token-what');
  if (!box || !out || !label) return;
  label.textContent = what;
  out.textContent = token;
  box.hidden = false;
  out.focus();
}

interface IdentityState { id: string; disabledAt: string | null }

/** The row's state cell and which buttons it offers, from the API's answer. */
function showState(row: HTMLElement, identity: IdentityState): void {
  const off = identity.disabledAt !== null;
  row.dataset.disabled = String(off);
  const cell = row.querySelector('.state-cell');
  if (cell) cell.textContent = off ? `disabled ${utcMinute(identity.disabledAt)}` : 'active';
  for (const button of row.querySelectorAll<HTMLButtonElement>('button[data-identity-action]')) {
    button.hidden = (button.dataset.identityAction === 'enable') !== off;
    button.disabled = false;
  }
}

const graceSeconds = () => Math.round(Number((document.getElementById('si-grace') as HTMLInputElement | null)?.value || 0) * 3600);

function act(button: HTMLButtonElement, action: string, id: string, name: string): Promise<void> {
  const path = `/v1/service-identities/${encodeURIComponent(id)}`;
  if (action === 'rotate') {
    return api<{ token: string; previousValidUntil: string }>('POST', `${path}/rotate`, { graceSeconds: graceSeconds() }).then(({ token, previousValidUntil }) => {
      button.disabled = false;
      showToken(`New token for ${name} (${id}), shown this once. The previous tokens stay valid until ${utcMinute(previousValidUntil)}.`, token);
      announce(`Token of ${name} rotated: copy the new one now, it is not shown again.`);
      document.body.dataset.rotated = id;
    });
  }
  return api<IdentityState>('PATCH', path, { disabled: action === 'disable' }).then((identity) => {
    const row = button.closest<HTMLElement>('tr');
    if (row) showState(row, identity);
    announce(action === 'disable' ? `${name} disabled: its tokens are revoked.` : `${name} enabled: rotate to mint a token.`);
  });
}

document.getElementById('identities')?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-identity-action]');
  const { identityAction, id, name } = button?.dataset ?? {};
  if (!button || !identityAction || !id) return;
  button.disabled = true;
  void act(button, identityAction, id, name ?? id).catch((error: unknown) => {
    button.disabled = false;
    refused('Not changed')(error);
  });
});

const create = document.getElementById('identity-new') as HTMLFormElement | null;
create?.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(create);
  const body = { name: String(data.get('name') ?? '').trim(), storeIds: data.getAll('storeIds').map(String) };
  void api<{ id: string; name: string; token: string }>('POST', '/v1/service-identities', body).then(({ id, name, token }) => {
    showToken(`Registered ${name} (${id}). Its token, shown this once:`, token);
    announce(`${name} registered: copy its token now, it is not shown again.`);
    create.reset();
    document.body.dataset.created = id;
  }, refused('Not registered'));
});

/** The stores form shows the chosen identity's stores; saving updates the row and the option in place. */
const stores = document.getElementById('identity-stores') as HTMLFormElement | null;
const chosen = () => (stores?.elements.namedItem('id') as HTMLSelectElement | null)?.selectedOptions[0];
function showStores(): void {
  const current = (chosen()?.dataset.stores ?? '').split(' ');
  for (const box of stores?.querySelectorAll<HTMLInputElement>('input[name=storeIds]') ?? []) box.checked = current.includes(box.value);
}
if (stores) {
  showStores();
  (stores.elements.namedItem('id') as HTMLSelectElement).addEventListener('change', showStores);
  stores.addEventListener('submit', (event) => {
    event.preventDefault();
    const option = chosen();
    const boxes = [...stores.querySelectorAll<HTMLInputElement>('input[name=storeIds]:checked')];
    if (!option) return;
    void api<{ id: string; storeIds: string[] }>('PATCH', `/v1/service-identities/${encodeURIComponent(option.value)}`, { storeIds: boxes.map((b) => b.value) }).then((identity) => {
      option.dataset.stores = identity.storeIds.join(' ');
      const cell = document.querySelector(`#identities tr[data-identity="${CSS.escape(identity.id)}"] .stores-cell`);
      if (cell) cell.textContent = boxes.map((b) => b.parentElement?.textContent?.trim() ?? b.value).join(', ');
      announce(`Stores of ${option.textContent ?? identity.id} saved: its tokens follow.`);
      document.body.dataset.storesSaved = identity.id;
    }, refused('Not saved'));
  });
}
