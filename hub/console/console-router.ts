import Router from '@koa/router';
import { z } from 'zod';
import { AppError, idSchema } from '../../contracts/index.js';
import type { AppState } from '../api/state.js';
import { adminRoutes } from './admin-router.js';
import { analyticsRoutes } from './analytics-router.js';
import { may } from './admin-nav.js';
import { apiReader, asViewer, hasSessionCookie, render, type ApiReader, type ConsoleContext } from './api-view.js';
import { clientModule } from './assets.js';
import { EVENT_TYPES, SEVERITIES, STATES, zonedToUtc, type Directory, type HoldInfo, type NamedThing, type QueueFilters, type QueueIncident, type StoreInfo } from './client/render.js';
import type { ExportRecord } from './incident-evidence.js';
import { errorPage, incidentPage, incidentPendingPage, notFoundPage, type AuditRow, type CommentRow, type EventRow, type IncidentDetail, type ItemRow, type TransitionRow } from './incident-page.js';
import { queuePage, type QueueForm } from './queue-page.js';
import { CONSOLE_CSS } from './styles.js';

const PAGE_SIZE = 25;

const blankToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const localTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/, 'a date and time such as 2026-01-31T18:00');

/** The queue's own query string (the filter form's fields and the page cursor); other keys are ignored. */
const queueQuery = z.object({
  state: optional(z.enum(STATES)),
  storeId: optional(idSchema('store')),
  laneId: optional(idSchema('lane')),
  cameraId: optional(idSchema('camera')),
  type: optional(z.enum(EVENT_TYPES)),
  severity: optional(z.enum(SEVERITIES)),
  from: optional(localTime),
  to: optional(localTime),
  cursor: optional(z.string().max(200)),
});

async function directoryOf(viewer: ApiReader): Promise<{ directory: Directory; note: string | null }> {
  const [stores, lanes, cameras] = await Promise.all([
    viewer.read<{ data: StoreInfo[]; nextCursor: string | null }>('/v1/stores?limit=200'),
    viewer.read<{ data: Array<NamedThing & { storeId: string }> }>('/v1/lanes?limit=200'),
    viewer.read<{ data: Array<NamedThing & { storeId: string }> }>('/v1/cameras?limit=200'),
  ]);
  const byId = <T extends { id: string }>(rows: T[] | undefined) => Object.fromEntries((rows ?? []).map((r) => [r.id, r]));
  return {
    directory: {
      stores: byId(stores?.data.map((s) => ({ id: s.id, name: s.name, code: s.code, timezone: s.timezone }))),
      lanes: byId(lanes?.data.map((l) => ({ id: l.id, name: l.name }))),
      cameras: byId(cameras?.data.map((c) => ({ id: c.id, name: c.name }))),
    },
    note: stores === null ? 'Store names are not shown to your role; stores appear by id and times in UTC.' : null,
  };
}

async function queueRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const parsed = queueQuery.safeParse(ctx.query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return render(ctx, errorPage('These filters are not valid', `${issue?.path.join('.')}: ${issue?.message}`), 400);
  }
  const { cursor, ...form } = parsed.data;
  // The directory and the incidents are read side by side with the session's own reads (who, and what the
  // role may do), so the page waits for one round of API calls, not two; only times typed for a store wait
  // for its zone. Without a session cookie nothing is asked: the viewer redirects to the login.
  const reader = apiReader(ctx, internalUrl);
  const early = hasSessionCookie(ctx);
  const directoryRead = early ? directoryOf(reader) : null;
  const zoneFirst = Boolean(form.storeId && (form.from || form.to));
  const filtersIn = (zone: string): QueueFilters => ({
    ...(form.state ? { state: form.state } : {}), ...(form.storeId ? { storeId: form.storeId } : {}), ...(form.laneId ? { laneId: form.laneId } : {}),
    ...(form.cameraId ? { cameraId: form.cameraId } : {}), ...(form.type ? { type: form.type } : {}), ...(form.severity ? { severity: form.severity } : {}),
    ...(form.from ? { from: zonedToUtc(form.from, zone) } : {}), ...(form.to ? { to: zonedToUtc(form.to, zone) } : {}),
  });
  const incidentsPath = (filters: QueueFilters) => `/v1/incidents?${new URLSearchParams({ sort: 'severity', limit: String(PAGE_SIZE), ...filters, ...(cursor ? { cursor } : {}) })}`;
  const utcRead = early && !zoneFirst ? reader.get(incidentsPath(filtersIn('UTC'))) : null;
  // Handled from the start: a read that fails while the session is checked must not count as an unhandled
  // rejection; awaiting it below still throws.
  directoryRead?.catch(() => undefined);
  utcRead?.catch(() => undefined);
  const viewer = await asViewer(ctx, internalUrl, reader);
  if (viewer === null || directoryRead === null) {
    // No session after all: the early reads were refused; drop the incidents answer unread.
    void utcRead?.then((r) => r.body?.cancel(), () => undefined);
    return;
  }
  const zone = zoneFirst ? ((await directoryRead).directory.stores[form.storeId ?? '']?.timezone ?? 'UTC') : 'UTC';
  const filters = filtersIn(zone);
  const [response, { directory, note }] = await Promise.all([utcRead ?? viewer.get(incidentsPath(filters)), directoryRead]);
  if (response.status === 400 || response.status === 403) {
    const body = (await response.json()) as { error?: { message?: string } };
    return render(ctx, errorPage('The queue cannot be shown with these filters', body.error?.message ?? 'refused'), response.status);
  }
  if (!response.ok) throw new AppError('unavailable', `GET /v1/incidents answered ${response.status}`);
  const page = (await response.json()) as { data: QueueIncident[]; nextCursor: string | null };
  const shownForm: QueueForm = form;
  render(ctx, queuePage({ viewer: viewer.me, incidents: page.data, nextCursor: page.nextCursor, cursor, directory, form: shownForm, filters, directoryNote: note }));
}

