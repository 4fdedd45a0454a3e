import { dismissDialogHtml, escapeHtml, helpDialogHtml } from './client/render.js';
import { CONSOLE_CSS } from './styles.js';

export { escapeHtml };

export interface Viewer {
  user: { email: string; name: string }; role: string; storeIds: string[]; environment?: string; environments?: string[];
  /** The header's links (the admin pages the role may use); the review queue alone when absent. */
  links?: Array<{ href: string; label: string }>;
}

/**
 * The environment the session acts in, in a band no one can miss outside production (and named in production
 * too), with a switch among those the person may use. The switch posts to the API from the page's module.
 */
function environmentBand(viewer: Viewer): string {
  const current = viewer.environment ?? 'production';
  const choices = viewer.environments ?? [current];
  const options = choices.map((name) => `<option value="${escapeHtml(name)}"${name === current ? ' selected' : ''}>${escapeHtml(name)}</option>`).join('');
  const kind = current === 'production' ? 'production' : 'other';
  const picker = choices.length > 1
    ? `<label>Switch to <select id="environment-switch" aria-label="Environment">${options}</select></label>`
    : '';
  return `<div id="environment" class="environment environment-${kind}" role="note" data-environment="${escapeHtml(current)}">Environment: <strong>${escapeHtml(current.toUpperCase())}</strong>${kind === 'other' ? ' — not production: nothing here reaches production endpoints or stores' : ''}${picker}</div>`;
}

/** JSON for a `<script type="application/json">` block: `<` escaped so the text cannot close the element. */
export const jsonBlock = (id: string, value: unknown): string =>
  `<script type="application/json" id="${escapeHtml(id)}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;

function navHtml(viewer: Viewer | undefined, current: string): string {
  const links = viewer?.links ?? [{ href: '/console', label: 'Review queue' }];
  return links.map((l) => `<a href="${escapeHtml(l.href)}"${l.href === current ? ' aria-current="page"' : ''}>${escapeHtml(l.label)}</a>`).join('');
}

/**
 * A console page: skip link, banner with who is signed in, the main landmark, a status line for
 * announcements, the keyboard help and dismissal dialogs, and at most one module script (no inline script:
 * the pages' CSP allows scripts from the hub only). The stylesheet is inline (the CSP allows inline styles):
 * a linked one blocks the first paint until a second request comes back, which the queue's first row waited on.
 */
export function consolePage(options: { title: string; viewer?: Viewer; main: string; script?: 'queue' | 'incident' | 'admin' | 'zones' | 'policy' | 'webhooks' | 'webhooks-list' | 'directory' | 'people' | 'retention' | 'audit' | 'tuning'; current?: string; data?: unknown; dialogs?: boolean; refreshSeconds?: number }): string {
  const { viewer } = options;
  const who = viewer
    ? `<p id="who">${escapeHtml(viewer.user.name)} &lt;${escapeHtml(viewer.user.email)}&gt; · role <strong id="role">${escapeHtml(viewer.role)}</strong> · stores ${escapeHtml(viewer.storeIds.join(', ') || 'all in scope')}</p>
${options.script === 'queue' || options.script === 'incident' ? '<button type="button" id="help-button" aria-keyshortcuts="?">Shortcuts <kbd>?</kbd></button>' : ''}
<form method="post" action="/auth/logout"><button type="submit">Log out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · Vigil</title>${options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : ''}<style>${CONSOLE_CSS}</style>
${options.script ? `<script type="module" src="/console/assets/${options.script}.js"></script>` : ''}</head>
<body><a class="skip" href="#main">Skip to the content</a>
${viewer ? environmentBand(viewer) : ''}
<header><nav aria-label="Console">${navHtml(viewer, options.current ?? '/console')}</nav>${who}</header>
<main id="main" tabindex="-1">${options.main}</main>
<div id="status" role="status" aria-live="polite"></div>
${options.dialogs === false ? '' : `${helpDialogHtml()}${dismissDialogHtml()}`}
${options.data === undefined ? '' : jsonBlock('console-data', options.data)}
</body></html>`;
}

/** What a role may not use: the page says so (403) instead of showing a page of controls the API would refuse. */
export function refusalPage(viewer: Viewer, what: string): string {
  return consolePage({
    title: 'Not available to your role', viewer, dialogs: false,
    main: `<h1>Not available to your role</h1><p id="refused">${escapeHtml(what)} is not available to your role (${escapeHtml(viewer.role)}). Ask your loss-prevention admin if you need it. Go back to the <a href="/console">review queue</a>.</p>`,
  });
}
