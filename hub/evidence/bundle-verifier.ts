import { createHash, createPublicKey, verify } from 'node:crypto';
import yauzl from 'yauzl';
import { BUNDLE_FORMAT, MANIFEST, PUBLIC_KEY, SIGNATURE, manifestSchema, type BundleManifest } from './bundle-format.js';
import { keyIdOf } from './keys.js';
import { AppError } from '../../contracts/index.js';

export interface BundleProblem {
  path: string;
  problem: string;
}

export interface BundleReport {
  ok: boolean;
  /** Whether the signature was checked against a key given by the verifier (not only the one in the bundle). */
  keyPinned: boolean;
  keyId: string | null;
  manifest: BundleManifest | null;
  checked: Array<{ path: string; sha256: string; bytes: number }>;
  problems: BundleProblem[];
}

interface EntryDigest {
  sha256: string;
  bytes: number;
  /** Small control files (manifest, signature, key) are kept whole. */
  content: Buffer | null;
}

const CONTROL = new Set([MANIFEST, SIGNATURE, PUBLIC_KEY]);

/** Streams every entry once, hashing it; never holds a clip in memory. */
function digestEntries(path: string): Promise<Map<string, EntryDigest>> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new AppError('unprocessable', 'cannot open the bundle as a ZIP'));
      const entries = new Map<string, EntryDigest>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new AppError('unprocessable', `cannot read ${entry.fileName} in the bundle`));
          const hash = createHash('sha256');
          const kept: Buffer[] = [];
          let bytes = 0;
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            bytes += chunk.length;
            if (CONTROL.has(entry.fileName) && bytes <= 4 * 1024 * 1024) kept.push(chunk);
          });
          stream.on('error', (error) => {
            entries.set(entry.fileName, { sha256: `unreadable: ${error.message}`, bytes, content: null });
            zip.readEntry();
          });
          stream.on('end', () => {
            entries.set(entry.fileName, { sha256: hash.digest('hex'), bytes, content: CONTROL.has(entry.fileName) ? Buffer.concat(kept) : null });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

function checkSignature(entries: Map<string, EntryDigest>, pinnedKeyPem: string | null, problems: BundleProblem[]): { keyId: string | null } {
  const manifestBytes = entries.get(MANIFEST)?.content;
  const signature = entries.get(SIGNATURE)?.content?.toString('utf8').trim();
  const keyPem = pinnedKeyPem ?? entries.get(PUBLIC_KEY)?.content?.toString('utf8') ?? null;
  if (!manifestBytes || !signature) return { keyId: null };
  if (!keyPem) {
    problems.push({ path: SIGNATURE, problem: 'no public key to check the signature with (pass --key)' });
    return { keyId: null };
  }
  try {
    const key = createPublicKey(keyPem);
    if (!verify(null, manifestBytes, key, Buffer.from(signature, 'base64'))) {
      problems.push({ path: MANIFEST, problem: 'signature does not match: the manifest or its signature was altered, or another key signed it' });
    }
    return { keyId: keyIdOf(keyPem) };
  } catch (error) {
    problems.push({ path: pinnedKeyPem ? '--key' : PUBLIC_KEY, problem: `unusable public key: ${(error as Error).message}` });
    return { keyId: null };
  }
}

/**
 * Verifies an evidence bundle offline: the manifest's ed25519 signature (with a pinned key when given), then
 * every listed file's SHA-256 and size, then that nothing is missing or added. Names each file that fails.
 */
export async function verifyBundle(path: string, pinnedKeyPem: string | null = null): Promise<BundleReport> {
  const problems: BundleProblem[] = [];
  const report: BundleReport = { ok: false, keyPinned: pinnedKeyPem !== null, keyId: null, manifest: null, checked: [], problems };
  let entries: Map<string, EntryDigest>;
  try {
    entries = await digestEntries(path);
  } catch (error) {
    problems.push({ path, problem: `not a readable ZIP: ${(error as Error).message}` });
    return report;
  }
  for (const name of [MANIFEST, SIGNATURE]) if (!entries.has(name)) problems.push({ path: name, problem: 'missing' });
  report.keyId = checkSignature(entries, pinnedKeyPem, problems).keyId;
  let manifest: BundleManifest | null = null;
  try {
    manifest = manifestSchema.parse(JSON.parse(entries.get(MANIFEST)?.content?.toString('utf8') ?? 'null'));
  } catch {
    if (entries.has(MANIFEST)) problems.push({ path: MANIFEST, problem: `not a ${BUNDLE_FORMAT} manifest` });
  }
  report.manifest = manifest;
  if (manifest) {
    if (report.keyId && manifest.keyId !== report.keyId) problems.push({ path: MANIFEST, problem: `signed for key ${manifest.keyId.slice(0, 16)}…, checked with ${report.keyId.slice(0, 16)}…` });
    const listed = new Set<string>();
    for (const file of manifest.files) {
      listed.add(file.path);
      const entry = entries.get(file.path);
      if (!entry) problems.push({ path: file.path, problem: 'listed in the manifest but missing from the bundle' });
      else if (entry.sha256 !== file.sha256 || entry.bytes !== file.bytes) problems.push({ path: file.path, problem: `SHA-256 mismatch (manifest ${file.sha256.slice(0, 16)}…, file ${entry.sha256.slice(0, 16)}…)` });
      else report.checked.push({ path: file.path, sha256: entry.sha256, bytes: entry.bytes });
    }
    for (const name of entries.keys()) if (!listed.has(name) && !CONTROL.has(name)) problems.push({ path: name, problem: 'not listed in the signed manifest' });
  }
  report.ok = problems.length === 0 && manifest !== null;
  return report;
}
