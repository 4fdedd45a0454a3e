import { createHash } from 'node:crypto';
import { AppError, effectiveLaneSettings, idSchema, isAppError, type StoreProgram, type StoreRule, type StoreRulesBody, type StoreRulesDocument } from '../../contracts/index.js';
import { Lane, StoreRulesVersion, type Store } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';
import { programsForStore } from './program-reader.js';

/**
 * The rule types a hub can check settings of. The definitions live with the plugin, which the hub never
 * imports, so the composition root hands them in (`startHub({ ruleCatalog })`).
 */
export interface RuleCatalog {
  names(): readonly string[];
  /** Throws AppError `config_invalid` when `settings` do not fit the rule type (or the time zone is not IANA). */
  check(rule: string, settings: Record<string, unknown>, env: { timezone: string; laneId?: string | undefined }): void;
}

const noCatalogue = (): never => {
  throw new AppError('unavailable', 'this hub was started without a rule catalogue, so it cannot check rule settings');
};

/** A hub started without a catalogue cannot check settings, so it saves no rule (503); reading still works. */
export const unavailableRuleCatalog: RuleCatalog = { names: noCatalogue, check: noCatalogue };

export interface RuleProblem {
  path: string;
  message: string;
}

type Reader = Pick<CommandContext, 'trx' | 'tenantId'>;

/** The version in force (the newest saved), or undefined when the store's rules were never saved. */
export async function latestStoreRules(ctx: Reader, storeId: string): Promise<StoreRulesVersion | undefined> {
  return await StoreRulesVersion.forStore(ctx.trx, ctx.tenantId, storeId).orderBy('version', 'desc').first();
}

const storeIdSchema = idSchema('store');

export const presentStoreRules = (storeId: string, row: StoreRulesVersion | undefined, programs: StoreProgram[] = []): StoreRulesDocument => ({
  storeId: storeIdSchema.parse(storeId),
  version: row?.version ?? 0,
  updatedAt: row ? row.savedAt.toISOString() : null,
  rules: row?.rules ?? [],
  programs,
});

/** A strong entity tag: one per store version and the versions of the programs covering it (the body is a function of these). */
export function storeRulesEtag(document: Pick<StoreRulesDocument, 'storeId' | 'version' | 'programs'>): string {
  const programs = document.programs.map((p) => `${p.id}@${p.version}`).sort().join(',');
  const basis = programs === '' ? `store-rules\n${document.storeId}\n${document.version}` : `store-rules\n${document.storeId}\n${document.version}\n${programs}`;
  return `"${createHash('sha256').update(basis).digest('base64url').slice(0, 27)}"`;
}

/** Lane ids named by the overrides that are not lanes of this store (another store's, another tenant's, made up). */
async function foreignLanes(ctx: Reader, store: Store, rules: readonly StoreRule[]): Promise<Set<string>> {
  const named = [...new Set(rules.flatMap((rule) => Object.keys(rule.lanes)))];
  if (named.length === 0) return new Set();
  const own = await Lane.forTenant(ctx.trx, ctx.tenantId).where('lanes.store_id', store.id).whereIn('lanes.id', named).select('lanes.id');
  const ownIds = new Set(own.map((lane) => lane.id));
  return new Set(named.filter((id) => !ownIds.has(id)));
}

function settingsProblem(catalog: RuleCatalog, rule: StoreRule, settings: Record<string, unknown>, env: { timezone: string; laneId?: string }, path: string): RuleProblem | null {
  try {
    catalog.check(rule.rule, settings, env);
    return null;
  } catch (error) {
    if (isAppError(error) && error.code === 'config_invalid') return { path, message: error.message };
    throw error;
  }
}

