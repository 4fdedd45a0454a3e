import type Router from '@koa/router';
import { z } from 'zod';
import { AppError, idSchema } from '../../contracts/index.js';
import { ROLES } from '../../policies/index.js';
import type { AppState } from '../api/state.js';
import { may, mayAdministerDirectory, mayAdministerPeople, mayEditPolicies } from './admin-nav.js';
import { asViewer, render, type ApiView, type ConsoleContext } from './api-view.js';
import { auditPage, type AuditEntry, type AuditForm } from './audit-page.js';
import { cameraPage } from './camera-page.js';
import { directoryPage, type CameraRow, type LaneRow, type StoreRow } from './directory-page.js';
import { refusalPage } from './html.js';
import { errorPage, notFoundPage } from './incident-page.js';
import { DELIVERY_STATUSES, webhookPage, webhooksPage, type AttemptRow, type DeliveryRow, type WebhookRow } from './webhooks-page.js';
import { peoplePage, type IdentityRow, type UserRow } from './people-page.js';
import { retentionPage, type PlannedPurge, type RetentionRow } from './retention-page.js';
import { tuningPage, type RuleTuningRow } from './tuning-page.js';
import type { HoldInfo } from './client/render.js';
import { policyIndexPage, policyPage, type PolicyState, type PolicyVersion } from './policy-page.js';
import type { ExplainPerson } from './policy-explain-panel.js';
import type { RegionRow } from './directory-forms.js';
import { policyCheckRoute } from './policy-check-route.js';

type Page<T> = { data: T[] } | null;

/** The viewer when the role may use the page; otherwise the refusal page (403) and null. */
async function admitted(ctx: ConsoleContext, internalUrl: () => string, allowed: (view: ApiView) => boolean, what: string): Promise<ApiView | null> {
  const viewer = await asViewer(ctx, internalUrl);
  if (viewer === null) return null;
  if (allowed(viewer)) return viewer;
  render(ctx, refusalPage(viewer.me, what), 403);
  return null;
}

async function directoryRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const viewer = await admitted(ctx, internalUrl, (v) => mayAdministerDirectory(v.can), 'The stores and cameras page');
  if (viewer === null) return;
  const grantsOf = (action: string) => ({ store: may(viewer.can, action, 'Store'), lane: may(viewer.can, action, 'Lane'), camera: may(viewer.can, action, 'Camera') });
  const grants = grantsOf('create');
  const [stores, lanes, cameras, regions] = await Promise.all([
    viewer.read<Page<StoreRow>>('/v1/stores?limit=200'), viewer.read<Page<LaneRow>>('/v1/lanes?limit=200'), viewer.read<Page<CameraRow>>('/v1/cameras?limit=200'),
    grants.store ? viewer.read<Page<RegionRow>>('/v1/regions?limit=200') : null,
  ]);
  render(ctx, directoryPage({ viewer: viewer.me, stores: stores?.data ?? [], lanes: lanes?.data ?? [], cameras: cameras?.data ?? [], canEditCameras: may(viewer.can, 'update', 'Camera'), grants, renames: grantsOf('update'), regions: regions?.data ?? [] }));
}

/** The evidence item of the camera's latest snapshot: the snapshot of its newest incident that has one. */
async function latestSnapshot(viewer: ApiView, cameraId: string): Promise<string | null> {
  const incidents = await viewer.read<Page<{ id: string }>>(`/v1/incidents?cameraId=${encodeURIComponent(cameraId)}&limit=5`);
  for (const incident of incidents?.data ?? []) {
    const items = await viewer.read<Page<{ id: string; kind: string }>>(`/v1/evidence/items?incidentId=${encodeURIComponent(incident.id)}`);
    const snapshot = items?.data.find((i) => i.kind === 'snapshot');
    if (snapshot) return snapshot.id;
  }
  return null;
}

async function cameraRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const id = idSchema('camera').safeParse(ctx.params.id);
  const viewer = await admitted(ctx, internalUrl, (v) => mayAdministerDirectory(v.can), 'The camera page');
  if (viewer === null) return;
  const response = id.success ? await viewer.get(`/v1/cameras/${encodeURIComponent(id.data)}`) : null;
  if (response === null || response.status === 403 || response.status === 404) return render(ctx, notFoundPage('This camera'), 404);
  if (!response.ok) throw new AppError('unavailable', `GET /v1/cameras/{id} answered ${response.status}`);
  const camera = (await response.json()) as CameraRow;
  const [store, lane, snapshotItemId] = await Promise.all([
    viewer.read<StoreRow>(`/v1/stores/${encodeURIComponent(camera.storeId)}`),
    camera.laneId ? viewer.read<LaneRow>(`/v1/lanes/${encodeURIComponent(camera.laneId)}`) : null,
    latestSnapshot(viewer, camera.id),
  ]);
  render(ctx, cameraPage({ viewer: viewer.me, camera, etag: response.headers.get('etag'), store, laneName: lane?.name ?? null, snapshotItemId, canEdit: may(viewer.can, 'update', 'Camera') }));
}

