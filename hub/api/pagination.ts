import { z } from 'zod';
import { AppError } from '../../contracts/index.js';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size (1-200).'),
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page\'s nextCursor.'),
};

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<Row> {
  rows: Row[];
  nextCursor: string | null;
}

type SortValue = string | number;

interface Cursor {
  after: string;
  key?: SortValue | undefined;
}

const cursorSchema = z.strictObject({
  after: z.string().regex(/^[a-z]{3}_[0-9a-z]{10,40}$/),
  key: z.union([z.string().max(100), z.number()]).optional(),
});

export function encodeCursor(afterId: string, key?: SortValue): string {
  return Buffer.from(JSON.stringify(key === undefined ? { after: afterId } : { after: afterId, key })).toString('base64url');
}

function decodeKeysetCursor(cursor: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch (cause) {
    throw new AppError('invalid_cursor', 'the cursor is not one this API issued', { cause });
  }
}

/** The id a cursor continues after (for callers that still page by hand; prefer `paginate`). */
export const decodeCursor = (cursor: string): string => decodeKeysetCursor(cursor).after;

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/**
 * What the paginator needs of a query: an objection QueryBuilder and a knex QueryBuilder both fit, so one
 * paginator serves models and plain tables alike.
 */
export interface KeysetQuery<Row> extends PromiseLike<Row[]> {
  where(column: string, operator: string, value: SortValue): unknown;
  whereRaw(sql: string, bindings: SortValue[]): unknown;
  orderBy(column: string, direction: 'asc' | 'desc'): unknown;
  limit(count: number): unknown;
}

export interface KeysetOptions<Row> {
  /** A second, leading sort key (e.g. `occurred_at`), with how to read it from a row; the id breaks ties. */
  sortBy?: { column: string; valueOf: (row: Row) => SortValue };
}

/**
 * Keyset pagination, newest first: on the (time-sortable) id of `table`, or on another sort key then the
 * id. Fetches one extra row to know whether a next page exists.
 */
export async function paginate<Row extends { id: string }>(
  builder: KeysetQuery<Row>,
  table: string,
  page: PageRequest,
  options: KeysetOptions<Row> = {},
): Promise<Page<Row>> {
  const idColumn = `${table}.id`;
  const sortBy = options.sortBy;
  if (page.cursor) {
    const cursor = decodeKeysetCursor(page.cursor);
    if (!sortBy) void builder.where(idColumn, '<', cursor.after);
    else if (cursor.key === undefined) throw new AppError('invalid_cursor', 'the cursor is not one this API issued');
    else void builder.whereRaw('(??, ??) < (?, ?)', [sortBy.column, idColumn, cursor.key, cursor.after]);
  }
  if (sortBy) void builder.orderBy(sortBy.column, 'desc');
  void builder.orderBy(idColumn, 'desc');
  void builder.limit(page.limit + 1);
  const rows = await builder;
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  const nextCursor = hasMore && last ? encodeCursor(last.id, sortBy?.valueOf(last)) : null;
  return { rows: pageRows, nextCursor };
}

/** A page as the API answers it: the presented rows and the cursor of the next page. */
export const presentPage = <Row, Out>(page: Page<Row>, present: (row: Row) => Out) => ({ data: page.rows.map(present), nextCursor: page.nextCursor });
