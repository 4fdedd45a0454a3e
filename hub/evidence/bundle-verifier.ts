import { createPublicKey, verify } from 'node:crypto';
import { AUDIT_EXTRACT, BUNDLE_FORMAT, MANIFEST, PUBLIC_KEY, SIGNATURE, manifestSchema, type BundleManifest } from './bundle-format.js';
import { readEntries, unsafeName, type BundleEntry } from './bundle-entries.js';
import { checkAuditExtract } from './custody-check.js';
import { keyIdOf } from './keys.js';
import type { PinnedKey } from './pinned-keys.js';

export interface BundleProblem {
  path: string;
  problem: string;
}

export interface BundleReport {
  ok: boolean;
  /** Whether the signature was checked against a key the verifier was given (not only the one in the bundle). */
  keyPinned: boolean;
  keyId: string | null;
  manifest: BundleManifest | null;
  checked: Array<{ path: string; sha256: string; bytes: number }>;
  problems: BundleProblem[];
}

export interface VerifyBundleOptions {
  /** The published keys to check the signature with, picked by the manifest's kid. */
  keys?: PinnedKey[];
  /** Accept a signature made by the key inside the bundle when no key is pinned (proves integrity, not origin). */
  trustBundleKey?: boolean;
}

const CONTROL = new Set([MANIFEST, SIGNATURE, PUBLIC_KEY]);
const KEPT = new Set([...CONTROL, AUDIT_EXTRACT]);
const short = (hex: string) => `${hex.slice(0, 16)}…`;

/** Entry names that are unsafe, or that occur more than once (exactly, or as the same name to a case-blind file system). */
function entryProblems(entries: BundleEntry[]): BundleProblem[] {
  const problems: BundleProblem[] = [];
  const counts = new Map<string, { name: string; count: number }>();
  for (const e of entries) {
    const why = unsafeName(e.name);
    if (why) problems.push({ path: e.name, problem: `unsafe entry name: ${why}` });
    const folded = e.name.normalize('NFC').toLowerCase();
    const seen = counts.get(folded);
    counts.set(folded, { name: seen?.name ?? e.name, count: (seen?.count ?? 0) + 1 });
  }
  for (const { name, count } of counts.values()) {
    if (count > 1) problems.push({ path: name, problem: `duplicate entry name: ${count} entries named ${name} (ignoring case); a viewer may open another copy than the one checked` });
  }
  return problems;
}

function parseManifest(entry: BundleEntry | undefined, problems: BundleProblem[]): BundleManifest | null {
  if (!entry?.content) return null;
  try {
    return manifestSchema.parse(JSON.parse(entry.content.toString('utf8')));
  } catch {
    problems.push({ path: MANIFEST, problem: `not a ${BUNDLE_FORMAT} manifest` });
    return null;
  }
}

interface SignatureCheck {
  keyId: string | null;
  pinned: boolean;
}

/** Picks the key: by kid from the pinned set, else the bundle's own (which only proves integrity). */
function pickKey(manifest: BundleManifest | null, bundleKey: string | null, options: VerifyBundleOptions, problems: BundleProblem[]): { pem: string; pinned: boolean } | null {
  if (options.keys && options.keys.length > 0) {
    const kid = manifest?.keyId;
    const key = options.keys.find((k) => k.keyId === kid) ?? (options.keys.length === 1 && !kid ? options.keys[0] : undefined);
    if (!key) {
      problems.push({ path: MANIFEST, problem: `signed with key ${kid ? short(kid) : '(none named)'}, which is not in the pinned key set (${options.keys.map((k) => short(k.keyId)).join(', ')})` });
      return null;
    }
    return { pem: key.publicKeyPem, pinned: true };
  }
  if (!bundleKey) {
    problems.push({ path: SIGNATURE, problem: 'no public key to check the signature with (pass --key with the published key set)' });
    return null;
  }
  return { pem: bundleKey, pinned: false };
}

function checkSignature(byName: Map<string, BundleEntry>, manifest: BundleManifest | null, options: VerifyBundleOptions, problems: BundleProblem[]): SignatureCheck {
  const manifestBytes = byName.get(MANIFEST)?.content;
  const signature = byName.get(SIGNATURE)?.content?.toString('utf8').trim();
  if (!manifestBytes || !signature) return { keyId: null, pinned: false };
  const key = pickKey(manifest, byName.get(PUBLIC_KEY)?.content?.toString('utf8') ?? null, options, problems);
  if (!key) return { keyId: null, pinned: Boolean(options.keys?.length) };
  let keyId: string;
  try {
    keyId = keyIdOf(key.pem);
    if (!verify(null, manifestBytes, createPublicKey(key.pem), Buffer.from(signature, 'base64'))) {
      problems.push({ path: MANIFEST, problem: 'signature does not match: the manifest or its signature was altered, or another key signed it' });
    }
  } catch (error) {
    problems.push({ path: key.pinned ? '--key' : PUBLIC_KEY, problem: `unusable public key: ${(error as Error).message}` });
    return { keyId: null, pinned: key.pinned };
  }
  if (manifest && manifest.keyId !== keyId) problems.push({ path: MANIFEST, problem: `signed for key ${short(manifest.keyId)}, checked with ${short(keyId)}` });
  if (!key.pinned && !options.trustBundleKey) {
    problems.push({ path: SIGNATURE, problem: 'checked only against the key inside the bundle, which anyone re-signing it can replace: pin the published key set with --key (or accept the bundle\'s own key with --trust-bundle-key)' });
  }
  return { keyId, pinned: key.pinned };
}

