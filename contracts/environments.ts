import { z } from 'zod';

/** Every tenant has production; others (staging, sandbox…) are made on demand. */
export const PRODUCTION_ENVIRONMENT = 'production';

/** What an environment may be called: lower-case, digits and dashes, 2 to 31 characters, starting with a letter. */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{1,30}$/;

export const ENVIRONMENT_KINDS = ['production', 'staging', 'sandbox'] as const;
export type EnvironmentKind = (typeof ENVIRONMENT_KINDS)[number];

export const environmentNameSchema = z.string().regex(ENVIRONMENT_NAME, 'an environment name is 2 to 31 lower-case letters, digits or dashes, starting with a letter');
