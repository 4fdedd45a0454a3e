/**
 * The ServiceNow parts of the webhook forms. Credentials are write-only: the API stores them sealed and never
 * answers them back, so these fields start empty and client/servicenow-fields.ts clears them once sent.
 */
const field = (id: string, label: string, input: string) => `<p><label for="${id}">${label}</label> ${input}</p>`;

/** Basic (user name and password) or bearer (an OAuth access token); ids `<prefix>-sn-…`. */
export function serviceNowAuthFields(prefix: string): string {
  return `${field(`${prefix}-sn-auth`, 'Authentication', `<select id="${prefix}-sn-auth"><option value="basic">user name and password</option><option value="bearer">OAuth access token</option></select>`)}
<div id="${prefix}-sn-basic">${field(`${prefix}-sn-username`, 'User name', `<input id="${prefix}-sn-username" maxlength="200" autocomplete="off">`)}
${field(`${prefix}-sn-password`, 'Password', `<input id="${prefix}-sn-password" type="password" maxlength="1000" autocomplete="new-password">`)}</div>
<div id="${prefix}-sn-bearer" hidden>${field(`${prefix}-sn-token`, 'Access token', `<input id="${prefix}-sn-token" type="password" maxlength="4000" autocomplete="off">`)}</div>`;
}

/** In "New endpoint", shown for the servicenow format: the table and the credentials (`servicenow` of `POST /v1/webhooks`). */
export const serviceNowCreateFieldset = (): string => `<fieldset id="n-servicenow" hidden><legend>ServiceNow (the URL above is the instance's base URL)</legend>
${field('n-sn-table', 'Table', '<input id="n-sn-table" maxlength="80" value="incident" pattern="[a-z0-9_]+" autocomplete="off">')}
${serviceNowAuthFields('n')}
<p class="notice">Incidents are created in the table with Vigil's default field mapping and closed as resolved; the credentials are stored sealed and never shown again.</p>
</fieldset>`;

/** On a servicenow endpoint's page: new credentials only (`PATCH … {servicenowAuth}`); the table and mapping stay. */
export const serviceNowCredentialsForm = (): string => `<h3 id="credentials-heading">ServiceNow credentials</h3>
<p class="notice">The stored credentials are never shown. New ones replace them from the next delivery; the table and field mapping stay.</p>
<form id="webhook-servicenow" class="settings" aria-labelledby="credentials-heading" novalidate>${serviceNowAuthFields('w')}
<p class="buttons"><button type="submit" id="w-sn-save">Replace the credentials</button></p></form>`;
