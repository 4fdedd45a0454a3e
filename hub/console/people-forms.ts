import { HUMAN_ROLES } from '../api/users/schema.js';
import { escapeHtml } from './client/render.js';
import type { UserRow } from './people-page.js';

export interface NamedScope { id: string; name: string }

const roleOptions = (selected: string) => HUMAN_ROLES.map((r) => `<option value="${r}"${r === selected ? ' selected' : ''}>${r}</option>`).join('');
/** Checkboxes for a set of stores or regions, named `name`, ids `<prefix>-<id>`. */
export const checks = (name: string, prefix: string, items: NamedScope[]) =>
  items.map((i) => `<label class="check"><input type="checkbox" name="${name}" value="${escapeHtml(i.id)}" id="${prefix}-${escapeHtml(i.id)}"> ${escapeHtml(i.name)}</label>`).join('');

/**
 * For roles that may change users: provision a person (`POST /v1/users`, bound to their identity at first
 * login by e-mail) and change a person's role and scope (`PATCH /v1/users/{id}`; the admin's choice then wins
 * over the provider's claims). client/people.ts sends them; the API checks (a store role needs stores…).
 */
export function peopleForms(users: UserRow[], stores: NamedScope[], regions: NamedScope[]): string {
  const people = users.map((u) => `<option value="${escapeHtml(u.id)}">${escapeHtml(u.name ? `${u.name} (${u.email})` : u.email)}</option>`).join('');
  const scope = (prefix: string) => `<fieldset><legend>Stores</legend>${checks('storeIds', `${prefix}-store`, stores) || '<p class="notice">No store.</p>'}</fieldset>
<fieldset><legend>Regions</legend>${checks('regionIds', `${prefix}-region`, regions) || '<p class="notice">No region.</p>'}</fieldset>`;
  const change = users.length === 0 ? '' : `<form id="person-change" class="settings" novalidate><fieldset><legend>Change a person's role and scope</legend>
<label for="pc-person">Person</label><select id="pc-person" name="id">${people}</select>
<label for="pc-role">Role</label><select id="pc-role" name="role">${roleOptions('store_staff')}</select>
${scope('pc')}
<p class="buttons"><button type="submit" id="pc-save">Save role and scope</button></p></fieldset></form>`;
  return `<section aria-labelledby="people-forms-heading"><h2 id="people-forms-heading">Provision and change</h2>
${change}
<form id="person-new" class="settings" novalidate><fieldset><legend>Provision a person</legend>
<label for="pn-email">E-mail (bound to their identity at first sign-in)</label><input id="pn-email" name="email" type="email" maxlength="320" required autocomplete="off">
<label for="pn-name">Name</label><input id="pn-name" name="name" maxlength="200" autocomplete="off">
<label for="pn-role">Role</label><select id="pn-role" name="role">${roleOptions('store_staff')}</select>
${scope('pn')}
<p class="buttons"><button type="submit" id="pn-create">Provision</button></p></fieldset></form>
</section>`;
}
