import { TenantModel } from './base-model.js';

export class ApiToken extends TenantModel {
  static override tableName = 'api_tokens';
  static override idColumn = ['tenant_id', 'id'];
  tokenHash!: string;
  /** The environment the token acts in. */
  environment!: string;
  displayPrefix!: string;
  name!: string;
  role!: string;
  principalId!: string;
  storeIds!: string[];
  regionIds!: string[];
  createdBy!: string;
  createdAt!: Date;
  expiresAt!: Date | null;
  revokedAt!: Date | null;
  lastUsedAt!: Date | null;
  /** The version its plugin last reported, and when (plugin tokens only). */
  pluginVersion!: string | null;
  pluginVersionSeenAt!: Date | null;
}
