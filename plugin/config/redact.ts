const SECRET_KEYS = /^(token|password|secret|apiKey)$/i;

/** Collects the secret strings of a raw config (tokens, passwords, credentials inside URLs). */
export function collectSecrets(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectSecrets(item, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && SECRET_KEYS.test(key) && item.length > 0) out.add(item);
      else collectSecrets(item, out);
    }
  } else if (typeof value === 'string' && URL.canParse(value)) {
    const url = new URL(value);
    if (url.password !== '') out.add(decodeURIComponent(url.password)).add(url.password);
    if (url.username !== '') out.add(`${url.username}:`);
  }
  return out;
}

/** Replaces every known secret in `text`; messages about the config pass through here before printing. */
export function redact(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 3) out = out.split(secret).join('***');
  }
  return out;
}
