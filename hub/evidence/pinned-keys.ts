import { AppError } from '../../contracts/index.js';
import { keyIdOf, keySetSchema } from './keys.js';

/** A public key the verifier trusts, by kid. */
export interface PinnedKey {
  keyId: string;
  publicKeyPem: string;
}

/**
 * Reads what `--key` names: one PEM public key, or a published key set (JSON, `{ keys: [{ keyId,
 * publicKeyPem, … }] }`) with several keys. Each key's kid is recomputed from the key itself, so a key
 * set cannot pass one key off under another's kid.
 */
export function parsePinnedKeys(text: string, source: string): PinnedKey[] {
  if (text.trimStart().startsWith('-----BEGIN PUBLIC KEY-----')) return [pinned(text, source)];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', `${source} holds neither a PEM public key nor a JSON key set`);
  }
  const parsed = keySetSchema.safeParse(json);
  if (!parsed.success) throw new AppError('bad_request', `${source} holds neither a PEM public key nor a JSON key set ({ keys: [{ keyId, algorithm, publicKeyPem }] })`);
  return parsed.data.keys.map((k) => {
    const key = pinned(k.publicKeyPem, source);
    if (key.keyId !== k.keyId) throw new AppError('bad_request', `${source}: key ${k.keyId.slice(0, 16)}… is not the key its kid names (it is ${key.keyId.slice(0, 16)}…)`);
    return key;
  });
}

function pinned(publicKeyPem: string, source: string): PinnedKey {
  try {
    return { keyId: keyIdOf(publicKeyPem), publicKeyPem };
  } catch (cause) {
    throw new AppError('bad_request', `${source} holds an unusable public key`, { cause });
  }
}
