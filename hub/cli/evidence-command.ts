import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { verifyBundle } from '../evidence/bundle-verifier.js';

const keysResponse = z.object({ keys: z.array(z.object({ keyId: z.string(), publicKeyPem: z.string() })).min(1) });

/** `--key` is a URL (the hub's /v1/evidence/keys), a PEM file, or a JSON file saved from that URL. */
async function loadKey(source: string, token: string | undefined): Promise<string> {
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
  if (text.trimStart().startsWith('-----BEGIN PUBLIC KEY-----')) return text;
  const parsed = keysResponse.safeParse(JSON.parse(text));
  if (!parsed.success) throw new AppError('bad_request', `${source} holds neither a PEM public key nor a keys document`);
  return parsed.data.keys[0]?.publicKeyPem ?? '';
}

export function registerEvidenceCommand(program: Command): void {
  const evidence = program.command('evidence').description('Evidence bundles');
  evidence
    .command('verify <bundle>')
    .description('check a bundle offline: the manifest signature and every file\'s SHA-256; names each file that fails')
    .option('--key <url|file>', 'the tenant\'s public key: the hub\'s /v1/evidence/keys URL, a PEM file, or that JSON saved')
    .option('--token <token>', 'bearer token for --key URL (or VIGIL_TOKEN)')
    .action(async (bundle: string, opts: { key?: string; token?: string }) => {
      const pinned = opts.key ? await loadKey(opts.key, opts.token ?? process.env.VIGIL_TOKEN) : null;
      const report = await verifyBundle(bundle, pinned);
      for (const file of report.checked) process.stdout.write(`OK      ${file.path}  ${file.sha256}\n`);
      for (const problem of report.problems) process.stdout.write(`FAILED  ${problem.path}: ${problem.problem}\n`);
      const key = report.keyId ? `key ${report.keyId}${report.keyPinned ? '' : ' (from the bundle itself: pass --key to pin it)'}` : 'no key';
      if (report.ok) process.stdout.write(`VERIFIED  ${report.checked.length} files, incident ${report.manifest?.incidentId}, signed with ${key}\n`);
      else {
        process.stdout.write(`NOT VERIFIED  ${report.problems.length} problem(s)\n`);
        process.exitCode = 2;
      }
    });
}