async function policyIndexRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const viewer = await admitted(ctx, internalUrl, (v) => mayEditPolicies(v.can), 'The policy editor');
  if (viewer === null) return;
  const policies = await viewer.read<Page<PolicyState>>('/v1/policies');
  render(ctx, policyIndexPage({ viewer: viewer.me, policies: policies?.data ?? [] }));
}

async function policyRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const role = z.enum(ROLES).safeParse(ctx.params.role);
  const viewer = await admitted(ctx, internalUrl, (v) => mayEditPolicies(v.can), 'The policy editor');
  if (viewer === null) return;
  if (!role.success) return render(ctx, notFoundPage('This role'), 404);
  const path = `/v1/policies/${encodeURIComponent(role.data)}`;
  const [policy, versions, stores, people] = await Promise.all([
    viewer.read<PolicyState>(path), viewer.read<Page<PolicyVersion>>(`${path}/versions`), viewer.read<Page<StoreRow>>('/v1/stores?limit=200'),
    role.data === 'plugin' ? null : viewer.read<Page<ExplainPerson>>(`/v1/users?role=${encodeURIComponent(role.data)}&limit=100`),
  ]);
  if (policy === null) return render(ctx, refusalPage(viewer.me, `The ${role.data} policy`), 403);
  render(ctx, policyPage({ viewer: viewer.me, policy, versions: versions?.data ?? [], stores: stores?.data ?? [], people: people?.data ?? [] }));
}

const auditQuery = z.object({
  subjectType: z.string().max(50).optional(), subjectId: z.string().max(60).optional(), action: z.string().max(100).optional(), cursor: z.string().max(200).optional(),
});

async function auditRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const viewer = await admitted(ctx, internalUrl, (v) => may(v.can, 'read', 'AuditRecord'), 'The audit trail');
  if (viewer === null) return;
  const parsed = auditQuery.safeParse(ctx.query);
  if (!parsed.success) return render(ctx, errorPage('These filters are not valid', parsed.error.issues[0]?.message ?? 'invalid'), 400);
  const given: Record<string, string> = Object.fromEntries(Object.entries(parsed.data).filter((entry): entry is [string, string] => Boolean(entry[1])));
  const { cursor, ...filters } = given;
  const form: AuditForm = { subjectType: filters.subjectType, subjectId: filters.subjectId, action: filters.action };
  const response = await viewer.get(`/v1/audit?${new URLSearchParams({ limit: '50', ...filters, ...(cursor ? { cursor } : {}) })}`);
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    return render(ctx, errorPage('The audit trail cannot be shown', body.error?.message ?? `the API answered ${response.status}`), response.status === 403 ? 403 : 400);
  }
  const page = (await response.json()) as { data: AuditEntry[]; nextCursor: string | null };
  render(ctx, auditPage({ viewer: viewer.me, records: page.data, nextCursor: page.nextCursor, cursor, form }));
}

async function webhooksRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const viewer = await admitted(ctx, internalUrl, (v) => may(v.can, 'read', 'Webhook'), 'The webhooks page');
  if (viewer === null) return;
  const webhooks = await viewer.read<Page<WebhookRow>>('/v1/webhooks?limit=200');
  render(ctx, webhooksPage({ viewer: viewer.me, webhooks: webhooks?.data ?? [], canCreate: may(viewer.can, 'create', 'Webhook') }));
}

async function webhookRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const id = z.string().regex(/^whk_[0-9a-z]{10,40}$/).safeParse(ctx.params.id);
  const status = z.enum(DELIVERY_STATUSES).optional().safeParse(ctx.query.status || undefined);
  const viewer = await admitted(ctx, internalUrl, (v) => may(v.can, 'read', 'Webhook'), 'The webhooks page');
  if (viewer === null) return;
  const path = id.success ? `/v1/webhooks/${encodeURIComponent(id.data)}` : null;
  const webhook = path ? await viewer.read<WebhookRow>(path) : null;
  if (path === null || webhook === null) return render(ctx, notFoundPage('This webhook'), 404);
  const chosen = status.success ? status.data : undefined;
  const [deliveries, attempts] = await Promise.all([
    viewer.read<Page<DeliveryRow>>(`${path}/deliveries?limit=50${chosen ? `&status=${chosen}` : ''}`), viewer.read<Page<AttemptRow>>(`${path}/attempts?limit=50`),
  ]);
  render(ctx, webhookPage({ viewer: viewer.me, webhook, deliveries: deliveries?.data ?? [], attempts: attempts?.data ?? [], status: chosen, canResend: may(viewer.can, 'update', 'Webhook') }));
}

