import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { keyIdOf } from '../../hub/evidence/keys.js';
import { sha256 } from './support.js';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export function readZip(path: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const out: ZipEntry[] = [];
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => zip.openReadStream(entry, (e, stream) => {
        if (e || !stream) return reject(e);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => { out.push({ name: entry.fileName, data: Buffer.concat(chunks) }); zip.readEntry(); });
      }));
      zip.readEntry();
    });
  });
}

/** Names yazl refuses to write (absolute, `..`); written under a same-length placeholder, then patched in. */
const refusedByYazl = (name: string) => name.startsWith('/') || name.split(/[\\/]/).includes('..') || name.includes('\\') || /^[A-Za-z]:/.test(name);

function patch(zip: Buffer, from: string, to: string): void {
  const needle = Buffer.from(from);
  for (let at = zip.indexOf(needle); at >= 0; at = zip.indexOf(needle, at + needle.length)) Buffer.from(to).copy(zip, at);
}

/** Writes entries as given, duplicate and unsafe names included, which is what the tampering tests need. */
export async function writeZip(path: string, entries: ZipEntry[]): Promise<void> {
  const zip = new yazl.ZipFile();
  const placeholders: Array<[string, string]> = [];
  entries.forEach((e, i) => {
    let name = e.name;
    if (refusedByYazl(name)) {
      name = `p${i}`.padEnd(e.name.length, 'q');
      placeholders.push([name, e.name]);
    }
    zip.addBuffer(e.data, name, { compress: false });
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  const bytes = Buffer.concat(chunks);
  for (const [from, to] of placeholders) patch(bytes, from, to);
  await writeFile(path, bytes);
}

type Manifest = { keyId: string; files: Array<{ path: string; sha256: string; bytes: number }> } & Record<string, unknown>;

export const manifestOf = (entries: ZipEntry[]): Manifest => JSON.parse(entries.find((e) => e.name === 'manifest.json')?.data.toString() ?? '{}') as Manifest;

/**
 * What an attacker without the tenant's key can do: change files, rewrite the manifest to match (or edit
 * it as `edit` says), sign it with a key of their own and put that key in the bundle.
 */
export function resign(entries: ZipEntry[], edit: (manifest: Manifest) => void = () => {}): ZipEntry[] {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const manifest = manifestOf(entries);
  for (const file of manifest.files) {
    const entry = entries.find((e) => e.name === file.path);
    if (entry) Object.assign(file, { sha256: sha256(entry.data), bytes: entry.data.length });
  }
  manifest.keyId = keyIdOf(pem);
  edit(manifest);
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const replaced: Record<string, Buffer> = { 'manifest.json': bytes, 'manifest.sig': Buffer.from(`${sign(null, bytes, privateKey).toString('base64')}\n`), 'public-key.pem': Buffer.from(pem) };
  return entries.map((e) => (replaced[e.name] ? { name: e.name, data: replaced[e.name] as Buffer } : e));
}

/** Flips one byte in the middle of `data`. */
export function flipped(data: Buffer): Buffer {
  const copy = Buffer.from(data);
  const at = Math.floor(copy.length / 2);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}
