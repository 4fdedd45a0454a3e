/**
 * The stores page for roles that may create stores, lanes or cameras: each `form[data-api]` is posted as
 * JSON (its named fields with a value) to the API path it names; on success the page reloads with the new
 * record, on refusal the API's reason is announced.
 */
import { ApiRefusal, announce, api, wireEnvironmentSwitch } from './dom.js';

function bodyOf(form: HTMLFormElement): Record<string, string> {
  const body: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    const text = String(value).trim();
    if (text !== '') body[name] = text;
  }
  return body;
}

document.addEventListener('submit', (event) => {
  const form = (event.target as HTMLElement).closest<HTMLFormElement>('form[data-api]');
  if (!form) return;
  event.preventDefault();
  const path = form.dataset.api ?? '';
  const what = form.querySelector('legend')?.textContent ?? 'Create';
  void api<{ id: string }>('POST', path, bodyOf(form)).then(({ id }) => {
    announce(`${what}: created ${id}.`);
    document.body.dataset.created = id;
    window.location.reload();
  }, (error: unknown) => announce(error instanceof ApiRefusal ? `Not created: ${error.message}` : 'Not created: the hub could not be reached.', 'error'));
});
wireEnvironmentSwitch();
