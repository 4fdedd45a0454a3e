import type Router from '@koa/router';
import { subject } from '@casl/ability';
import { AppError, type Clock, type EvidenceStore } from '../../../contracts/index.js';
import type { CommandContext } from '../../audit/index.js';
import { recordEvidenceView } from '../../commands/evidence-viewer.js';
import { withTenant, type DatabaseHandle } from '../../../models/index.js';
import {
  evidenceStoreFor, openSignedTarget, parseLink, parseRange, tenantTransaction, writeChunk, type UploadRow, type EvidenceStorageConfig,
} from '../../evidence/index.js';
import type { AppContext, AppState } from '../state.js';

export interface StreamDeps {
  knex: DatabaseHandle;
  config: EvidenceStorageConfig;
  clientAddress: (ctx: AppContext) => string | null;
  clock: Clock;
}

const UPLOAD_PATH = /^\/v1\/evidence\/uploads\/(upl_[0-9a-z]{10,40})$/;

function requireHeaderNumber(ctx: AppContext, name: string, code: 'validation_failed' | 'bad_request'): number {
  const raw = ctx.get(name);
  if (!/^\d{1,15}$/.test(raw)) throw new AppError(code, `send ${name} as a non-negative integer`);
  return Number(raw);
}

/** PATCH a chunk: `Upload-Offset` must equal the bytes received so far; `Content-Length` is required. */
async function patchChunk(ctx: AppContext, deps: StreamDeps, store: EvidenceStore): Promise<void> {
  const match = UPLOAD_PATH.exec(ctx.path);
  const principal = ctx.state.principal;
  if (!match?.[1] || !principal || !ctx.state.ability) throw new AppError('not_found', 'upload not found');
  const uploadId = match[1];
  if (ctx.get('content-type').split(';')[0]?.trim() !== 'application/offset+octet-stream') {
    throw new AppError('unsupported_media_type', 'chunks are sent as application/offset+octet-stream');
  }
  const offset = requireHeaderNumber(ctx, 'upload-offset', 'validation_failed');
  if (!ctx.get('content-length')) throw new AppError('bad_request', 'send Content-Length with each chunk', { status: 411 });
  const length = requireHeaderNumber(ctx, 'content-length', 'bad_request');
  const ability = ctx.state.ability;
  const upload = await tenantTransaction(deps.knex, principal.tenantId, (trx) => trx<UploadRow>('evidence_uploads').where({ tenant_id: principal.tenantId, id: uploadId }).first());
  if (!upload || !ability.can('create', subject('Evidence', { storeId: upload.item.storeId, regionId: upload.item.regionId } as Record<string, unknown>))) {
    throw new AppError('not_found', 'upload not found');
  }
  const audit: Omit<CommandContext, 'trx'> = {
    actor: { type: principal.kind, id: principal.principalId }, tenantId: principal.tenantId, requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx),
  };
  const result = await writeChunk(deps.knex, store, audit, uploadId, { offset, length, body: ctx.req });
  ctx.status = 204;
  ctx.set('upload-offset', String(result.upload.offset));
  ctx.set('upload-length', String(result.upload.declared_bytes));
  if (result.item) ctx.set('evidence-id', result.item.id);
}

/**
 * Serves a signed link: signature and expiry first, then the bytes (whole or one Range, 206 with
 * Content-Range), and an audit record of who looked at what, when and from where, for every request.
 */
async function serveFile(ctx: AppContext, deps: StreamDeps, store: EvidenceStore): Promise<void> {
  const id = ctx.params.id ?? '';
  if (!/^(evd|exp)_[0-9a-z]{10,40}$/.test(id)) throw new AppError('not_found', 'evidence not found');
  const { grant, signature } = parseLink(id, ctx.query);
  const served = await withTenant(deps.knex, grant.tenantId, { as: 'runtime' }, async (trx) => {
    const target = await openSignedTarget(trx, grant, signature, deps.clock().getTime(), id);
    const range = parseRange(ctx.get('range') || undefined, target.bytes);
    const actor = { type: grant.principalId.startsWith('svc_') ? ('service' as const) : ('user' as const), id: grant.principalId };
    await recordEvidenceView({ actor, tenantId: grant.tenantId, requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), trx, now: deps.clock }, grant, target, range ?? null, ctx.get('user-agent'));
    return { target, range };
  });
  const { target, range } = served;
  ctx.set('accept-ranges', 'bytes');
  ctx.set('cache-control', 'private, no-store');
  ctx.set('content-type', target.contentType);
  ctx.set('content-disposition', `${grant.disposition}; filename="${target.filename}"`);
  if (range) {
    ctx.status = 206;
    ctx.set('content-range', `bytes ${range.start}-${range.end}/${target.bytes}`);
    ctx.length = range.end - range.start + 1;
  } else {
    ctx.status = 200;
    ctx.length = target.bytes;
  }
  ctx.body = ctx.method === 'HEAD' ? null : await store.get(target.storageKey, range ?? undefined);
}

/**
 * The evidence routes that carry raw bytes, mounted beside the public routes: `defineRoute` reads JSON bodies,
 * while a chunk must stream from the socket to the store, and a playback link carries its own credential.
 */
export function mountEvidenceStreams(routers: { publicRouter: Router<AppState>; apiRouter: Router<AppState> }, deps: StreamDeps): void {
  const store = () => evidenceStoreFor(deps.config);
  routers.apiRouter.patch('/v1/evidence/uploads/:id', (ctx) => patchChunk(ctx, deps, store()));
  routers.publicRouter.get('/v1/evidence/files/:id', (ctx) => serveFile(ctx, deps, store()));
}
