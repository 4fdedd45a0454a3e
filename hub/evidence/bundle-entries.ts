import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { AppError } from '../../contracts/index.js';

/** One ZIP entry as found in the central directory, in order, duplicates kept. */
export interface BundleEntry {
  name: string;
  sha256: string;
  bytes: number;
  /** Small documents the verifier reads (manifest, signature, key, audit extract) are kept whole. */
  content: Buffer | null;
}

const MAX_KEPT = 256 * 1024 * 1024;

/** The entry name as stored: raw bytes, UTF-8 when the ZIP says so (bit 11), else read byte by byte. */
function nameOf(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

/**
 * Why an entry name is unsafe to extract (null: safe): absolute paths, drive letters, backslashes,
 * `.`/`..` segments, empty segments and control characters.
 */
export function unsafeName(name: string): string | null {
  if (name.length === 0) return 'empty name';
  if ([...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return 'control characters in the name';
  if (name.includes('\\')) return 'backslash in the name';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'absolute path';
  const segments = name.split('/');
  if (segments.some((s) => s === '..')) return 'path escapes the bundle (..)';
  if (segments.some((s, i) => s === '.' || (s === '' && i < segments.length - 1))) return 'empty or "." path segment';
  return null;
}

/**
 * Streams every entry of the ZIP once, hashing it; names are read raw (yauzl neither rewrites backslashes
 * nor rejects the archive for a bad name, so the verifier names the problem). Never holds a clip in memory.
 */
export function readEntries(path: string, keep: (name: string) => boolean): Promise<BundleEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, validateEntrySizes: true, decodeStrings: false }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new AppError('unprocessable', 'cannot open the bundle as a ZIP'));
      const entries: BundleEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = nameOf(entry);
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) {
            entries.push({ name, sha256: `unreadable: ${streamError?.message ?? 'no stream'}`, bytes: 0, content: null });
            return zip.readEntry();
          }
          const hash = createHash('sha256');
          const kept: Buffer[] = [];
          const keeping = keep(name);
          let bytes = 0;
          stream.on('data', (chunk: Buffer) => {
            hash.update(chunk);
            bytes += chunk.length;
            if (keeping && bytes <= MAX_KEPT) kept.push(chunk);
          });
          stream.on('error', (error) => {
            entries.push({ name, sha256: `unreadable: ${error.message}`, bytes, content: null });
            zip.readEntry();
          });
          stream.on('end', () => {
            entries.push({ name, sha256: hash.digest('hex'), bytes, content: keeping ? Buffer.concat(kept) : null });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
