import { z } from 'zod';
import { idSchema, isTimeZone } from '../../contracts/index.js';

export const idParams = <K extends Parameters<typeof idSchema>[0]>(kind: K) => z.strictObject({ id: idSchema(kind) });

export const timezoneSchema = z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' });

export const name = z.string().trim().min(1).max(200);

export const timestamp = z.string().describe('ISO 8601 date-time');

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
