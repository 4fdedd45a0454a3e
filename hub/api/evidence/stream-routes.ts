import type Router from '@koa/router';
import { subject } from '@casl/ability';
import { AppError, isAppError, type Clock, type EvidenceStore } from '../../../contracts/index.js';
import type { CommandContext } from '../../audit/index.js';
import { recordAccessRefused, recordEvidenceView } from '../../commands/evidence-viewer.js';
import { EvidenceKeys, withTenant, type DatabaseHandle } from '../../../models/index.js';
import {
  evidenceStoreFor, openSignedTarget, parseLink, parseRange, writeChunk,
  type ByteRange, type EvidenceStorageConfig, type LinkGrant, type PlaybackTarget, type UploadRow,
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
  const audit: Omit<CommandContext, 'trx'> = {
    actor: { type: principal.kind, id: principal.principalId }, tenantId: principal.tenantId, environment: principal.environment, requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx),
  };
  const authorize = (upload: UploadRow) => {
    if (!ability.can('create', subject('Evidence', { storeId: upload.item.storeId, regionId: upload.item.regionId } as Record<string, unknown>))) {
      throw new AppError('not_found', 'upload not found');
    }
  };
  const result = await writeChunk(deps.knex, store, audit, uploadId, { offset, length, body: ctx.req, authorize });
  ctx.status = 204;
  ctx.set('upload-offset', String(result.upload.offset));
  ctx.set('upload-length', String(result.upload.declared_bytes));
  if (result.item) ctx.set('evidence-id', result.item.id);
}

const actorOf = (principalId: string): CommandContext['actor'] => ({ type: principalId.startsWith('svc_') ? 'service' : 'user', id: principalId });

/**
 * A refused use of a link (altered, expired, revoked issuer, purged target) is audited in the tenant the link
 * names, after the request's own transaction rolled back. An altered link's principal is not trusted: the
 * actor is then the link checker, and the principal it claims goes in the record.
 */
async function auditRefusedUse(ctx: AppContext, deps: StreamDeps, grant: LinkGrant, id: string, error: AppError): Promise<void> {
  const trusted = error.code !== 'signature_invalid';
  await withTenant(deps.knex, grant.tenantId, { as: 'runtime', environment: grant.environment }, async (trx) => {
    if (!(await EvidenceKeys.query(trx).findById(grant.tenantId))) return;
    await recordAccessRefused({
      actor: trusted ? actorOf(grant.principalId) : { type: 'system', id: 'evidence-link' }, tenantId: grant.tenantId, environment: grant.environment, requestId: ctx.state.requestId,
      clientAddress: deps.clientAddress(ctx), trx, now: deps.clock,
    }, id, error, { stage: 'use', linkId: grant.linkId, claimedPrincipal: grant.principalId, method: ctx.method });
  }).catch((auditError: unknown) => ctx.state.log.warn({ err: auditError }, 'refused evidence link use not audited'));
}

/**
 * Serves a signed link: signature, expiry and the issuer's token or session first, then the bytes (whole or
 * one Range, 206 with Content-Range). HEAD answers the same headers with no body. The first GET of a link is
 * audited (one record per playback, however many Range requests follow); every refusal is audited.
 */
async function serveFile(ctx: AppContext, deps: StreamDeps, store: EvidenceStore): Promise<void> {
  const id = ctx.params.id ?? '';
  if (!/^(evd|exp)_[0-9a-z]{10,40}$/.test(id)) throw new AppError('not_found', 'evidence not found');
  const { grant, signature } = parseLink(id, ctx.query);
  let served: { target: PlaybackTarget; range: ByteRange | null };
  try {
    served = await withTenant(deps.knex, grant.tenantId, { as: 'runtime', environment: grant.environment }, async (trx) => {
      const now = deps.clock();
      const opened = await openSignedTarget(trx, grant, signature, now);
      const range = parseRange(ctx.get('range') || undefined, opened.target.bytes);
      if (ctx.method !== 'HEAD') {
        const audit: CommandContext = { actor: actorOf(grant.principalId), tenantId: grant.tenantId, environment: grant.environment, requestId: ctx.state.requestId, clientAddress: deps.clientAddress(ctx), trx, now: deps.clock };
        await recordEvidenceView(audit, opened, range, ctx.get('user-agent'));
      }
      return { target: opened.target, range };
    });
  } catch (error) {
    if (isAppError(error) && error.status < 500 && error.status !== 416) await auditRefusedUse(ctx, deps, grant, id, error);
    throw error;
  }
  const { target, range } = served;
  ctx.set('accept-ranges', 'bytes');
  ctx.set('cache-control', 'private, no-store');
  ctx.set('content-type', target.contentType);
  ctx.set('content-disposition', `${grant.disposition}; filename="${target.filename}"`);
  ctx.status = range ? 206 : 200;
  if (range) ctx.set('content-range', `bytes ${range.start}-${range.end}/${target.bytes}`);
  ctx.length = range ? range.end - range.start + 1 : target.bytes;
  // HEAD: no body at all (a null body would turn the answer into a 204 without Content-Length).
  if (ctx.method !== 'HEAD') ctx.body = await store.get(target.storageKey, range ?? undefined);
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
