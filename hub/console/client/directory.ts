/**
 * The stores page for roles that may create stores, lanes or cameras: each `form[data-api]` is posted as
 * JSON (its named fields with a value) to the API path it names; on success the page reloads with the new
 * record, on refusal the API's reason is announced. "Rename" (for roles that may update the record) opens the
 * #rename dialog and sends `PATCH <its path> {name}`; the page reloads with the new name, or the dialog says why not.
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

const dialog = document.getElementById('rename') as HTMLDialogElement | null;
const renameForm = document.getElementById('rename-form') as HTMLFormElement | null;
const newName = document.getElementById('rename-name') as HTMLInputElement | null;
const renameError = document.getElementById('rename-error');
let renaming: string | null = null;

document.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-rename]');
  if (!button || !dialog || !newName) return;
  renaming = button.dataset.rename ?? null;
  newName.value = button.dataset.name ?? '';
  if (renameError) renameError.textContent = '';
  dialog.showModal();
  newName.select();
});
document.getElementById('rename-cancel')?.addEventListener('click', () => dialog?.close());
renameForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!renaming || !newName) return;
  void api<{ id: string }>('PATCH', renaming, { name: newName.value.trim() }).then(({ id }) => {
    document.body.dataset.renamed = id;
    window.location.reload();
  }, (error: unknown) => {
    if (renameError) renameError.textContent = error instanceof ApiRefusal ? `Not renamed: ${error.message}` : 'Not renamed: the hub could not be reached.';
  });
});
wireEnvironmentSwitch();
