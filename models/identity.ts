import { TenantModel } from './base-model.js';

/** A person who logs in through OpenID Connect or was entered by an admin. */
export class User extends TenantModel {
  static override tableName = 'users';
  static override idColumn = ['tenant_id', 'id'];
  email!: string;
  name!: string;
  role!: string;
  storeIds!: string[];
  regionIds!: string[];
  /** Environments the user may switch the console to (production unless an admin adds more). */
  environments!: string[];
  issuer!: string | null;
  subject!: string | null;
  provisionedBy!: 'oidc' | 'admin';
  createdAt!: Date;
  updatedAt!: Date;
  lastLoginAt!: Date | null;
  disabledAt!: Date | null;
}

/** A console session: the cookie holds tenant id, session id and a secret whose hash is stored here. */
export class Session extends TenantModel {
  static override tableName = 'sessions';
  static override idColumn = ['tenant_id', 'id'];
  secretHash!: string;
  userId!: string;
  /** The environment the session currently acts in. */
  environment!: string;
  idToken!: string | null;
  createdAt!: Date;
  expiresAt!: Date;
  lastSeenAt!: Date;
}
