import { TenantModel } from './base-model.js';

export class TenantPolicyVersion extends TenantModel {
  static override tableName = 'tenant_policies';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['rules'];
  role!: string;
  version!: number;
  mode!: 'extend' | 'replace';
  rules!: unknown[];
  reason!: string;
  revertsVersion!: number | null;
  createdBy!: string;
  createdAt!: Date;
}

export class ServiceIdentity extends TenantModel {
  static override tableName = 'service_identities';
  static override idColumn = ['tenant_id', 'id'];
  name!: string;
  /** The environment its tokens act in. */
  environment!: string;
  storeIds!: string[];
  createdBy!: string;
  createdAt!: Date;
  updatedAt!: Date;
  disabledAt!: Date | null;
}
