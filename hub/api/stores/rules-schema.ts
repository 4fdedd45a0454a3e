import { z } from 'zod';
import { storeRuleSchema, storeRulesDocumentSchema } from '../../../contracts/index.js';
import { timestamp } from '../common-schemas.js';

/** 64 rules with a few lanes of overrides each fit well inside this; more is a mistake or an attack. */
export const STORE_RULES_BODY_LIMIT = 256 * 1024;

const entityTags = z.string().max(2048);

export const getStoreRulesHeaders = z.object({
  'if-none-match': entityTags.optional().describe('An ETag from an earlier read: 304 with no body while the rules are unchanged.'),
});

export const putStoreRulesHeaders = z.object({
  'if-match': entityTags.optional().describe('The ETag the change is based on: 412 precondition_failed when the rules changed since.'),
});

export const listStoreRulesVersionsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const storeRulesVersionSchema = z.object({
  version: z.number().int().positive(),
  rules: z.array(storeRuleSchema),
  savedBy: z.string(),
  savedAt: timestamp,
});

export const storeRulesVersionsSchema = z.object({ data: z.array(storeRulesVersionSchema) });

export { storeRulesDocumentSchema };
