import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../contracts/index.js';

const PREFIX = 'enc:v1:';

/** The id stored beside every sealed value: the first 12 hex digits of the key's SHA-256. */
export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 12);

function decodeKey(text: string, origin: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new AppError('config_invalid', `${origin} must be 32 bytes in base64 (openssl rand -base64 32)`);
  return key;
}

/**
 * Seals secrets at rest with AES-256-GCM: `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url). New
 * values are sealed with the current key; values sealed with a previous key still open, so a key
 * rotation is: make the new key current, keep the old one as previous, run `vigil secrets reencrypt`.
 * A value without the prefix is a plaintext left from before encryption, opened as is until re-encrypted.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(private readonly current: Buffer, previous: readonly Buffer[] = []) {
    this.currentKeyId = keyIdOf(current);
    for (const key of [current, ...previous]) this.keys.set(keyIdOf(key), key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.currentKeyId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${sealed.toString('base64url')}`;
  }

  open(value: string): string {
    if (!value.startsWith(PREFIX)) return value;
    const [keyId = '', iv = '', tag = '', data = ''] = value.slice(PREFIX.length).split(':');
    const key = this.keys.get(keyId);
    if (!key) throw new AppError('internal', `a secret is sealed with key ${keyId}, which is not configured (VIGIL_SECRETS_PREVIOUS_KEYS)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new AppError('internal', `a secret sealed with key ${keyId} does not open (corrupt or wrong key)`, { cause });
    }
  }

  /** Whether a stored value is sealed with the current key (otherwise re-encryption rewrites it). */
  isCurrent(value: string): boolean {
    return value.startsWith(`${PREFIX}${this.currentKeyId}:`);
  }

  /** Opens a value sealed with any known key and seals it again with the current one. */
  reseal(value: string): string {
    return this.isCurrent(value) ? value : this.seal(this.open(value));
  }
}

export interface SecretKeySettings {
  dataDir: string;
  secretsKey?: string | undefined;
  secretsKeyFile?: string | undefined;
  previousSecretsKeys: readonly string[];
}

/** Reads the key file, or creates it (32 random bytes, mode 0600) when it does not exist yet. */
function keyFromFile(file: string, mayCreate: boolean): Buffer {
  try {
    return decodeKey(readFileSync(file, 'utf8'), `key file ${file}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !mayCreate) throw error;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    // Another process of the same hub created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey(readFileSync(file, 'utf8'), `key file ${file}`);
}

const boxes = new Map<string, SecretBox>();

/**
 * The hub's secret box: the key from `VIGIL_SECRETS_KEY`, else from `VIGIL_SECRETS_KEY_FILE`, else from
 * `<dataDir>/secrets.key`, created on first start (the embedded default). One box per distinct setting.
 */
export function secretBoxFor(settings: SecretKeySettings): SecretBox {
  const cacheKey = JSON.stringify(settings);
  let box = boxes.get(cacheKey);
  if (!box) {
    const current = settings.secretsKey !== undefined
      ? decodeKey(settings.secretsKey, 'VIGIL_SECRETS_KEY')
      : keyFromFile(settings.secretsKeyFile ?? path.join(settings.dataDir, 'secrets.key'), settings.secretsKeyFile === undefined);
    box = new SecretBox(current, settings.previousSecretsKeys.map((k) => decodeKey(k, 'VIGIL_SECRETS_PREVIOUS_KEYS')));
    boxes.set(cacheKey, box);
  }
  return box;
}
