import { BaseModel, TenantModel } from './base-model.js';

export class Tenant extends BaseModel {
  static override tableName = 'tenants';
  static override jsonAttributes = ['settings'];
  id!: string;
  name!: string;
  settings!: Record<string, unknown>;
  createdAt!: Date;
  updatedAt!: Date;
}

export class Region extends TenantModel {
  static override tableName = 'regions';
  static override idColumn = ['tenant_id', 'id'];
  name!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

export interface StoreSettings {
  mergeWindowSeconds?: number;
  [key: string]: unknown;
}

export class Store extends TenantModel {
  static override tableName = 'stores';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['address', 'settings'];
  regionId!: string;
  name!: string;
  code!: string;
  timezone!: string;
  address!: Record<string, string>;
  settings!: StoreSettings;
  createdAt!: Date;
  updatedAt!: Date;
}

export class Lane extends TenantModel {
  static override tableName = 'lanes';
  static override idColumn = ['tenant_id', 'id'];
  storeId!: string;
  name!: string;
  posWorkstationId!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
}

export interface CameraZone {
  name: string;
  type: string;
  polygon: Array<[number, number]>;
}

export class Camera extends TenantModel {
  static override tableName = 'cameras';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['onvif', 'streams', 'zones', 'health'];
  storeId!: string;
  laneId!: string | null;
  name!: string;
  onvif!: Record<string, string>;
  streams!: Record<string, string>;
  zones!: CameraZone[];
  health!: Record<string, unknown>;
  createdAt!: Date;
  updatedAt!: Date;
}

export class Device extends TenantModel {
  static override tableName = 'devices';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['health'];
  name!: string;
  storeIds!: string[];
  version!: string | null;
  lastSeenAt!: Date | null;
  health!: Record<string, unknown>;
  createdAt!: Date;
  updatedAt!: Date;
}

/** An environment of a tenant (production always; staging, sandbox… on demand). Tenant-wide, not itself scoped. */
export class Environment extends TenantModel {
  static override tableName = 'environments';
  static override idColumn = ['tenant_id', 'name'];
  name!: string;
  label!: string;
  kind!: string;
  createdBy!: string;
  createdAt!: Date;
}
