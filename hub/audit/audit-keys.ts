import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AppError } from '../../contracts/index.js';
import type { AuditConfig } from './audit-config.js';

export interface MacKey {
  /** Derived from the key (`hk_` + 16 hex of a SHA-256 over it): stable, says nothing usable about the key. */
  id: string;
  secret: Buffer;
}

export interface SigningKey {
  /** `sk_` + 16 hex of the SHA-256 of the raw public key. */
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** The audit trail's keys, loaded once at start-up from files or configuration, never from the database. */
export interface AuditKeyring {
  /** Keys new records. */
  mac: MacKey;
  /** Every MAC key that verification accepts, by id (the current one and the retired ones). */
  macKeys: ReadonlyMap<string, Buffer>;
  signing: SigningKey;
  /** Public keys that verification accepts for checkpoints, by id. */
  checkpointKeys: ReadonlyMap<string, KeyObject>;
  /** Files made on this start (first run with the embedded defaults). */
  created: string[];
}

export const macKeyId = (secret: Buffer): string => `hk_${createHash('sha256').update('vigil-audit-mac-key\n').update(secret).digest('hex').slice(0, 16)}`;

export function signingKeyId(publicKey: KeyObject): string {
  const raw = publicKey.export({ format: 'der', type: 'spki' });
  return `sk_${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
}

/** Base64 or hex text of at least 32 bytes. */
export function parseMacKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]+$/i.test(trimmed) && trimmed.length % 2 === 0 ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length < 32) throw new AppError('config_invalid', `audit HMAC key from ${source} must hold at least 32 bytes (base64 or hex); it holds ${bytes.length}`);
  return bytes;
}

function readKeyFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AppError('config_invalid', `cannot read the ${what} ${path}`, { cause });
  }
}

/**
 * Writes a new secret file (0600) unless one exists; returns whether it made it. The content goes to a
 * private temporary file first and is linked into place, so a concurrent start never reads a half-written
 * key, and two starts agree on one file.
 */
function createIfMissing(path: string, content: () => string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (existsSync(path)) return false;
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temporary, content(), { flag: 'wx', mode: 0o600 });
    chmodSync(temporary, 0o600);
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new AppError('config_invalid', `cannot create the audit key file ${path}`, { cause: error });
  } finally {
    rmSync(temporary, { force: true });
  }
}

export const defaultAuditPaths = (dataDir: string) => ({
  keyFile: join(resolve(dataDir), 'audit', 'hmac.key'),
  signingKeyFile: join(resolve(dataDir), 'audit', 'checkpoint-signing.pem'),
  checkpointDir: join(resolve(dataDir), 'audit', 'checkpoints'),
});

function loadMacKey(config: AuditConfig, dataDir: string, created: string[]): Buffer {
  if (config.key) return parseMacKey(config.key, 'VIGIL_AUDIT_KEY');
  const path = config.keyFile ?? defaultAuditPaths(dataDir).keyFile;
  // Only the embedded default is made on demand; a configured file that is missing is a mistake.
  if (!config.keyFile && createIfMissing(path, () => `${randomBytes(32).toString('base64')}\n`)) created.push(path);
  return parseMacKey(readKeyFile(path, 'audit HMAC key file'), path);
}

function loadSigningKey(config: AuditConfig, dataDir: string, created: string[]): SigningKey {
  const path = config.signingKeyFile ?? defaultAuditPaths(dataDir).signingKeyFile;
  if (!config.signingKeyFile) {
    const made = createIfMissing(path, () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    if (made) created.push(path);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readKeyFile(path, 'checkpoint signing key file'));
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError('config_invalid', `the checkpoint signing key file ${path} holds no PEM private key`, { cause });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new AppError('config_invalid', `the checkpoint signing key in ${path} must be ed25519, not ${privateKey.asymmetricKeyType}`);
  const publicKey = createPublicKey(privateKey);
  return { id: signingKeyId(publicKey), privateKey, publicKey };
}

/** Loads (and on first start with the defaults, makes) the audit keys. Throws config_invalid with the file named. */
export function loadAuditKeys(config: AuditConfig, dataDir: string): AuditKeyring {
  const created: string[] = [];
  const secret = loadMacKey(config, dataDir, created);
  const mac = { id: macKeyId(secret), secret };
  const macKeys = new Map<string, Buffer>([[mac.id, secret]]);
  for (const file of config.retiredKeyFiles) {
    const retired = parseMacKey(readKeyFile(file, 'retired audit HMAC key file'), file);
    macKeys.set(macKeyId(retired), retired);
  }
  const signing = loadSigningKey(config, dataDir, created);
  return { mac, macKeys, signing, checkpointKeys: new Map([[signing.id, signing.publicKey]]), created };
}

export const checkpointDirOf = (config: AuditConfig, dataDir: string): string => resolve(config.checkpointDir ?? defaultAuditPaths(dataDir).checkpointDir);