async function peopleRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const viewer = await admitted(ctx, internalUrl, (v) => mayAdministerPeople(v.can), 'The users page');
  if (viewer === null) return;
  const canChangeUsers = may(viewer.can, 'update', 'User');
  const [users, identities, stores, regions] = await Promise.all([
    canChangeUsers ? viewer.read<Page<UserRow>>('/v1/users?limit=200') : null,
    may(viewer.can, 'read', 'ServiceIdentity') ? viewer.read<Page<IdentityRow>>('/v1/service-identities?limit=200') : null,
    viewer.read<Page<StoreRow>>('/v1/stores?limit=200'),
    canChangeUsers ? viewer.read<Page<RegionRow>>('/v1/regions?limit=200') : null,
  ]);
  const storeNames = Object.fromEntries((stores?.data ?? []).map((s) => [s.id, `${s.name} (${s.code})`]));
  const identityGrants = { create: may(viewer.can, 'create', 'ServiceIdentity'), update: may(viewer.can, 'update', 'ServiceIdentity') };
  render(ctx, peoplePage({ viewer: viewer.me, users: users?.data ?? null, identities: identities?.data ?? null, storeNames, canChangeUsers, identityGrants, regions: regions?.data ?? [] }));
}

async function retentionRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  // Reviewers and auditors may read retention too, but it is an admin page: only roles that may set it get it.
  const viewer = await admitted(ctx, internalUrl, (v) => may(v.can, 'create', 'RetentionPolicy'), 'The retention page');
  if (viewer === null) return;
  const holdsCursor = z.string().max(200).safeParse(ctx.query.holdsCursor);
  const [policies, plan, stores, holdsResponse] = await Promise.all([
    viewer.read<{ defaults: Record<string, number>; data: RetentionRow[] }>('/v1/retention/policies'),
    viewer.read<Page<PlannedPurge>>('/v1/retention/plan'), viewer.read<Page<StoreRow>>('/v1/stores?limit=200'),
    viewer.get(`/v1/evidence/holds?limit=50${holdsCursor.success ? `&cursor=${encodeURIComponent(holdsCursor.data)}` : ''}`),
  ]);
  if (holdsResponse.status === 400) return render(ctx, errorPage('This page of legal holds cannot be shown', 'The link\'s cursor is not one the hub issued.'), 400);
  const holds = holdsResponse.ok ? ((await holdsResponse.json()) as { data: HoldInfo[]; nextCursor: string | null }) : null;
  render(ctx, retentionPage({
    viewer: viewer.me, defaults: policies?.defaults ?? {}, policies: policies?.data ?? [], plan: plan?.data ?? null, stores: stores?.data ?? [],
    canChange: may(viewer.can, 'delete', 'RetentionPolicy'), holds, canRelease: may(viewer.can, 'update', 'Evidence'),
  }));
}

async function tuningRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const viewer = await admitted(ctx, internalUrl, (v) => may(v.can, 'update', 'StoreRules'), 'The tuning page');
  if (viewer === null) return;
  const stores = (await viewer.read<Page<StoreRow>>('/v1/stores?limit=200'))?.data ?? [];
  const picked = idSchema('store').safeParse(ctx.query.storeId);
  const storeId = picked.success ? picked.data : (stores[0]?.id ?? null);
  if (storeId === null) return render(ctx, tuningPage({ viewer: viewer.me, stores, storeId, rules: null }));
  const response = await viewer.get(`/v1/stores/${encodeURIComponent(storeId)}/tuning`);
  if (response.status === 403 || response.status === 404) return render(ctx, notFoundPage('This store'), 404);
  if (!response.ok) throw new AppError('unavailable', `GET /v1/stores/{id}/tuning answered ${response.status}`);
  const { data } = (await response.json()) as { data: RuleTuningRow[] };
  render(ctx, tuningPage({ viewer: viewer.me, stores, storeId, rules: data }));
}

/** The admin pages: stores, lanes and cameras with the zone editor, the policy editor, the audit trail, the webhooks' delivery log, users and service identities, retention. */
export function adminRoutes(router: Router<AppState>, internalUrl: () => string): void {
  router.get('/console/admin/stores', (ctx) => directoryRoute(ctx, internalUrl));
  router.get('/console/admin/cameras/:id', (ctx) => cameraRoute(ctx, internalUrl));
  router.get('/console/admin/policies', (ctx) => policyIndexRoute(ctx, internalUrl));
  router.get('/console/admin/policies/:role', (ctx) => policyRoute(ctx, internalUrl));
  router.post('/console/admin/policies/:role/check', (ctx) => policyCheckRoute(ctx, internalUrl));
  router.get('/console/admin/audit', (ctx) => auditRoute(ctx, internalUrl));
  router.get('/console/admin/retention', (ctx) => retentionRoute(ctx, internalUrl));
  router.get('/console/admin/tuning', (ctx) => tuningRoute(ctx, internalUrl));
  router.get('/console/admin/people', (ctx) => peopleRoute(ctx, internalUrl));
  router.get('/console/admin/webhooks', (ctx) => webhooksRoute(ctx, internalUrl));
  router.get('/console/admin/webhooks/:id', (ctx) => webhookRoute(ctx, internalUrl));
}
