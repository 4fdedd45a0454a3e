import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { macKeyId, signingKeyId, type AuditKeyring } from './audit-keys.js';

// writeAudit keeps its signature (context, entries), so the key travels with the database handle: start-up
// binds the keyring to the knex instance, and every transaction of that instance shares its client config.
const bound = new WeakMap<object, AuditKeyring>();

function handleOf(knex: Knex | Knex.Transaction): object {
  return knex.client.config as object;
}

/** Makes `keyring` the one writeAudit uses for this database handle and its transactions. */
export function bindAuditKeys(knex: Knex, keyring: AuditKeyring): void {
  bound.set(handleOf(knex), keyring);
}

let ephemeral: AuditKeyring | undefined;

/**
 * A process-local keyring for a database handle nobody bound (a one-off script, a bench set-up). Records
 * keyed with it are reported by `vigil audit verify` as keyed with an unknown key, never accepted.
 */
function ephemeralKeyring(): AuditKeyring {
  if (!ephemeral) {
    const secret = randomBytes(32);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signing = { id: signingKeyId(publicKey), privateKey, publicKey };
    ephemeral = { mac: { id: macKeyId(secret), secret }, macKeys: new Map([[macKeyId(secret), secret]]), signing, checkpointKeys: new Map([[signing.id, publicKey]]), created: [] };
    process.emitWarning('audit records are being written with an ephemeral key: this database handle has no audit keyring bound (bindAuditKeys); `vigil audit verify` will report them', { code: 'VIGIL_AUDIT_EPHEMERAL_KEY' });
  }
  return ephemeral;
}

export function auditKeysFor(knex: Knex | Knex.Transaction): AuditKeyring {
  return bound.get(handleOf(knex)) ?? ephemeralKeyring();
}
