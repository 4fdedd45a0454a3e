import { AppError, newId, type ProgramMode, type StoreRule } from '../../contracts/index.js';
import { Lane, Program, ProgramVersion, Store } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { nowOf } from './clock.js';
import { programFigures, type ProgramFigures } from './program-figures.js';
import { validateStoreRules, type RuleCatalog } from './store-rules-editor.js';

export interface ProgramScope {
  storeIds: string[];
  laneIds: string[];
  rules: StoreRule[];
}

export interface NewProgram extends ProgramScope {
  name: string;
}

export const describeProgram = (p: Program) => ({
  id: p.id, name: p.name, environment: p.environment, mode: p.mode, state: p.state, version: p.version, storeIds: p.storeIds, laneIds: p.laneIds,
  rules: p.rules, createdBy: p.createdBy, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
});

export const describeVersion = (v: ProgramVersion) => ({
  version: v.version, change: v.change, mode: v.mode, storeIds: v.storeIds, laneIds: v.laneIds, rules: v.rules, figures: v.figures,
  reason: v.reason, changedBy: v.changedBy, changedAt: v.changedAt.toISOString(),
});

/** Stores of this environment, lanes of those stores, and rules every store of the program can run. */
async function requireScope(ctx: CommandContext, catalog: RuleCatalog, scope: ProgramScope): Promise<void> {
  const stores = await Store.forTenant(ctx.trx, ctx.tenantId).whereIn('stores.id', scope.storeIds);
  const missing = scope.storeIds.filter((id) => !stores.some((s) => s.id === id));
  if (missing.length > 0) throw new AppError('not_found', `store(s) not found: ${missing.join(', ')}`, { details: { field: 'storeIds', missing } });
  if (scope.laneIds.length > 0) {
    const lanes = await Lane.forTenant(ctx.trx, ctx.tenantId).whereIn('lanes.id', scope.laneIds).whereIn('lanes.store_id', scope.storeIds).select('lanes.id');
    const foreign = scope.laneIds.filter((id) => !lanes.some((l) => l.id === id));
    if (foreign.length > 0) throw new AppError('validation_failed', `lane(s) not in the program's stores: ${foreign.join(', ')}`, { details: { field: 'laneIds', foreign } });
  }
  for (const store of stores) await validateStoreRules(ctx, catalog, store, { rules: scope.rules });
}

async function recordVersion(ctx: CommandContext, program: Program, change: ProgramVersion['change'], extra: { reason?: string | null; figures?: ProgramFigures | null } = {}): Promise<void> {
  await ProgramVersion.query(ctx.trx).insert({
    tenantId: ctx.tenantId, programId: program.id, version: program.version, change, mode: program.mode, storeIds: program.storeIds, laneIds: program.laneIds,
    rules: program.rules, figures: (extra.figures ?? null) as Record<string, unknown> | null, reason: extra.reason ?? null, changedBy: ctx.actor.id, changedAt: nowOf(ctx),
  });
}

/** Starts a program in shadow mode: its rules run on the stores' plugins, its hits are reviewed centrally only. */
export async function createProgram(ctx: CommandContext, catalog: RuleCatalog, input: NewProgram): Promise<Program> {
  await requireScope(ctx, catalog, input);
  if (await Program.forTenant(ctx.trx, ctx.tenantId).findOne('programs.name', input.name)) throw new AppError('conflict', `a program named ${input.name} exists`, { details: { field: 'name' } });
  const now = nowOf(ctx);
  const program = await Program.query(ctx.trx).insertAndFetch({
    tenantId: ctx.tenantId, id: newId('program', now.getTime()), name: input.name, mode: 'shadow', storeIds: [...new Set(input.storeIds)], laneIds: [...new Set(input.laneIds)],
    rules: input.rules, version: 1, state: 'active', createdBy: ctx.actor.id, createdAt: now, updatedAt: now,
  });
  await recordVersion(ctx, program, 'created');
  await writeAudit(ctx, { action: 'program.created', subjectType: 'Program', subjectId: program.id, after: describeProgram(program) });
  return program;
}

