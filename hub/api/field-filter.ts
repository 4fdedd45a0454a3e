import { subject as caslSubject } from '@casl/ability';
import { permittedFieldsOf } from '@casl/ability/extra';
import { AppError } from '../../contracts/index.js';
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

/** Fields of a subject the caller may not read on some record: named by an inverted read rule, or left out of a field list. */
export function hiddenFields(ctx: RequestContext, subjectName: Exclude<SubjectName, 'all'>, candidates: readonly string[]): string[] {
  const rules = ctx.ability.possibleRulesFor('read', subjectName).filter((rule) => rule.fields);
  if (rules.length === 0) return [];
  const permitted = new Set(permittedFieldsOf(ctx.ability, 'read', subjectName, { fieldsFrom: (rule) => rule.fields ?? [...candidates] }));
  const invertedFields = new Set(rules.filter((rule) => rule.inverted).flatMap((rule) => [rule.fields ?? []].flat()));
  return candidates.filter((field) => !permitted.has(field) || invertedFields.has(field));
}

/**
 * A list filter on a hidden field would reveal its values (filter by each value, watch which rows remain),
 * so a filter the caller may not read is refused with 403.
 */
export function refuseHiddenFilters(ctx: RequestContext, subjectName: Exclude<SubjectName, 'all'>, query: Record<string, unknown>, filterFields: readonly string[]): void {
  const used = filterFields.filter((field) => query[field] !== undefined);
  const hidden = hiddenFields(ctx, subjectName, used);
  if (hidden.length > 0) throw new AppError('forbidden', `you may not filter ${subjectName.toLowerCase()}s by ${hidden.join(', ')}: the field is hidden from your role`);
}
