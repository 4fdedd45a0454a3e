import type { Command } from 'commander';
import { resealEvidenceSigningKeys } from '../commands/evidence-key-resealer.js';
import { reencryptSecrets } from '../commands/secret-reencrypter.js';
import { loadHubConfig } from '../config/index.js';
import { secretBoxFromConfig } from '../webhooks/index.js';
import { withDatabase } from './with-database.js';

export function registerSecretsCommand(program: Command): void {
  const secrets = program.command('secrets').description('Secrets sealed at rest (webhook secrets, header values, ServiceNow credentials, evidence signing keys)');
  secrets
    .command('reencrypt')
    .description('seal every stored secret again with the current key (VIGIL_SECRETS_KEY); run after a rotation with the old key in VIGIL_SECRETS_PREVIOUS_KEYS')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { config?: string }) => {
      const box = secretBoxFromConfig(loadHubConfig({ file: opts.config }));
      const [summary, evidence] = await withDatabase(opts, async (db) => [await reencryptSecrets(db.knex, box), await resealEvidenceSigningKeys(db.knex, box.currentKeyId)] as const);
      process.stdout.write(`re-encrypted under key ${summary.keyId}: ${summary.endpoints} endpoint(s), ${summary.settings} inbound secret(s), ${evidence.keys} evidence signing key(s)\n`);
    });
}