async function nextVersion(ctx: CommandContext, program: Program, patch: Partial<Pick<Program, 'mode' | 'storeIds' | 'laneIds' | 'rules' | 'state'>>): Promise<Program> {
  return Program.query(ctx.trx).patchAndFetchById([ctx.tenantId, program.id], { ...patch, version: program.version + 1, updatedAt: nowOf(ctx) });
}

function requireActive(program: Program): void {
  if (program.state !== 'active') throw new AppError('conflict', `program ${program.id} has ended`);
}

/** Changes the stores, lanes or rules (a new version the plugins pull); the mode stays. */
export async function updateProgram(ctx: CommandContext, catalog: RuleCatalog, program: Program, patch: { [K in keyof ProgramScope]?: ProgramScope[K] | undefined }, reason: string): Promise<Program> {
  requireActive(program);
  const scope = { storeIds: patch.storeIds ?? program.storeIds, laneIds: patch.laneIds ?? program.laneIds, rules: patch.rules ?? (program.rules as StoreRule[]) };
  await requireScope(ctx, catalog, scope);
  const updated = await nextVersion(ctx, program, { storeIds: [...new Set(scope.storeIds)], laneIds: [...new Set(scope.laneIds)], rules: scope.rules });
  await recordVersion(ctx, updated, 'updated', { reason });
  await writeAudit(ctx, { action: 'program.updated', subjectType: 'Program', subjectId: program.id, before: describeProgram(program), after: { ...describeProgram(updated), reason } });
  return updated;
}

/**
 * Shadow to live: from the next pull the program's hits alarm the VMS and notify like any rule. The figures it was
 * based on (precision from reviewers' verdicts, alerts per store-day, the stores outside) are measured now and kept
 * with the version and the audit record.
 */
export async function promoteProgram(ctx: CommandContext, program: Program, reason: string): Promise<{ program: Program; figures: ProgramFigures }> {
  requireActive(program);
  if (program.mode === 'live') throw new AppError('conflict', `program ${program.id} is live already`);
  const figures = await programFigures(ctx, program, nowOf(ctx));
  const promoted = await nextVersion(ctx, program, { mode: 'live' satisfies ProgramMode });
  await recordVersion(ctx, promoted, 'promoted', { reason, figures });
  await writeAudit(ctx, { action: 'program.promoted', subjectType: 'Program', subjectId: program.id, before: { mode: program.mode, version: program.version }, after: { mode: 'live', version: promoted.version, reason, figures } });
  return { program: promoted, figures };
}

/** Restores the configuration of the version before the current one (mode, stores, lanes, rules) as a new version. */
export async function rollBackProgram(ctx: CommandContext, program: Program, reason: string): Promise<{ program: Program; figures: ProgramFigures }> {
  requireActive(program);
  const previous = await ProgramVersion.query(ctx.trx).where({ tenant_id: ctx.tenantId, program_id: program.id }).where('version', '<', program.version).orderBy('version', 'desc').first();
  if (!previous) throw new AppError('conflict', `program ${program.id} has no earlier version to roll back to`);
  const figures = await programFigures(ctx, program, nowOf(ctx));
  const restored = await nextVersion(ctx, program, { mode: previous.mode, storeIds: previous.storeIds, laneIds: previous.laneIds, rules: previous.rules });
  await recordVersion(ctx, restored, 'rolled_back', { reason, figures });
  await writeAudit(ctx, {
    action: 'program.rolled_back', subjectType: 'Program', subjectId: program.id,
    before: { mode: program.mode, version: program.version }, after: { mode: restored.mode, version: restored.version, restoredVersion: previous.version, reason, figures },
  });
  return { program: restored, figures };
}

/** Ends a program: its rules leave the plugins at their next pull; its incidents and figures stay. */
export async function endProgram(ctx: CommandContext, program: Program, reason: string): Promise<Program> {
  requireActive(program);
  const ended = await nextVersion(ctx, program, { state: 'ended' });
  await recordVersion(ctx, ended, 'ended', { reason });
  await writeAudit(ctx, { action: 'program.ended', subjectType: 'Program', subjectId: program.id, before: { state: 'active' }, after: { state: 'ended', version: ended.version, reason } });
  return ended;
}
