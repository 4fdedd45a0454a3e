import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import type { SecretBox } from '../webhooks/secret-box.js';

// The evidence signing keys are sealed with the hub's secrets key, like webhook secrets. Start-up (hub and
// CLI) binds the box to the database handle, so key reads need no configuration passed down every path.
const bound = new WeakMap<object, SecretBox>();

const handleOf = (knex: Knex | Knex.Transaction): object => knex.client.config as object;

/** Makes `box` the one that seals and opens evidence signing keys for this database handle. */
export function bindEvidenceSecrets(knex: Knex, box: SecretBox): void {
  bound.set(handleOf(knex), box);
}

export function evidenceSecretsFor(knex: Knex | Knex.Transaction): SecretBox {
  const box = bound.get(handleOf(knex));
  if (!box) throw new AppError('internal', 'no secrets key is bound to this database handle (bindEvidenceSecrets at start-up): evidence signing keys cannot be opened');
  return box;
}
