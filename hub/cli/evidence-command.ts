import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AppError } from '../../contracts/index.js';
import { verifyBundle, type BundleReport } from '../evidence/bundle-verifier.js';
import { resealEvidenceSigningKeys } from '../commands/evidence-key-resealer.js';
import { publishedKeySet, rotateSigningKey, tenantTransaction } from '../evidence/index.js';
import { secretBoxFromConfig } from '../webhooks/index.js';
import { parsePinnedKeys, type PinnedKey } from '../evidence/pinned-keys.js';
import { withDatabase } from './with-database.js';

/** `--key` is a URL (the hub's /v1/evidence/keys), a PEM file, or a JSON key set (saved from that URL or `vigil evidence keys list`). */
async function loadKeys(source: string, token: string | undefined): Promise<PinnedKey[]> {
  let text: string;
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    if (!response.ok) throw new AppError('unavailable', `${source} answered ${response.status}`);
    text = await response.text();
  } else {
    text = await readFile(source, 'utf8').catch((cause: unknown) => {
      throw new AppError('bad_request', `cannot read key file ${source}`, { cause });
    });
  }
  return parsePinnedKeys(text, source);
}

function print(report: BundleReport): void {
  for (const file of report.checked) process.stdout.write(`OK      ${file.path}  ${file.sha256}\n`);
  for (const problem of report.problems) process.stdout.write(`FAILED  ${problem.path}: ${problem.problem}\n`);
  const key = report.keyId ? `key ${report.keyId}${report.keyPinned ? ' (pinned)' : ' (the bundle\'s own key, trusted on request: this proves integrity, not origin)'}` : 'no key';
  const custody = report.manifest?.custody;
  if (custody) process.stdout.write(`CUSTODY  case ${custody.caseNumber ?? '-'}, recipient ${custody.recipient ?? '-'}, purpose ${custody.purpose ?? '-'}, store ${custody.store.name} (${custody.store.timeZone})\n`);
  if (report.ok) process.stdout.write(`VERIFIED  ${report.checked.length} files, incident ${report.manifest?.incidentId}, signed with ${key}\n`);
  else process.stdout.write(`NOT VERIFIED  ${report.problems.length} problem(s)\n`);
}

function registerKeys(evidence: Command): void {
  const keys = evidence.command('keys').description('The tenant\'s bundle-signing keys (ed25519, sealed at rest with the hub secrets key)');
  keys
    .command('list')
    .description('print the published key set (JSON): every key that signed the tenant\'s bundles, by kid; give it to recipients for --key')
    .requiredOption('--tenant <id>', 'the tenant')
    .option('--environment <name>', 'the environment whose keys (each has its own)', 'production')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant: string; environment: string; config?: string }) => {
      const scope = { tenantId: opts.tenant, environment: opts.environment };
      const set = await withDatabase(opts, (db) => tenantTransaction(db.knex, scope, (trx) => publishedKeySet(trx, opts.tenant)));
      process.stdout.write(`${JSON.stringify(set, null, 2)}\n`);
    });
  keys
    .command('rotate')
    .description('retire the active signing key (kept, so its bundles still verify) and make a new one; audited')
    .requiredOption('--tenant <id>', 'the tenant')
    .option('--environment <name>', 'the environment whose key rotates', 'production')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { tenant: string; environment: string; config?: string }) => {
      const scope = { tenantId: opts.tenant, environment: opts.environment };
      const rotated = await withDatabase(opts, (db) => tenantTransaction(db.knex, scope, (trx) =>
        rotateSigningKey({ actor: { type: 'system', id: 'cli' }, tenantId: opts.tenant, environment: opts.environment, requestId: null, clientAddress: null, trx })));
      process.stdout.write(`rotated: ${rotated.retiredKeyId} retired, ${rotated.keyId} active\n`);
    });
  keys
    .command('reseal')
    .description('seal every tenant\'s signing keys with the current hub secrets key (after VIGIL_SECRETS_KEY rotates, the old one in VIGIL_SECRETS_PREVIOUS_KEYS)')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { config?: string }) => {
      const { keys: total } = await withDatabase(opts, (db, config) => resealEvidenceSigningKeys(db.knex, secretBoxFromConfig(config).currentKeyId));
      process.stdout.write(`resealed ${total} signing key(s) with the current secrets key\n`);
    });
}

export function registerEvidenceCommand(program: Command): void {
  const evidence = program.command('evidence').description('Evidence bundles and their signing keys');
  evidence
    .command('verify <bundle>')
    .description('check a bundle offline: entry names, the manifest signature (pinned key by kid), every file\'s size and SHA-256, originals against their acquisition hash, the audit extract\'s continuity; exits 2 on any problem')
    .option('--key <url|file>', 'the published key set: the hub\'s /v1/evidence/keys URL, a PEM file, or a JSON key set')
    .option('--trust-bundle-key', 'without --key, accept the key inside the bundle (proves integrity only: anyone re-signing the bundle can replace it)')
    .option('--token <token>', 'bearer token for --key URL (or VIGIL_TOKEN)')
    .action(async (bundle: string, opts: { key?: string; token?: string; trustBundleKey?: boolean }) => {
      const keys = opts.key ? await loadKeys(opts.key, opts.token ?? process.env.VIGIL_TOKEN) : undefined;
      const report = await verifyBundle(bundle, { ...(keys ? { keys } : {}), trustBundleKey: opts.trustBundleKey === true });
      print(report);
      if (!report.ok) process.exitCode = 2;
    });
  registerKeys(evidence);
}
