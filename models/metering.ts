import { BaseModel } from './base-model.js';

/** One metered quantity of a tenant on one day (events ingested, evidence bytes, deliveries…). */
export class UsageCounter extends BaseModel {
  static override tableName = 'usage_counters';
  static override idColumn = ['tenant_id', 'day', 'metric'];
  tenantId!: string;
  day!: string;
  metric!: string;
  value!: number;
}

/** A sign-in in flight: the OpenID Connect state (hashed), nonce and PKCE verifier until the callback. */
export class PendingLogin extends BaseModel {
  static override tableName = 'oidc_logins';
  static override idColumn = 'state_hash';
  stateHash!: string;
  tenantId!: string;
  nonce!: string;
  codeVerifier!: string;
  returnTo!: string;
  createdAt!: Date;
  expiresAt!: Date;
}
