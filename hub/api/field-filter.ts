import { subject as caslSubject } from '@casl/ability';
import { permittedFieldsOf } from '@casl/ability/extra';
import type { SubjectName } from '../../policies/index.js';
import type { RequestContext } from './state.js';

/**
 * Field-level rules: removes from a presented record every field the caller may not read (e.g. a tenant
 * policy hiding stream URIs or a cashier's operator id from store staff). Rules without a field list
 * grant every field, so callers without field rules pay only the quick check.
 */
export function visibleFields<T extends Record<string, unknown>>(ctx: RequestContext, subjectName: Exclude<SubjectName, 'all'>, record: object, presented: T): Partial<T> {
  if (!ctx.ability.rules.some((rule) => rule.fields)) return presented;
  const keys = Object.keys(presented);
  const allowed = new Set(
    permittedFieldsOf(ctx.ability, 'read', caslSubject(subjectName, { ...record } as Record<string, unknown>), { fieldsFrom: (rule) => rule.fields ?? keys }),
  );
  allowed.add('id');
  return Object.fromEntries(Object.entries(presented).filter(([key]) => allowed.has(key))) as Partial<T>;
}