/** Every problem of one rule: its type, its store settings, and each lane's effective settings. */
function ruleProblems(catalog: RuleCatalog, rule: StoreRule, index: number, timezone: string, foreign: ReadonlySet<string>): RuleProblem[] {
  const at = `rules[${index}]`;
  if (!catalog.names().includes(rule.rule)) return [{ path: `${at}.rule`, message: `unknown rule type ${rule.rule}; known: ${catalog.names().join(', ')}` }];
  const problems: RuleProblem[] = [];
  // Off store-wide: the store's settings are only a base for lanes that turn it on, each checked below.
  const storeSettings = effectiveLaneSettings(rule, undefined);
  const storeProblem = storeSettings ? settingsProblem(catalog, rule, storeSettings, { timezone }, `${at}.settings`) : null;
  if (storeProblem) problems.push(storeProblem);
  for (const laneId of Object.keys(rule.lanes)) {
    const path = `${at}.lanes.${laneId}`;
    if (foreign.has(laneId)) {
      problems.push({ path, message: 'not a lane of this store' });
      continue;
    }
    const laneSettings = effectiveLaneSettings(rule, laneId);
    const problem = laneSettings ? settingsProblem(catalog, rule, laneSettings, { timezone, laneId }, `${path}.settings`) : null;
    if (problem) problems.push({ ...problem, message: `lane ${laneId}: ${problem.message}` });
  }
  return problems;
}

/** Two rules shown under one name could not be told apart on an incident. */
function duplicateNames(rules: readonly StoreRule[]): RuleProblem[] {
  const seen = new Map<string, number>();
  return rules.flatMap((rule, index) => {
    const shown = rule.name ?? rule.rule;
    const first = seen.get(shown);
    if (first === undefined) seen.set(shown, index);
    return first === undefined ? [] : [{ path: `rules[${index}].name`, message: `rules[${first}] is already shown as ${shown}; give one of them a name` }];
  });
}

/** Checks a document against the rule catalogue, the store's time zone and lanes; 400 listing every problem. */
export async function validateStoreRules(ctx: Reader, catalog: RuleCatalog, store: Store, body: StoreRulesBody): Promise<void> {
  const foreign = await foreignLanes(ctx, store, body.rules);
  const problems = [...body.rules.flatMap((rule, index) => ruleProblems(catalog, rule, index, store.timezone, foreign)), ...duplicateNames(body.rules)];
  if (problems.length === 0) return;
  const summary = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new AppError('validation_failed', `the rules have ${problems.length} problem(s): ${summary}`, { details: { issues: problems } });
}

/** `If-Match`: `*` or one of the listed strong tags must be the current one (weak tags never match, RFC 9110 §13.1.1). */
export function matchesIfMatch(header: string, currentEtag: string): boolean {
  return header.split(',').map((tag) => tag.trim()).some((tag) => tag === '*' || tag === currentEtag);
}

export interface SaveStoreRulesOptions {
  catalog: RuleCatalog;
  /** The request's If-Match header, when it sent one. */
  ifMatch?: string | undefined;
}

/**
 * Replaces a store's rules: checks the precondition and every rule, saves the next version (the earlier ones
 * stay as history) and audits before and after. The caller has locked the store row, so saves of one store
 * queue and versions never collide.
 */
export async function saveStoreRules(ctx: CommandContext, store: Store, body: StoreRulesBody, options: SaveStoreRulesOptions): Promise<StoreRulesDocument> {
  const previous = await latestStoreRules(ctx, store.id);
  const programs = await programsForStore(ctx, store.id);
  const current = presentStoreRules(store.id, previous, programs);
  if (options.ifMatch !== undefined && !matchesIfMatch(options.ifMatch, storeRulesEtag(current))) {
    throw new AppError('precondition_failed', `the rules changed since you read them (now version ${current.version}); read them again`, { details: { version: current.version } });
  }
  await validateStoreRules(ctx, options.catalog, store, body);
  const saved = await StoreRulesVersion.query(ctx.trx).insertAndFetch({
    tenantId: ctx.tenantId, storeId: store.id, version: current.version + 1, rules: body.rules, savedBy: ctx.actor.id, savedAt: nowOf(ctx),
  });
  const after = presentStoreRules(store.id, saved, programs);
  await writeAudit(ctx, {
    action: 'store_rules.updated', subjectType: 'StoreRules', subjectId: store.id,
    before: { version: current.version, rules: current.rules }, after: { version: after.version, rules: after.rules },
  });
  return after;
}

/** Every saved version of a store's rules, newest first (version 0, "no rules", is implied and not listed). */
export async function listStoreRulesVersions(ctx: Reader, storeId: string, limit: number): Promise<StoreRulesVersion[]> {
  return await StoreRulesVersion.forStore(ctx.trx, ctx.tenantId, storeId).orderBy('version', 'desc').limit(limit);
}
