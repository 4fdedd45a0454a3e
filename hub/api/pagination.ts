import type { Model, QueryBuilder } from 'objection';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size (1-200).'),
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page\'s nextCursor.'),
};

const cursorSchema = z.strictObject({ after: z.string().regex(/^[a-z]{3}_[0-9a-z]{10,40}$/) });

export function encodeCursor(afterId: string): string {
  return Buffer.from(JSON.stringify({ after: afterId })).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).after;
  } catch (cause) {
    throw new AppError('invalid_cursor', 'the cursor is not one this API issued', { cause });
  }
}

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/**
 * Keyset pagination on the (time-sortable) id, newest first. Fetches one extra row to know whether a
 * next page exists.
 */
export async function paginate<T extends Model & { id: string }>(
  builder: QueryBuilder<T, T[]>,
  table: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ rows: T[]; nextCursor: string | null }> {
  if (page.cursor) void builder.where(`${table}.id`, '<', decodeCursor(page.cursor));
  const rows = await builder.orderBy(`${table}.id`, 'desc').limit(page.limit + 1);
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, nextCursor: hasMore && last ? encodeCursor(last.id) : null };
}
