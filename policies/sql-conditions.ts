import type { Condition, FieldCondition, CompoundCondition } from '@ucast/mongo2js';
import { rulesToAST } from '@casl/ability/extra';
import type { Knex } from 'knex';
import type { Action, AppAbility, SubjectName } from './types.js';
import { AppError } from '../contracts/index.js';

type WhereBuilder = Knex.QueryBuilder;

const toColumn = (table: string, field: string): string => `${table}.${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

function applyField(qb: WhereBuilder, table: string, node: FieldCondition, negate: boolean): void {
  const column = toColumn(table, node.field);
  const value = node.value as unknown;
  switch (node.operator) {
    case 'eq':
      if (value === null) void (negate ? qb.whereNotNull(column) : qb.whereNull(column));
      else void (negate ? qb.whereNot(column, value as string) : qb.where(column, value as string));
      return;
    case 'ne':
      return applyField(qb, table, { ...node, operator: 'eq' } as FieldCondition, !negate);
    case 'in': {
      const list = Array.isArray(value) ? (value as string[]) : [value as string];
      void (negate ? qb.whereNotIn(column, list) : qb.whereIn(column, list));
      return;
    }
    case 'nin':
      return applyField(qb, table, { ...node, operator: 'in' } as FieldCondition, !negate);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[node.operator];
      void (negate ? qb.whereNot(column, op, value as string) : qb.where(column, op, value as string));
      return;
    }
    default:
      throw new AppError('internal', `policy operator ${node.operator} cannot be turned into SQL`);
  }
}

function applyCondition(qb: WhereBuilder, table: string, node: Condition): void {
  if (node.operator === 'and' || node.operator === 'or' || node.operator === 'not') {
    const children = (node as CompoundCondition).value;
    if (node.operator === 'not') {
      void qb.whereNot((inner) => children.forEach((child) => applyCondition(inner, table, child)));
      return;
    }
    if (children.length === 0) return;
    void qb.where((inner) => {
      for (const child of children) {
        if (node.operator === 'and') void inner.andWhere((c) => applyCondition(c, table, child));
        else void inner.orWhere((c) => applyCondition(c, table, child));
      }
    });
    return;
  }
  applyField(qb, table, node as FieldCondition, false);
}

/**
 * Narrows a query to the rows the ability permits, in SQL, so PostgreSQL filters, sorts and paginates.
 * No permitting rule at all yields `WHERE false`.
 */
export function whereAllowed<T>(query: T, ability: AppAbility, action: Action, subject: Exclude<SubjectName, 'all'>, table: string): T {
  // Knex and objection query builders share the where-family methods used here.
  const qb = query as unknown as WhereBuilder;
  const ast = rulesToAST(ability, action, subject);
  if (ast === null) void qb.whereRaw('false');
  else applyCondition(qb, table, ast);
  return query;
}
