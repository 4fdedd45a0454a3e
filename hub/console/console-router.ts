import Router from '@koa/router';
import { AppError } from '../../contracts/index.js';
import type { AppState } from '../api/state.js';

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

interface IncidentRow { id: string; storeId: string; type: string; severity: string; state: string; openedAt: string }
interface Me { user: { email: string; name: string }; role: string; storeIds: string[] }

function page(me: Me, incidents: IncidentRow[]): string {
  const rows = incidents.map((i) => `<tr data-incident="${escape(i.id)}" data-store="${escape(i.storeId)}"><td>${escape(i.id)}</td><td>${escape(i.storeId)}</td><td>${escape(i.type)}</td><td>${escape(i.severity)}</td><td>${escape(i.state)}</td><td>${escape(i.openedAt)}</td></tr>`).join('\n');
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

/**
 * A minimal server-rendered console: who am I, and the incidents I may see. It asks the hub's own
 * `GET /v1/incidents` with the browser's session cookie, so it shows exactly what the API (policies, tenant
 * rules, row-level security) allows and holds no authorization logic of its own.
 */
export function consoleRouter(internalUrl: () => string): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/console', async (ctx) => {
    const cookie = ctx.get('cookie');
    const headers = { cookie, 'x-request-id': ctx.state.requestId };
    const meResponse = await fetch(`${internalUrl()}/auth/me`, { headers });
    if (meResponse.status === 401 || !cookie) {
      ctx.redirect(`/auth/login?returnTo=${encodeURIComponent('/console')}`);
      return;
    }
    const me = (await meResponse.json()) as Me;
    const list = await fetch(`${internalUrl()}/v1/incidents?limit=100`, { headers });
    if (!list.ok) throw new AppError('unavailable', `GET /v1/incidents answered ${list.status}`);
    const body = (await list.json()) as { data: IncidentRow[] };
    ctx.type = 'html';
    ctx.set('cache-control', 'no-store');
    ctx.body = page(me, body.data);
  });
  return router;
}
