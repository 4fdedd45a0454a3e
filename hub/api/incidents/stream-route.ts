import type Router from '@koa/router';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { AppError, type Clock } from '../../../contracts/index.js';
import { BOUND_ENVIRONMENT_SQL, Incident, streamBucketOf, withTenant, type DatabaseHandle } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { visibleFields } from '../field-filter.js';
import type { RawOperation } from '../raw-operations.js';
import type { AppContext, AppState, RequestContext } from '../state.js';
import { presentIncident, transitionsFor } from './presenter.js';

export const INCIDENT_STREAM_PATH = '/v1/incidents/stream';

export const incidentStreamOperation: RawOperation = {
  method: 'get', path: INCIDENT_STREAM_PATH, operationId: 'streamIncidents', tag: 'Incidents', auth: 'bearer',
  summary: 'Server-sent events: every incident in the caller\'s scope that is opened or changes from now on (event `incident`, the incident as GET /v1/incidents presents it)',
  parameters: [{ name: 'last-event-id', in: 'header', required: false, description: 'Resume after this event id (EventSource sends it when it reconnects).' }],
  responses: { 200: 'text/event-stream; a comment line every 15 s keeps proxies from closing it; the hub ends it after 5 minutes and the browser reconnects (and is authenticated again)' },
};

export interface IncidentStreamDeps {
  knex: DatabaseHandle;
  clock: Clock;
  clientAddress: (ctx: AppContext) => string | null;
  /** How often the stream looks for changed incidents. */
  pollMs?: number;
  /** How long one connection lives before the browser reconnects (and is authenticated again). */
  lifetimeMs?: number;
}

/**
 * Where a stream stands: the last change sent, as `updated_at` to the microsecond (UTC text, so no precision
 * is lost in a JavaScript Date) and the id; it is also the SSE event id a reconnecting browser sends back.
 */
