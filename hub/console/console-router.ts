import Router from '@koa/router';
import { AppError } from '../../contracts/index.js';
import type { RouterContext } from '@koa/router';
import { idSchema } from '../../contracts/index.js';
import type { AppState } from '../api/state.js';
import { escapeHtml as escape } from './html.js';
import { incidentPage, incidentPendingPage, notFoundPage, type IncidentDetail } from './incident-page.js';

interface IncidentRow { id: string; storeId: string; type: string; severity: string; state: string; openedAt: string }
interface Me { user: { email: string; name: string }; role: string; storeIds: string[] }

function page(me: Me, incidents: IncidentRow[]): string {
  const rows = incidents.map((i) => `<tr data-incident="${escape(i.id)}" data-store="${escape(i.storeId)}"><td><a href="/console/incidents/${encodeURIComponent(i.id)}">${escape(i.id)}</a></td><td>${escape(i.storeId)}</td><td>${escape(i.type)}</td><td>${escape(i.severity)}</td><td>${escape(i.state)}</td><td>${escape(i.openedAt)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil console</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem}</style></head>
<body><header><h1>Vigil console</h1>
<p id="who">${escape(me.user.name)} &lt;${escape(me.user.email)}&gt; · role <strong id="role">${escape(me.role)}</strong> · stores ${escape(me.storeIds.join(', ') || 'all in scope')}</p>
<form method="post" action="/auth/logout"><button type="submit">Log out</button></form></header>
<h2>Incidents (<span id="count">${incidents.length}</span>)</h2>
<table id="incidents"><thead><tr><th>id</th><th>store</th><th>type</th><th>severity</th><th>state</th><th>opened</th></tr></thead>
<tbody>${rows}</tbody></table></body></html>`;
}

type ConsoleContext = RouterContext<AppState>;

/** The hub's own API as the browser's session sees it; null (after redirecting to the login) without a session. */
async function asViewer(ctx: ConsoleContext, internalUrl: () => string): Promise<{ get(path: string): Promise<Response>; me: Me } | null> {
  const cookie = ctx.get('cookie');
  const headers = { cookie, 'x-request-id': ctx.state.requestId };
  const meResponse = cookie ? await fetch(`${internalUrl()}/auth/me`, { headers }) : null;
  if (meResponse === null || meResponse.status === 401) {
    ctx.redirect(`/auth/login?returnTo=${encodeURIComponent(ctx.path)}`);
    return null;
  }
  const me = (await meResponse.json()) as Me;
  return { me, get: (path) => fetch(`${internalUrl()}${path}`, { headers }) };
}

function render(ctx: ConsoleContext, html: string, status = 200): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.body = html;
}

/**
 * A minimal server-rendered console: who am I, the incidents I may see, one incident, and the link a VMS alarm
 * carries (`/console/events/{eventId}`, resolved to the incident that event joined). It asks the hub's own API with
 * the browser's session cookie, so it shows exactly what the API (policies, tenant rules, row-level security)
 * allows and holds no authorization logic of its own.
 */
export function consoleRouter(internalUrl: () => string): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/console', async (ctx) => {
    const viewer = await asViewer(ctx, internalUrl);
    if (viewer === null) return;
    const list = await viewer.get('/v1/incidents?limit=100');
    if (!list.ok) throw new AppError('unavailable', `GET /v1/incidents answered ${list.status}`);
    const body = (await list.json()) as { data: IncidentRow[] };
    render(ctx, page(viewer.me, body.data));
  });
  router.get('/console/incidents/:id', async (ctx) => {
    const id = idSchema('incident').safeParse(ctx.params.id);
    if (!id.success) return render(ctx, notFoundPage('This incident'), 404);
    const viewer = await asViewer(ctx, internalUrl);
    if (viewer === null) return;
    const response = await viewer.get(`/v1/incidents/${encodeURIComponent(id.data)}`);
    if (response.status === 404 || response.status === 403) return render(ctx, notFoundPage('This incident'), 404);
    if (!response.ok) throw new AppError('unavailable', `GET /v1/incidents/:id answered ${response.status}`);
    render(ctx, incidentPage((await response.json()) as IncidentDetail));
  });
  router.get('/console/events/:eventId', async (ctx) => {
    const eventId = idSchema('event').safeParse(ctx.params.eventId);
    if (!eventId.success) return render(ctx, notFoundPage('This event'), 404);
    const viewer = await asViewer(ctx, internalUrl);
    if (viewer === null) return;
    const response = await viewer.get(`/v1/incidents?eventId=${encodeURIComponent(eventId.data)}&limit=1`);
    if (!response.ok) throw new AppError('unavailable', `GET /v1/incidents?eventId answered ${response.status}`);
    const [incident] = ((await response.json()) as { data: IncidentRow[] }).data;
    if (incident === undefined) return render(ctx, incidentPendingPage(eventId.data));
    ctx.redirect(`/console/incidents/${encodeURIComponent(incident.id)}`);
  });
  return router;
}
