import type { Knex } from 'knex';
import { Webhook } from 'standardwebhooks';
import { AppError } from '../../contracts/index.js';
import { WebhookSettings } from '../../models/index.js';
import type { SecretBox } from './secret-box.js';

/** The tenant's inbound secret, opened from its sealed form; null when uploads need no signature. */
export async function inboundSecret(trx: Knex.Transaction | Knex, tenantId: string, box: SecretBox): Promise<string | null> {
  const settings = await WebhookSettings.query(trx).findById(tenantId).select('tenant_id', 'inbound_secret');
  return settings?.inboundSecret ? box.open(settings.inboundSecret) : null;
}

/**
 * Checks a Standard Webhooks signature on a body posted TO the hub: a forged signature, a tampered body
 * or a timestamp more than five minutes away (replay) is refused with 401.
 */
export function verifyInbound(secret: string, body: string, headers: Record<string, string | string[] | undefined>): void {
  const one = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
  };
  const signed = { 'webhook-id': one('webhook-id'), 'webhook-timestamp': one('webhook-timestamp'), 'webhook-signature': one('webhook-signature') };
  if (!signed['webhook-id'] || !signed['webhook-timestamp'] || !signed['webhook-signature']) {
    throw new AppError('unauthenticated', 'this tenant requires signed uploads: webhook-id, webhook-timestamp and webhook-signature headers');
  }
  try {
    // XML bodies too: verify the bytes, do not JSON-parse them.
    new Webhook(secret).verify(body, signed, { jsonParse: false });
  } catch (cause) {
    throw new AppError('unauthenticated', `the upload's signature does not verify: ${(cause as Error).message}`, { cause });
  }
}
