import { escapeHtml } from './client/render.js';
import { consolePage, type Viewer } from './html.js';
import { peopleForms, type NamedScope } from './people-forms.js';

export interface UserRow { id: string; email: string; name: string; role: string; storeIds: string[]; regionIds: string[]; environments: string[]; provisionedBy: string; lastLoginAt: string | null; disabledAt: string | null }
export interface IdentityRow { id: string; name: string; environment: string; storeIds: string[]; disabledAt: string | null; createdAt: string }

const utc = (iso: string | null) => (iso ? `${iso.replace('T', ' ').slice(0, 16)} UTC` : '—');
const stores = (ids: string[], names: Record<string, string>) => (ids.length === 0 ? 'all in scope' : ids.map((id) => names[id] ?? id).join(', '));

function usersTable(users: UserRow[], names: Record<string, string>, canChange: boolean): string {
  const rows = users.map((u) => `<tr data-user="${escapeHtml(u.id)}" data-disabled="${u.disabledAt ? 'true' : 'false'}"><th scope="row">${escapeHtml(u.name)}<span class="sub notice">${escapeHtml(u.email)}</span></th>
<td>${escapeHtml(u.role)}</td><td>${escapeHtml(stores(u.storeIds, names))}</td><td>${escapeHtml(u.environments.join(', '))}</td><td>${escapeHtml(utc(u.lastLoginAt))}</td>
<td class="state-cell">${u.disabledAt ? `disabled ${escapeHtml(utc(u.disabledAt))}` : 'active'}</td>
${canChange ? `<td><button type="button" data-user-action="${u.disabledAt ? 'enable' : 'disable'}" data-id="${escapeHtml(u.id)}" data-name="${escapeHtml(u.name)}">${u.disabledAt ? 'Enable' : 'Disable'}</button></td>` : ''}</tr>`).join('');
  return `<table id="users"><thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">Stores</th><th scope="col">Environments</th><th scope="col">Last login</th><th scope="col">State</th>${canChange ? '<th scope="col"><span class="notice">Action</span></th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

function identitiesTable(identities: IdentityRow[], names: Record<string, string>): string {
  if (identities.length === 0) return '<p class="notice" id="no-identities">No service identity (plugin installation) registered.</p>';
  const rows = identities.map((s) => `<tr data-identity="${escapeHtml(s.id)}"><th scope="row">${escapeHtml(s.name)}<span class="sub notice">${escapeHtml(s.id)}</span></th><td>${escapeHtml(s.environment)}</td>
<td>${escapeHtml(stores(s.storeIds, names))}</td><td>${escapeHtml(utc(s.createdAt))}</td><td>${s.disabledAt ? `disabled ${escapeHtml(utc(s.disabledAt))}` : 'active'}</td></tr>`).join('');
  return `<table id="identities"><thead><tr><th scope="col">Identity</th><th scope="col">Environment</th><th scope="col">Stores</th><th scope="col">Registered</th><th scope="col">State</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** People who signed in (or were provisioned) and the plugin installations' service identities. */
export function peoplePage(input: { viewer: Viewer; users: UserRow[] | null; identities: IdentityRow[] | null; storeNames: Record<string, string>; canChangeUsers: boolean; regions: NamedScope[] }): string {
  const main = `<h1>Users and service identities</h1>
${input.users === null ? '' : `<h2>Users</h2><p class="notice">People appear here once they have signed in (or an admin provisioned them). Disabling ends their sessions at once; their tokens are refused from the next request.</p>${usersTable(input.users, input.storeNames, input.canChangeUsers)}`}
${input.users !== null && input.canChangeUsers ? peopleForms(input.users, Object.entries(input.storeNames).map(([id, name]) => ({ id, name })), input.regions) : ''}
${input.identities === null ? '' : `<h2>Service identities</h2><p class="notice">Registering, rotating and disabling plugin identities is done with the API or <code>vigil</code> on the command line.</p>${identitiesTable(input.identities, input.storeNames)}`}`;
  return consolePage({ title: 'Users and service identities', viewer: input.viewer, main, script: 'people', dialogs: false, current: '/console/admin/people',
    data: { people: (input.users ?? []).map((u) => ({ id: u.id, role: u.role, storeIds: u.storeIds, regionIds: u.regionIds })) } });
}
