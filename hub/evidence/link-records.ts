import type { Knex } from 'knex';
import { AppError, newId } from '../../contracts/index.js';
import { ApiToken, Session } from '../../models/index.js';
import type { LinkGrant } from './signed-link.js';

export type LinkVariant = 'original' | 'redacted';

export interface LinkRow {
  tenant_id: string;
  id: string;
  target_id: string;
  variant: LinkVariant;
  storage_key: string;
  bytes: number;
  disposition: LinkGrant['disposition'];
  principal_id: string;
  token_id: string | null;
  session_id: string | null;
  issued_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** Who issues a link, with the credential it dies with. */
export interface LinkIssuer {
  tenantId: string;
  principalId: string;
  tokenId?: string | undefined;
  sessionId?: string | undefined;
}

export interface NewLink {
  targetId: string;
  variant: LinkVariant;
  storageKey: string;
  bytes: number;
  disposition: LinkGrant['disposition'];
  issuedAt: Date;
  expiresAt: Date;
}

export async function insertLink(trx: Knex.Transaction, issuer: LinkIssuer, link: NewLink): Promise<LinkRow> {
  const rows = await trx<LinkRow>('evidence_links').insert({
    tenant_id: issuer.tenantId, id: newId('evidenceLink'), target_id: link.targetId, variant: link.variant, storage_key: link.storageKey, bytes: link.bytes, disposition: link.disposition,
    principal_id: issuer.principalId, token_id: issuer.tokenId ?? null, session_id: issuer.sessionId ?? null,
    issued_at: link.issuedAt, expires_at: link.expiresAt,
  }).returning('*');
  const row = rows[0];
  if (!row) throw new AppError('internal', 'link insert returned nothing');
  return row;
}

/**
 * The link a grant whose signature was checked names. Its record is gone only when the retention purge swept
 * it (expired, or its issuer revoked): 404, like a link to purged evidence. A record that disagrees with the
 * signed grant is an altered link.
 */
export async function findLink(trx: Knex.Transaction, grant: LinkGrant): Promise<LinkRow> {
  const row = await trx<LinkRow>('evidence_links').where({ tenant_id: grant.tenantId, id: grant.linkId }).first();
  if (!row) throw new AppError('not_found', 'this evidence link no longer exists (swept once it expired or its issuer was revoked); ask for a new link');
  if (row.target_id !== grant.targetId || row.principal_id !== grant.principalId || row.disposition !== grant.disposition) {
    throw new AppError('signature_invalid', 'this evidence link is malformed or was altered');
  }
  return row;
}

const revoked = () => new AppError('link_revoked', 'the token or session that issued this evidence link was revoked or has ended; ask for a new link');

/** A link lives only as long as the API token or console session that issued it. */
export async function checkIssuer(trx: Knex.Transaction, link: LinkRow, now: Date): Promise<void> {
  if (link.token_id) {
    const token = await ApiToken.forTenant(trx, link.tenant_id).findOne('api_tokens.id', link.token_id);
    if (!token || (token.revokedAt && token.revokedAt <= now) || (token.expiresAt && token.expiresAt <= now)) throw revoked();
  }
  if (link.session_id) {
    const session = await Session.forTenant(trx, link.tenant_id).findOne('sessions.id', link.session_id);
    if (!session || session.expiresAt <= now) throw revoked();
  }
}

/** Marks the link used; true only for its first use (the one that is audited). */
export async function markUsed(trx: Knex.Transaction, link: LinkRow, now: Date): Promise<boolean> {
  const rows = await trx<LinkRow>('evidence_links').where({ tenant_id: link.tenant_id, id: link.id }).whereNull('used_at').update({ used_at: now }).returning('id');
  return rows.length > 0;
}
