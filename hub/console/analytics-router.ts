import type Router from '@koa/router';
import { z } from 'zod';
import { AppError, idSchema } from '../../contracts/index.js';
import type { AppState } from '../api/state.js';
import {
  analyticsPage, posQuery, type AnalyticsForm, type AnalyticsPageInput, type CameraHealthRow, type OutcomeRow, type RepeatRow, type ResponseRow, type SeriesRow, type StoreHealthRow,
} from './analytics-page.js';
import { asViewer, render, type ApiView, type ConsoleContext } from './api-view.js';
import { EVENT_TYPES } from './client/render.js';
import { errorPage } from './incident-page.js';

const DAY = 86_400_000;
const blank = (value: unknown) => (value === '' ? undefined : value);
const day = z.string().regex(/^\d{4}-\d\d-\d\d$/, 'a day such as 2026-01-31');
const formQuery = z.object({
  from: z.preprocess(blank, day.optional()),
  to: z.preprocess(blank, day.optional()),
  regionId: z.preprocess(blank, idSchema('region').optional()),
  storeId: z.preprocess(blank, idSchema('store').optional()),
  type: z.preprocess(blank, z.enum(EVENT_TYPES).optional()),
});

class Refused extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** A figure from the API: a refusal (400, 403, 404) is shown as the page's answer, anything else unexpected throws. */
async function figure<T>(viewer: ApiView, path: string): Promise<T> {
  const response = await viewer.get(path);
  if ([400, 403, 404].includes(response.status)) {
    const body = (await response.json()) as { error?: { message?: string } };
    throw new Refused(response.status, body.error?.message ?? 'refused');
  }
  if (!response.ok) throw new AppError('unavailable', `GET ${path.split('?')[0]} answered ${response.status}`);
  return ((await response.json()) as { data: T }).data;
}

async function analyticsRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const parsed = formQuery.safeParse(ctx.query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return render(ctx, errorPage('These filters are not valid', `${issue?.path.join('.')}: ${issue?.message}`), 400);
  }
  const viewer = await asViewer(ctx, internalUrl);
  if (viewer === null) return;
  const to = parsed.data.to ?? new Date().toISOString().slice(0, 10);
  const form: AnalyticsForm = { ...parsed.data, to, from: parsed.data.from ?? new Date(Date.parse(to) - 29 * DAY).toISOString().slice(0, 10) };
  const api = new URLSearchParams({ from: `${form.from}T00:00:00Z`, to: new Date(Date.parse(to) + DAY).toISOString() });
  for (const key of ['regionId', 'storeId', 'type'] as const) if (form[key]) api.set(key, form[key]);
  const q = api.toString();
  try {
    const pos = posQuery(q);
    const [perDay, byStore, byRegion, byLane, byType, heatmap, responseTimes, outcomes, repeatLanes, repeatOperators, cameraHealth, storeHealth] = await Promise.all([
      figure<SeriesRow[]>(viewer, `/v1/analytics/incidents?${q}&interval=day`),
      figure<SeriesRow[]>(viewer, `/v1/analytics/incidents?${q}&by=store`),
      figure<SeriesRow[]>(viewer, `/v1/analytics/incidents?${q}&by=region`),
      figure<SeriesRow[]>(viewer, `/v1/analytics/incidents?${q}&by=lane`),
      figure<SeriesRow[]>(viewer, `/v1/analytics/incidents?${q}&by=type`),
      figure<AnalyticsPageInput['heatmap']>(viewer, `/v1/analytics/heatmap?${q}`),
      figure<ResponseRow[]>(viewer, `/v1/analytics/response-times?${q}&by=store`),
      figure<OutcomeRow[]>(viewer, `/v1/analytics/outcomes?${q}`),
      figure<RepeatRow[]>(viewer, `/v1/analytics/repeat-exceptions?${pos}&by=lane&limit=10`),
      figure<RepeatRow[]>(viewer, `/v1/analytics/repeat-exceptions?${pos}&by=operator&limit=10`),
      figure<CameraHealthRow[]>(viewer, `/v1/analytics/camera-health?${pos}&by=camera`),
      figure<StoreHealthRow[]>(viewer, `/v1/analytics/camera-health?${pos}&by=store`),
    ]);
    const [regions, stores, usage] = await Promise.all([
      viewer.read<{ data: Array<{ id: string; name: string }> }>('/v1/regions?limit=200'),
      viewer.read<{ data: Array<{ id: string; name: string; code: string }> }>('/v1/stores?limit=200'),
      viewer.read<NonNullable<AnalyticsPageInput['usage']>>(`/v1/usage?from=${form.from}&to=${to}`),
    ]);
    render(ctx, analyticsPage({
      viewer: viewer.me, form, apiQuery: q, regions: regions?.data ?? [], stores: stores?.data ?? [],
      perDay, byStore, byRegion, byLane, byType, heatmap, responseTimes, outcomes, repeatLanes, repeatOperators, cameraHealth, storeHealth, usage,
    }));
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    render(ctx, errorPage('The figures cannot be shown with these filters', error.message), error.status);
  }
}

/** /console/analytics: the figures of /v1/analytics as charts, with the filters and CSV links. */
export function analyticsRoutes(router: Router<AppState>, internalUrl: () => string): void {
  router.get('/console/analytics', (ctx) => analyticsRoute(ctx, internalUrl));
}