/** One listed file against its entry: missing, size mismatch, hash mismatch, or an unredacted copy that is not the original. */
function fileProblem(file: BundleManifest['files'][number], entry: BundleEntry | undefined): string | null {
  if (!entry) return 'listed in the manifest but missing from the bundle';
  if (entry.sha256.startsWith('unreadable')) return `cannot be read from the ZIP (${entry.sha256})`;
  if (entry.bytes !== file.bytes) return `size mismatch (manifest ${file.bytes} bytes, file ${entry.bytes} bytes)`;
  if (entry.sha256 !== file.sha256) return `SHA-256 mismatch (manifest ${short(file.sha256)}, file ${short(entry.sha256)})`;
  if (file.redacted === false && file.originalSha256 !== undefined && file.originalSha256 !== file.sha256) {
    return `not the original: an unredacted file must equal its acquisition hash (originalSha256 ${short(file.originalSha256)}, file ${short(file.sha256)}); the evidence changed after capture`;
  }
  return null;
}

function checkFiles(manifest: BundleManifest, byName: Map<string, BundleEntry>, report: BundleReport): void {
  const listed = new Set<string>();
  for (const file of manifest.files) {
    if (listed.has(file.path)) report.problems.push({ path: file.path, problem: 'listed twice in the manifest' });
    listed.add(file.path);
    const why = unsafeName(file.path);
    if (why || CONTROL.has(file.path)) report.problems.push({ path: file.path, problem: `unsafe path in the manifest: ${why ?? 'a control file name'}` });
    const entry = byName.get(file.path);
    const problem = fileProblem(file, entry);
    if (problem) report.problems.push({ path: file.path, problem });
    else if (entry) report.checked.push({ path: file.path, sha256: entry.sha256, bytes: entry.bytes });
  }
  for (const name of byName.keys()) if (!listed.has(name) && !CONTROL.has(name)) report.problems.push({ path: name, problem: 'not listed in the signed manifest' });
}

/** The audit extract's continuity (bundles of format /2, which carry one). */
function checkExtract(manifest: BundleManifest, byName: Map<string, BundleEntry>, problems: BundleProblem[]): void {
  if (manifest.format !== BUNDLE_FORMAT) return;
  const content = byName.get(AUDIT_EXTRACT)?.content;
  let found: string[];
  if (!content) found = ['missing'];
  else {
    try {
      found = checkAuditExtract(JSON.parse(content.toString('utf8')));
    } catch {
      found = ['not JSON'];
    }
  }
  for (const problem of found) problems.push({ path: AUDIT_EXTRACT, problem: `audit extract: ${problem}` });
}

/**
 * Verifies an evidence bundle offline: refuses unsafe and duplicate entry names; checks the manifest's
 * ed25519 signature with the pinned key its kid names (a bundle's own key is accepted only when asked);
 * every listed file's size and SHA-256, that unredacted files are the originals, that nothing is missing
 * or added; and the audit extract's continuity. Names each file that fails.
 */
export async function verifyBundle(path: string, options: VerifyBundleOptions = {}): Promise<BundleReport> {
  const problems: BundleProblem[] = [];
  const report: BundleReport = { ok: false, keyPinned: false, keyId: null, manifest: null, checked: [], problems };
  let entries: BundleEntry[];
  try {
    entries = await readEntries(path, (name) => KEPT.has(name));
  } catch (error) {
    problems.push({ path, problem: `not a readable ZIP: ${(error as Error).message}` });
    return report;
  }
  problems.push(...entryProblems(entries));
  // After the duplicate check, the first entry of a name is the one an extractor that skips existing files keeps.
  const byName = new Map<string, BundleEntry>();
  for (const e of entries) if (!byName.has(e.name)) byName.set(e.name, e);
  for (const name of [MANIFEST, SIGNATURE]) if (!byName.has(name)) problems.push({ path: name, problem: 'missing' });
  const manifest = parseManifest(byName.get(MANIFEST), problems);
  report.manifest = manifest;
  const signature = checkSignature(byName, manifest, options, problems);
  report.keyId = signature.keyId;
  report.keyPinned = signature.pinned;
  if (manifest) {
    checkFiles(manifest, byName, report);
    checkExtract(manifest, byName, problems);
  }
  report.ok = problems.length === 0 && manifest !== null && report.keyId !== null;
  return report;
}
