import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AuditConfig } from './audit-config.js';
import { loadAuditKeys, type AuditKeyring } from './audit-keys.js';
import { bindAuditKeys } from './keyring-binding.js';

/**
 * Loads the audit keys (making them under the data directory on first start with the defaults) and binds
 * them to this database handle, so writeAudit keys the chain with them. Called at hub and CLI start.
 */
export function setUpAuditKeys(knex: Knex, config: { audit: AuditConfig; dataDir: string }, log?: Logger): AuditKeyring {
  const keyring = loadAuditKeys(config.audit, config.dataDir);
  bindAuditKeys(knex, keyring);
  if (keyring.created.length > 0) {
    log?.warn({ files: keyring.created }, 'audit keys created under the data directory; back them up and keep them off the database host (docs/audit.md)');
  }
  return keyring;
}
