import type Router from '@koa/router';
import type { Knex } from 'knex';
import { subject } from '@casl/ability';
import { AppError, type Clock, type EvidenceStore } from '../../../contracts/index.js';
import type { CommandContext } from '../../audit/index.js';
import { writeAudit } from '../../audit/index.js';
import {
  checkLink, evidenceStoreFor, findItem, parseLink, parseRange, tenantTransaction, writeChunk, type UploadRow, type EvidenceStorageConfig,
} from '../../evidence/index.js';
import type { AppContext, AppState } from '../state.js';

export interface StreamDeps {
  knex: Knex;
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

interface Target {
  kind: 'item' | 'export';
  id: string;
  storageKey: string;
  bytes: number;
  contentType: string;
  filename: string;
}

async function findTarget(trx: Knex.Transaction, tenantId: string, id: string): Promise<Target> {
  if (id.startsWith('evd_')) {
    const item = await findItem(trx, tenantId, id);
    if (!item) throw new AppError('not_found', 'evidence not found');
    return { kind: 'item', id, storageKey: item.storage_key, bytes: Number(item.bytes), contentType: item.content_type, filename: item.storage_key.split('/').at(-1) ?? id };
  }
  const row = await trx('evidence_exports').where({ tenant_id: tenantId, id }).first<{ storage_key: string; bytes: number } | undefined>();
  if (!row) throw new AppError('not_found', 'evidence not found');
  return { kind: 'export', id, storageKey: row.storage_key, bytes: Number(row.bytes), contentType: 'application/zip', filename: `${id}.zip` };
}

/**
 * Serves a signed link: signature and expiry first, then the bytes (whole or one Range, 206 with
 * Content-Range), and an audit record of who looked at what, when and from where, for every request.
 */
async function serveFile(ctx: AppContext, deps: StreamDeps, store: EvidenceStore): Promise<void> {
  const id = ctx.params.id ?? '';
  if (!/^(evd|exp)_[0-9a-z]{10,40}$/.test(id)) throw new AppError('not_found', 'evidence not found');
  const { grant, signature } = parseLink(id, ctx.query);
  const served = await tenantTransaction(deps.knex, grant.tenantId, async (trx) => {
    const keys = await trx('evidence_keys').where({ tenant_id: grant.tenantId }).first<{ url_secret: string } | undefined>('url_secret');
    if (!keys) throw new AppError('signature_invalid', 'this evidence link is malformed or was altered');
    checkLink(Buffer.from(keys.url_secret, 'hex'), grant, signature, deps.clock().getTime());
    const target = await findTarget(trx, grant.tenantId, id);
    const range = parseRange(ctx.get('range') || undefined, target.bytes);
    await writeAudit(
      { actor: { type: grant.principalId.startsWith('svc_') ? 'service' : 'user', id: grant.principalId }, tenantId: grant.tenantId, requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), trx },
      {
        action: grant.disposition === 'attachment' ? 'evidence.downloaded' : 'evidence.viewed', subjectType: target.kind === 'item' ? 'EvidenceItem' : 'EvidenceExport', subjectId: id,
        after: { range: range ? `${range.start}-${range.end}` : null, userAgent: ctx.get('user-agent').slice(0, 200) || null },
      },
    );
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
