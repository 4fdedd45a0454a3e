import { escapeHtml, utcMinute } from './client/render.js';
import { consolePage, type Viewer } from './html.js';
import { identitiesPanel, storeList, type IdentityGrants, type IdentityRow } from './identities-panel.js';
import { peopleForms, type NamedScope } from './people-forms.js';

export type { IdentityRow };

export interface UserRow { id: string; email: string; name: string; role: string; storeIds: string[]; regionIds: string[]; environments: string[]; provisionedBy: string; lastLoginAt: string | null; disabledAt: string | null }

function usersTable(users: UserRow[], names: Record<string, string>, canChange: boolean): string {
  const rows = users.map((u) => `<tr data-user="${escapeHtml(u.id)}" data-disabled="${u.disabledAt ? 'true' : 'false'}"><th scope="row">${escapeHtml(u.name)}<span class="sub notice">${escapeHtml(u.email)}</span></th>
<td>${escapeHtml(u.role)}</td><td>${escapeHtml(storeList(u.storeIds, names))}</td><td>${escapeHtml(u.environments.join(', '))}</td><td>${escapeHtml(utcMinute(u.lastLoginAt))}</td>
<td class="state-cell">${u.disabledAt ? `disabled ${escapeHtml(utcMinute(u.disabledAt))}` : 'active'}</td>
${canChange ? `<td><button type="button" data-user-action="${u.disabledAt ? 'enable' : 'disable'}" data-id="${escapeHtml(u.id)}" data-name="${escapeHtml(u.name)}">${u.disabledAt ? 'Enable' : 'Disable'}</button></td>` : ''}</tr>`).join('');
  return `<table id="users"><thead><tr><th scope="col">Person</th><th scope="col">Role</th><th scope="col">Stores</th><th scope="col">Environments</th><th scope="col">Last login</th><th scope="col">State</th>${canChange ? '<th scope="col"><span class="notice">Action</span></th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

/** People who signed in (or were provisioned) and the plugin installations' service identities. */
export function peoplePage(input: { viewer: Viewer; users: UserRow[] | null; identities: IdentityRow[] | null; storeNames: Record<string, string>; canChangeUsers: boolean; identityGrants: IdentityGrants; regions: NamedScope[] }): string {
  const main = `<h1>Users and service identities</h1>
${input.users === null ? '' : `<h2>Users</h2><p class="notice">People appear here once they have signed in (or an admin provisioned them). Disabling ends their sessions at once; their tokens are refused from the next request.</p>${usersTable(input.users, input.storeNames, input.canChangeUsers)}`}
${input.users !== null && input.canChangeUsers ? peopleForms(input.users, Object.entries(input.storeNames).map(([id, name]) => ({ id, name })), input.regions) : ''}
${input.identities === null ? '' : identitiesPanel({ identities: input.identities, storeNames: input.storeNames, grants: input.identityGrants })}`;
  return consolePage({ title: 'Users and service identities', viewer: input.viewer, main, script: 'people', dialogs: false, current: '/console/admin/people',
    data: { people: (input.users ?? []).map((u) => ({ id: u.id, role: u.role, storeIds: u.storeIds, regionIds: u.regionIds })) } });
}