const positionSchema = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z~(inc_[0-9a-z]{10,40})?$/);
interface Position { at: string; id: string }
const encodePosition = (p: Position) => `${p.at}~${p.id}`;
const decodePosition = (raw: string): Position | null => {
  if (!positionSchema.safeParse(raw).success) return null;
  const [at, id] = raw.split('~') as [string, string];
  return { at, id };
};
const MICROS_UTC = `to_char(?? AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const BATCH = 100;
/** How far back a round looks for changes whose transaction committed after the position had passed them. */
const LATE_COMMIT_SECONDS = 5;
const LATE_BATCH = 500;
const streamAt = (row: Incident): string => {
  const value: unknown = Reflect.get(row, 'streamAt') ?? Reflect.get(row, 'stream_at');
  if (typeof value !== 'string') throw new AppError('internal', 'incident stream position missing');
  return value;
};

/**
 * `GET /v1/incidents/stream`: the review queue's live feed. Each round reads, inside the caller's tenant
 * transaction and through the same `whereAllowed` condition as `GET /v1/incidents`, the incidents changed
 * since the last one sent, and presents them exactly as the list does (field rules, allowed transitions).
 * The caller's ability is the one the request authenticated with; the stream ends after `lifetimeMs` so a
 * changed role or an ended session takes effect on the browser's reconnect.
 */
export function mountIncidentStream(apiRouter: Router<AppState>, deps: IncidentStreamDeps): void {
  const pollMs = deps.pollMs ?? 1000;
  const lifetimeMs = deps.lifetimeMs ?? 5 * 60_000;
  apiRouter.get(INCIDENT_STREAM_PATH, async (ctx) => {
    const { principal, ability } = ctx.state;
    if (!principal || !ability) throw new AppError('unauthenticated', 'authentication required');
    const resumed = decodePosition(ctx.get('last-event-id'));
    const run = <T>(work: (rc: RequestContext) => Promise<T>) => withTenant(deps.knex, principal.tenantId, { as: 'runtime', environment: principal.environment }, (trx) =>
      work({ requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), principal, ability, trx, log: ctx.state.log, now: deps.clock }));

    // HEAD answers what GET would (authenticated, 200, an event stream) without opening one.
    if (ctx.method === 'HEAD') {
      ctx.status = 200;
      ctx.set('content-type', 'text/event-stream; charset=utf-8');
      ctx.set('cache-control', 'no-store');
      return;
    }

    // From now on (the database's clock, the one `updated_at` is written with), unless resuming.
    let position: Position = resumed ?? { at: await run(async (rc) => (await rc.trx.raw<{ rows: Array<{ at: string }> }>(`SELECT ${MICROS_UTC.replace('??', 'now()')} AS at`)).rows[0]?.at ?? ''), id: '' };

    const stream = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.status = 200;
    ctx.set('content-type', 'text/event-stream; charset=utf-8');
    ctx.set('cache-control', 'no-store');
    ctx.set('x-accel-buffering', 'no');
    ctx.body = stream;
    stream.write('retry: 2000\n: vigil incident stream\n\n');

    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const started = Date.now();
    let lastWrite = Date.now();
    const close = () => {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      stream.end();
    };
    ctx.req.on('close', close);
    ctx.res.on('close', close);

    // What was sent lately, by incident id, at which `updated_at`: to send a late-committed change once.
    const recent = new Map<string, string>();
    const round = async () => {
      const changed = await run(async (rc) => {
        const present = (rows: Incident[]) => rows.map((row) => ({ row, presented: visibleFields(rc, 'Incident', row, presentIncident(row, transitionsFor({ ability, role: principal.role }, row))) }));
        const selected = () => {
          const qb = Incident.forTenant(rc.trx, principal.tenantId).select('incidents.*', rc.trx.raw(`${MICROS_UTC} AS stream_at`, ['incidents.updated_at']));
          whereAllowed(qb, ability, 'read', 'Incident', 'incidents');
          return qb;
        };
        // Narrowed first by the coarse stream bucket the index holds (a merge within a bucket is a HOT update), then exactly.
        const after = await selected().whereRaw(`incidents.environment = ${BOUND_ENVIRONMENT_SQL} AND incidents.stream_bucket >= ${streamBucketOf('?::timestamptz')}`, [position.at])
          .whereRaw('(incidents.updated_at, incidents.id) > (?::timestamptz, ?)', [position.at, position.id])
          .orderBy('incidents.updated_at').orderBy('incidents.id').limit(BATCH);
        // `updated_at` is the writing transaction's start: a transaction that commits after a later one did
        // lands behind the position. Look back over a short window for such changes not sent yet.
        const late = await selected()
          .whereRaw(`incidents.environment = ${BOUND_ENVIRONMENT_SQL} AND incidents.stream_bucket >= ${streamBucketOf(`?::timestamptz - interval '${LATE_COMMIT_SECONDS} seconds'`)}`, [position.at])
          .whereRaw(`incidents.updated_at > ?::timestamptz - interval '${LATE_COMMIT_SECONDS} seconds' AND (incidents.updated_at, incidents.id) <= (?::timestamptz, ?)`, [position.at, position.at, position.id])
          .orderBy('incidents.updated_at').orderBy('incidents.id').limit(LATE_BATCH);
        return { after: present(after), late: present(late.filter((row) => recent.get(row.id) !== streamAt(row))) };
      });
      const send = (row: Incident, presented: unknown) => {
        recent.set(row.id, streamAt(row));
        stream.write(`id: ${encodePosition(position)}\nevent: incident\ndata: ${JSON.stringify(presented)}\n\n`);
        lastWrite = Date.now();
      };
      for (const { row, presented } of changed.late) send(row, presented);
      for (const { row, presented } of changed.after) {
        position = { at: streamAt(row), id: row.id };
        send(row, presented);
      }
      const horizon = Date.parse(position.at) - LATE_COMMIT_SECONDS * 1000;
      for (const [id, at] of recent) if (Date.parse(at) < horizon) recent.delete(id);
      return changed.after.length;
    };

    const tick = async () => {
      if (closed) return;
      try {
        const sent = await round();
        if (Date.now() - lastWrite > 15_000) {
          stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        if (Date.now() - started > lifetimeMs) return close();
        // A full batch means more are waiting: read on at once.
        if (!closed) timer = setTimeout(() => void tick(), sent === BATCH ? 0 : pollMs);
      } catch (error) {
        ctx.state.log.warn({ err: error }, 'incident stream round failed; the browser reconnects');
        close();
      }
    };
    timer = setTimeout(() => void tick(), 0);
  });
}
