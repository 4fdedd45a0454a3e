import { z } from 'zod';
import { AppError, SEVERITIES } from '../../../contracts/index.js';
import type { Incident } from '../../../models/index.js';
import { encodeCursor, type Page, type PageRequest } from '../pagination.js';

/** Severity as a number (low 1 .. critical 4), in SQL: the leading key of the review queue's order. */
export const SEVERITY_RANK_SQL = `CASE incidents.severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i + 1}`).join(' ')} ELSE 0 END`;
export const severityRank = (severity: string): number => SEVERITIES.indexOf(severity as (typeof SEVERITIES)[number]) + 1;

const cursorSchema = z.strictObject({ after: z.string().regex(/^inc_[0-9a-z]{10,40}$/), key: z.number().int().min(0).max(SEVERITIES.length) });

interface OrderedQuery extends PromiseLike<Incident[]> {
  whereRaw(sql: string, bindings: Array<string | number>): unknown;
  orderByRaw(sql: string): unknown;
  orderBy(column: string, direction: 'asc' | 'desc'): unknown;
  limit(count: number): unknown;
}

/**
 * The review queue's order, most severe first and newest first within a severity, as keyset pages: the
 * cursor holds the last row's severity rank and id (the same opaque form `paginate` issues).
 */
export async function paginateBySeverity(builder: OrderedQuery, page: PageRequest): Promise<Page<Incident>> {
  if (page.cursor) {
    let cursor: z.infer<typeof cursorSchema>;
    try {
      cursor = cursorSchema.parse(JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')));
    } catch (cause) {
      throw new AppError('invalid_cursor', 'the cursor is not one this API issued', { cause });
    }
    void builder.whereRaw(`(${SEVERITY_RANK_SQL}, incidents.id) < (?, ?)`, [cursor.key, cursor.after]);
  }
  void builder.orderByRaw(`${SEVERITY_RANK_SQL} DESC`);
  void builder.orderBy('incidents.id', 'desc');
  void builder.limit(page.limit + 1);
  const rows = await builder;
  const hasMore = rows.length > page.limit;
  const pageRows = hasMore ? rows.slice(0, page.limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { rows: pageRows, nextCursor: hasMore && last ? encodeCursor(last.id, severityRank(last.severity)) : null };
}