async function incidentRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const id = idSchema('incident').safeParse(ctx.params.id);
  if (!id.success) return render(ctx, notFoundPage('This incident'), 404);
  const action = z.string().regex(/^[a-z]{1,20}$/).safeParse(ctx.query.action);
  const viewer = await asViewer(ctx, internalUrl);
  if (viewer === null) return;
  const path = `/v1/incidents/${encodeURIComponent(id.data)}`;
  const incident = await viewer.read<IncidentDetail>(path);
  if (incident === null) return render(ctx, notFoundPage('This incident'), 404);
  const [store, lane, camera, events, items, transitions, comments, audit, holds, exports] = await Promise.all([
    incident.storeId ? viewer.read<StoreInfo>(`/v1/stores/${encodeURIComponent(incident.storeId)}`) : null,
    incident.laneId ? viewer.read<NamedThing>(`/v1/lanes/${encodeURIComponent(incident.laneId)}`) : null,
    incident.cameraId ? viewer.read<NamedThing>(`/v1/cameras/${encodeURIComponent(incident.cameraId)}`) : null,
    viewer.read<{ data: EventRow[] }>(`${path}/events`),
    viewer.read<{ data: ItemRow[] }>(`/v1/evidence/items?incidentId=${encodeURIComponent(id.data)}`),
    viewer.read<{ data: TransitionRow[] }>(`${path}/transitions`),
    viewer.read<{ data: CommentRow[] }>(`${path}/comments`),
    viewer.read<{ data: AuditRow[] }>(`/v1/audit?subjectType=Incident&subjectId=${encodeURIComponent(id.data)}&limit=100`),
    viewer.read<{ data: HoldInfo[] }>(`/v1/evidence/holds?targetType=incident&targetId=${encodeURIComponent(id.data)}&limit=1`),
    viewer.read<{ data: ExportRecord[] }>(`${path}/exports`),
  ]);
  render(ctx, incidentPage({
    viewer: viewer.me, incident, store: store && { id: store.id, name: store.name, code: store.code, timezone: store.timezone },
    laneName: lane?.name ?? null, cameraName: camera?.name ?? null, events: events?.data ?? null,
    items: items?.data.map((i) => ({ id: i.id, kind: i.kind, capturedFrom: i.capturedFrom, capturedTo: i.capturedTo, contentType: i.contentType })) ?? null,
    transitions: transitions?.data ?? [], comments: comments?.data ?? null, audit: audit?.data.slice().reverse() ?? null,
    action: action.success ? action.data : null,
    evidence: {
      hold: holds === null ? undefined : (holds.data[0] ?? null), mayHold: may(viewer.can, 'update', 'Evidence'),
      mayExport: items !== null, mayUnredact: may(viewer.can, 'unredact', 'Evidence'), exports: exports?.data ?? null,
    },
  }));
}

/**
 * The review console, server-rendered with small browser modules on top: the queue, one incident, and the
 * link a VMS alarm carries (`/console/events/{eventId}`, resolved to the incident that event joined). It asks
 * the hub's own API with the browser's session cookie, so it shows exactly what the API (policies, tenant
 * rules, row-level security) allows and holds no authorization logic of its own; the browser modules call
 * the same API for the moves, links and the live stream.
 */
export function consoleRouter(internalUrl: () => string): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/console', (ctx) => queueRoute(ctx, internalUrl));
  router.get('/console/assets/console.css', (ctx) => {
    ctx.type = 'text/css';
    ctx.set('cache-control', 'no-cache');
    ctx.body = CONSOLE_CSS;
  });
  router.get('/console/assets/:name.js', async (ctx) => {
    const source = clientModule(ctx.params.name ?? '');
    if (source === null) return render(ctx, notFoundPage('This file'), 404);
    ctx.type = 'text/javascript';
    ctx.set('cache-control', 'no-cache');
    ctx.body = await source;
  });
  router.get('/console/incidents/:id', (ctx) => incidentRoute(ctx, internalUrl));
  adminRoutes(router, internalUrl);
  analyticsRoutes(router, internalUrl);
  router.get('/console/events/:eventId', async (ctx) => {
    const eventId = idSchema('event').safeParse(ctx.params.eventId);
    if (!eventId.success) return render(ctx, notFoundPage('This event'), 404);
    const viewer = await asViewer(ctx, internalUrl);
    if (viewer === null) return;
    const response = await viewer.get(`/v1/incidents?eventId=${encodeURIComponent(eventId.data)}&limit=1`);
    if (!response.ok) throw new AppError('unavailable', `GET /v1/incidents?eventId answered ${response.status}`);
    const [incident] = ((await response.json()) as { data: QueueIncident[] }).data;
    if (incident === undefined) return render(ctx, incidentPendingPage(eventId.data));
    ctx.redirect(`/console/incidents/${encodeURIComponent(incident.id)}`);
  });
  return router;
}
