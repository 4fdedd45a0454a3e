import type { ModelClass } from 'objection';
import { AppError, newId, type Id, type IdKind } from '../../contracts/index.js';
import { Camera, Lane, mappingDatabaseErrors, Region, Store, type TenantModel } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';

/** A directory table (regions, stores, lanes, cameras): its model, id kind and audit subject. */
export interface DirectoryKind<M extends TenantModel> {
  model: ModelClass<M>;
  idKind: IdKind;
  subjectType: string;
}

export const REGIONS: DirectoryKind<Region> = { model: Region, idKind: 'region', subjectType: 'Region' };
export const STORES: DirectoryKind<Store> = { model: Store, idKind: 'store', subjectType: 'Store' };
export const LANES: DirectoryKind<Lane> = { model: Lane, idKind: 'lane', subjectType: 'Lane' };
export const CAMERAS: DirectoryKind<Camera> = { model: Camera, idKind: 'camera', subjectType: 'Camera' };

/** The row objection hands back is an instance of the kind's model; checked, so the type follows. */
function instanceOf<M extends TenantModel>(kind: DirectoryKind<M>, row: TenantModel): M {
  if (row instanceof kind.model) return row;
  throw new AppError('internal', `${kind.subjectType} write returned another model`);
}

/**
 * Creates a tenant row and its audit record in the caller's transaction. A duplicate unique key (a store
 * code, a region name, a lane's workstation) answers 409 naming the field.
 */
export async function createDirectoryRecord<M extends TenantModel>(ctx: CommandContext, kind: DirectoryKind<M>, values: object): Promise<M> {
  const now = nowOf(ctx);
  const row = kind.model.fromJson({ ...values, tenantId: ctx.tenantId, id: newId(kind.idKind, now.getTime()), createdAt: now, updatedAt: now }, { skipValidation: true });
  const created = instanceOf(kind, await mappingDatabaseErrors(() => kind.model.query(ctx.trx).insertAndFetch(row)));
  await writeAudit(ctx, { action: `${kind.subjectType.toLowerCase()}.created`, subjectType: kind.subjectType, subjectId: created.id, after: created.toJSON() });
  return created;
}

/** Patches a tenant row (already loaded FOR UPDATE and authorized) and audits before and after. */
export async function updateDirectoryRecord<M extends TenantModel>(ctx: CommandContext, kind: DirectoryKind<M>, before: M, patch: object): Promise<M> {
  const changes = kind.model.fromJson({ ...patch, updatedAt: nowOf(ctx) }, { skipValidation: true, patch: true });
  const after = instanceOf(kind, await mappingDatabaseErrors(() => kind.model.query(ctx.trx).patchAndFetchById([ctx.tenantId, before.id], changes)));
  await writeAudit(ctx, {
    action: `${kind.subjectType.toLowerCase()}.updated`, subjectType: kind.subjectType, subjectId: before.id, before: before.toJSON(), after: after.toJSON(),
  });
  return after;
}

/** A store's region must be one of the tenant's own; an id of another tenant is treated like a made-up one. */
export async function requireRegion(ctx: CommandContext, regionId: Id<'region'>): Promise<Region> {
  const region = await Region.forTenant(ctx.trx, ctx.tenantId).findOne('regions.id', regionId);
  if (!region) throw new AppError('not_found', `region ${regionId} not found`);
  return region;
}

/** A camera's lane must exist and be in the camera's store. */
export async function requireLaneInStore(ctx: CommandContext, laneId: Id<'lane'> | null | undefined, storeId: string): Promise<void> {
  if (!laneId) return;
  const lane = await Lane.forTenant(ctx.trx, ctx.tenantId).findOne('lanes.id', laneId);
  if (!lane) throw new AppError('not_found', `lane ${laneId} not found`);
  if (lane.storeId !== storeId) throw new AppError('validation_failed', `lane ${laneId} belongs to another store`);
}

export async function createStore(ctx: CommandContext, values: { regionId: Id<'region'> }): Promise<Store> {
  await requireRegion(ctx, values.regionId);
  return createDirectoryRecord(ctx, STORES, values);
}

/** Settings merge key by key, so a client can change one without restating the others. */
export async function updateStore(ctx: CommandContext, store: Store, patch: { regionId?: Id<'region'> | undefined; settings?: object | undefined }): Promise<Store> {
  if (patch.regionId) await requireRegion(ctx, patch.regionId);
  const settings = patch.settings ? { settings: { ...store.settings, ...patch.settings } } : {};
  return updateDirectoryRecord(ctx, STORES, store, { ...patch, ...settings });
}

export async function createCamera(ctx: CommandContext, values: { storeId: Id<'store'>; laneId: Id<'lane'> | null }): Promise<Camera> {
  await requireLaneInStore(ctx, values.laneId, values.storeId);
  return createDirectoryRecord(ctx, CAMERAS, values);
}

export async function updateCamera(ctx: CommandContext, camera: Camera, patch: { laneId?: Id<'lane'> | null | undefined }): Promise<Camera> {
  await requireLaneInStore(ctx, patch.laneId, camera.storeId);
  return updateDirectoryRecord(ctx, CAMERAS, camera, patch);
}
