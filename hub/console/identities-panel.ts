import { escapeHtml, utcMinute } from './client/render.js';
import { checks, type NamedScope } from './people-forms.js';

export interface IdentityRow { id: string; name: string; environment: string; storeIds: string[]; disabledAt: string | null; createdAt: string }

/** What the role may do with service identities, from its policy (the API checks again). */
export interface IdentityGrants { create: boolean; update: boolean }

export const storeList = (ids: string[], names: Record<string, string>): string => (ids.length === 0 ? 'all in scope' : ids.map((id) => names[id] ?? id).join(', '));

/** Rotate and disable for an active identity, enable for a disabled one; the client shows the pair that fits. */
function actions(s: IdentityRow): string {
  const id = escapeHtml(s.id);
  const name = escapeHtml(s.name);
  const off = s.disabledAt !== null;
  return `<td class="buttons"><button type="button" data-identity-action="rotate" data-id="${id}" data-name="${name}"${off ? ' hidden' : ''}>Rotate token</button>
<button type="button" data-identity-action="disable" data-id="${id}" data-name="${name}"${off ? ' hidden' : ''}>Disable and revoke tokens</button>
<button type="button" data-identity-action="enable" data-id="${id}" data-name="${name}"${off ? '' : ' hidden'}>Enable</button></td>`;
}

function identitiesTable(identities: IdentityRow[], names: Record<string, string>, canUpdate: boolean): string {
  if (identities.length === 0) return '<p class="notice" id="no-identities">No service identity (plugin installation) registered.</p>';
  const rows = identities.map((s) => `<tr data-identity="${escapeHtml(s.id)}" data-disabled="${s.disabledAt ? 'true' : 'false'}"><th scope="row">${escapeHtml(s.name)}<span class="sub notice">${escapeHtml(s.id)}</span></th><td>${escapeHtml(s.environment)}</td>
<td class="stores-cell">${escapeHtml(storeList(s.storeIds, names))}</td><td>${escapeHtml(utcMinute(s.createdAt))}</td><td class="state-cell">${s.disabledAt ? `disabled ${escapeHtml(utcMinute(s.disabledAt))}` : 'active'}</td>${canUpdate ? actions(s) : ''}</tr>`).join('');
  return `<table id="identities"><thead><tr><th scope="col">Identity</th><th scope="col">Environment</th><th scope="col">Stores</th><th scope="col">Registered</th><th scope="col">State</th>${canUpdate ? '<th scope="col"><span class="notice">Actions</span></th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
}

const createForm = (stores: NamedScope[]) => `<form id="identity-new" class="settings" novalidate><fieldset><legend>Register a plugin installation</legend>
<label for="si-name">Name</label><input id="si-name" name="name" maxlength="200" required autocomplete="off">
<fieldset><legend>Stores it speaks for</legend>${checks('storeIds', 'si-store', stores) || '<p class="notice">No store.</p>'}</fieldset>
<p class="buttons"><button type="submit" class="primary" id="si-create">Register</button></p></fieldset></form>`;

/** Moves an identity to other stores (`PATCH … {storeIds}`; its tokens follow); the option carries its current stores. */
function storesForm(identities: IdentityRow[], stores: NamedScope[]): string {
  const options = identities.map((s) => `<option value="${escapeHtml(s.id)}" data-stores="${escapeHtml(s.storeIds.join(' '))}">${escapeHtml(s.name)}</option>`).join('');
  return `<form id="identity-stores" class="settings" novalidate><fieldset><legend>Change the stores an identity speaks for</legend>
<label for="ss-identity">Identity</label><select id="ss-identity" name="id">${options}</select>
<fieldset><legend>Stores (its tokens follow at once)</legend>${checks('storeIds', 'ss-store', stores) || '<p class="notice">No store.</p>'}</fieldset>
<p class="buttons"><button type="submit" id="ss-save">Save stores</button></p></fieldset></form>`;
}

const graceField = `<p><label for="si-grace">On rotation the previous token stays valid for (hours)</label> <input id="si-grace" name="graceHours" type="number" min="0" max="720" step="1" value="24"></p>`;

/** Where a new token appears, once: after registering or rotating (client/service-identities.ts fills it). */
const tokenBox = `<div id="si-token-box" hidden><p id="si-token-what"></p><pre id="si-token" tabindex="0"></pre>
<p class="notice">Copy it into the plugin's configuration now: the hub keeps only its hash and never shows it again. <a href="/console/admin/people">Reload the list</a></p></div>`;

/**
 * The plugin installations' service identities (`GET /v1/service-identities`). For a role that may: register
 * one (`POST`, its first token shown once), rotate its token (`POST …/rotate`, the new one shown once) and
 * disable it (`PATCH … {disabled: true}`, which revokes its tokens at once) or enable it again, and change
 * the stores it speaks for (`PATCH … {storeIds}`).
 */
export function identitiesPanel(input: { identities: IdentityRow[]; storeNames: Record<string, string>; grants: IdentityGrants }): string {
  const { grants } = input;
  const stores = Object.entries(input.storeNames).map(([id, name]) => ({ id, name }));
  const help = grants.create || grants.update
    ? 'Each plugin installation authenticates with its own token. A new token is shown once; disabling an identity revokes its tokens at once (enabling it again does not bring them back: rotate to mint a new one).'
    : 'Plugin installations and the stores they speak for. Your role reads them; an admin or IT integrator registers, rotates and disables them.';
  return `<section aria-labelledby="identities-heading"><h2 id="identities-heading">Service identities</h2><p class="notice">${help}</p>
${grants.update && input.identities.length > 0 ? graceField : ''}
${identitiesTable(input.identities, input.storeNames, grants.update)}
${grants.create || grants.update ? tokenBox : ''}
${grants.update && input.identities.length > 0 ? storesForm(input.identities, stores) : ''}
${grants.create ? createForm(stores) : ''}</section>`;
}
