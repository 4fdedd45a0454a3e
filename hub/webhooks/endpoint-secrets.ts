import type { SecretBox } from './secret-box.js';

/**
 * Which parts of an endpoint row are secret at rest: the whsec_ secrets (columns), every custom header
 * value (an API key usually travels there) and the ServiceNow credentials inside `config`.
 */
type Transform = (value: string) => string;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export function mapHeaders(headers: Record<string, string>, fn: Transform): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, fn(value)]));
}

/** The endpoint config with the ServiceNow password or token passed through `fn`. */
export function mapConfigSecrets(config: Record<string, unknown>, fn: Transform): Record<string, unknown> {
  const servicenow = config.servicenow;
  if (!isRecord(servicenow) || !isRecord(servicenow.auth)) return config;
  const auth = { ...servicenow.auth };
  for (const field of ['password', 'token']) {
    const value = auth[field];
    if (typeof value === 'string') auth[field] = fn(value);
  }
  return { ...config, servicenow: { ...servicenow, auth } };
}

export const sealHeaders = (box: SecretBox, headers: Record<string, string>) => mapHeaders(headers, (v) => box.seal(v));
export const openHeaders = (box: SecretBox, headers: Record<string, string>) => mapHeaders(headers, (v) => box.open(v));

/** `••••1234`: enough to tell two keys apart, never enough to use one. Short values show nothing. */
export const maskValue = (plain: string): string => (plain.length >= 12 ? `••••${plain.slice(-4)}` : '••••');

export const maskHeaders = (box: SecretBox, headers: Record<string, string>) => mapHeaders(headers, (v) => maskValue(box.open(v)));
