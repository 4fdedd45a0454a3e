import { z } from 'zod';
import { environmentNameSchema, idSchema } from '../../../contracts/index.js';
import { ROLES } from '../../../policies/index.js';
import { name, timestamp } from '../common-schemas.js';
import { pageQuery } from '../pagination.js';

/** People have every role but `plugin`, which is for machines. */
export const HUMAN_ROLES = ROLES.filter((role) => role !== 'plugin') as Exclude<(typeof ROLES)[number], 'plugin'>[];

export const userSchema = z.object({
  id: z.string(), email: z.string(), name: z.string(), role: z.string(),
  storeIds: z.array(z.string()), regionIds: z.array(z.string()), environments: z.array(z.string()),
  issuer: z.string().nullable(), provisionedBy: z.enum(['oidc', 'admin']),
  createdAt: timestamp, updatedAt: timestamp, lastLoginAt: timestamp.nullable(), disabledAt: timestamp.nullable(),
});

const scope = {
  storeIds: z.array(idSchema('store')).max(1000),
  regionIds: z.array(idSchema('region')).max(100),
  environments: z.array(environmentNameSchema).min(1).max(20).describe('Environments the person may switch the console to'),
};

export const createUserBody = z.strictObject({
  email: z.email().max(320).transform((value) => value.toLowerCase()),
  name: name.optional(),
  role: z.enum(HUMAN_ROLES),
  storeIds: scope.storeIds.default([]),
  regionIds: scope.regionIds.default([]),
  environments: scope.environments.default(['production']),
});

export const updateUserBody = z.strictObject({
  name: name.optional(),
  role: z.enum(HUMAN_ROLES).optional(),
  storeIds: scope.storeIds.optional(),
  regionIds: scope.regionIds.optional(),
  environments: scope.environments.optional(),
});

export const listUsersQuery = z.strictObject({
  ...pageQuery,
  role: z.enum(HUMAN_ROLES).optional(),
  email: z.string().max(320).optional(),
});
