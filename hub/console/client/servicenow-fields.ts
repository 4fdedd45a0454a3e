/**
 * The ServiceNow credential fields of the webhook forms (servicenow-fields.ts renders them, ids `<prefix>-sn-…`):
 * basic or bearer shows its own fields, the body the API takes (`servicenow.auth`, `servicenowAuth`), and
 * clearing the secrets once sent, so the page keeps no credential.
 */
const input = (id: string) => document.getElementById(id) as HTMLInputElement | HTMLSelectElement | null;
const isBearer = (prefix: string) => input(`${prefix}-sn-auth`)?.value === 'bearer';

/** Shows the fields of the chosen kind of authentication, now and on every change. */
export function wireAuthFields(prefix: string): void {
  const show = () => {
    const basic = document.getElementById(`${prefix}-sn-basic`);
    const bearer = document.getElementById(`${prefix}-sn-bearer`);
    if (basic) basic.hidden = isBearer(prefix);
    if (bearer) bearer.hidden = !isBearer(prefix);
  };
  input(`${prefix}-sn-auth`)?.addEventListener('change', show);
  show();
}

export function authBody(prefix: string): Record<string, string> {
  return isBearer(prefix)
    ? { type: 'bearer', token: input(`${prefix}-sn-token`)?.value ?? '' }
    : { type: 'basic', username: input(`${prefix}-sn-username`)?.value.trim() ?? '', password: input(`${prefix}-sn-password`)?.value ?? '' };
}

export function forgetCredentials(prefix: string): void {
  for (const name of ['password', 'token']) {
    const field = input(`${prefix}-sn-${name}`);
    if (field) field.value = '';
  }
}
