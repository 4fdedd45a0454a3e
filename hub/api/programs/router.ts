import { z } from 'zod';
import { idSchema, storeRuleSchema } from '../../../contracts/index.js';
import { Program, ProgramVersion } from '../../../models/index.js';
import { programFigures } from '../../commands/program-figures.js';
import {
  createProgram, describeProgram, describeVersion, endProgram, promoteProgram, rollBackProgram, updateProgram,
} from '../../commands/program-manager.js';
import { authorizeType, orNotFound } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { defineRoute, type AnyRouteSpec } from '../route.js';
import type { HubServices } from '../services.js';
import type { RequestContext } from '../state.js';

const tag = 'Programs';
const params = z.strictObject({ id: idSchema('program') });
const reason = z.string().trim().min(1).max(1000);
const figuresSchema = z.record(z.string(), z.unknown()).describe('precision from verdicts and alerts per store-day, inside the program and outside it');
const programSchema = z.object({
  id: z.string(), name: z.string(), environment: z.string(), mode: z.enum(['shadow', 'live']), state: z.enum(['active', 'ended']), version: z.number().int(),
  storeIds: z.array(z.string()), laneIds: z.array(z.string()), rules: z.array(z.unknown()), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
});
const versionSchema = z.object({
  version: z.number().int(), change: z.string(), mode: z.string(), storeIds: z.array(z.string()), laneIds: z.array(z.string()), rules: z.array(z.unknown()),
  figures: figuresSchema.nullable(), reason: z.string().nullable(), changedBy: z.string(), changedAt: z.string(),
});
const scope = {
  storeIds: z.array(idSchema('store')).min(1).max(1000),
  laneIds: z.array(idSchema('lane')).max(1000),
  rules: z.array(storeRuleSchema).min(1).max(64),
};

async function load(ctx: RequestContext, id: string, action: 'read' | 'update'): Promise<Program> {
  authorizeType(ctx, action, 'Program');
  const query = Program.forTenant(ctx.trx, ctx.principal.tenantId).findOne('programs.id', id);
  return orNotFound(await (action === 'update' ? query.forUpdate() : query), 'program');
}

export const programRoutes = (services: Pick<HubServices, 'ruleCatalog'>): AnyRouteSpec[] => [
  defineRoute({
    method: 'post', path: '/v1/programs', operationId: 'createProgram', tag,
    summary: 'Start a pilot: rules for a set of stores (or lanes) in shadow mode, reviewed centrally until promoted',
    body: z.strictObject({ name: z.string().trim().min(1).max(100), storeIds: scope.storeIds, laneIds: scope.laneIds.default([]), rules: scope.rules }),
    responses: { 201: { description: 'The program, in shadow mode', schema: programSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'Program');
      return { status: 201, body: describeProgram(await createProgram(commandContext(ctx), services.ruleCatalog, body)) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/programs', operationId: 'listPrograms', summary: 'Programs of this environment, newest first', tag,
    responses: { 200: { description: 'Programs', schema: z.object({ data: z.array(programSchema) }) } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'Program');
      const rows = await Program.forTenant(ctx.trx, ctx.principal.tenantId).orderBy('programs.id', 'desc').limit(500);
      return { status: 200, body: { data: rows.map(describeProgram) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/programs/:id', operationId: 'getProgram', summary: 'A program and every version of it (promotions with their figures)', tag, params,
    responses: { 200: { description: 'The program', schema: programSchema.extend({ versions: z.array(versionSchema) }) } },
    handler: async ({ params: { id } }, ctx) => {
      const program = await load(ctx, id, 'read');
      const versions = await ProgramVersion.forTenant(ctx.trx, ctx.principal.tenantId).where('program_id', program.id).orderBy('version', 'desc');
      return { status: 200, body: { ...describeProgram(program), versions: versions.map(describeVersion) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/programs/:id/figures', operationId: 'getProgramFigures', tag, params,
    summary: "What the program measured: precision from reviewers' verdicts and alerts per store-day, beside the stores outside it",
    responses: { 200: { description: 'Figures since the program started', schema: figuresSchema } },
    handler: async ({ params: { id } }, ctx) => {
      const program = await load(ctx, id, 'read');
      return { status: 200, body: await programFigures(commandContext(ctx), program, ctx.now()) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/programs/:id', operationId: 'updateProgram', summary: 'Change the stores, lanes or rules (a new version the plugins pull)', tag, params,
    body: z.strictObject({ storeIds: scope.storeIds.optional(), laneIds: scope.laneIds.optional(), rules: scope.rules.optional(), reason }),
    responses: { 200: { description: 'The new version', schema: programSchema } },
    handler: async ({ params: { id }, body }, ctx) => {
      const program = await load(ctx, id, 'update');
      const { reason: why, ...patch } = body;
      return { status: 200, body: describeProgram(await updateProgram(commandContext(ctx), services.ruleCatalog, program, patch, why)) };
    },
  }),
  ...(['promote', 'rollback', 'end'] as const).map((move) => defineRoute({
    method: 'post', path: `/v1/programs/:id/${move}`, operationId: `${move}Program`, tag, params,
    summary: move === 'promote' ? 'Shadow to live, recording the figures it was based on' : move === 'rollback' ? 'Restore the previous version (mode, stores, rules), recording the figures' : 'End the program: its rules leave the plugins',
    body: z.strictObject({ reason }),
    responses: { 200: { description: 'The program after the move', schema: programSchema.extend({ figures: figuresSchema.optional() }) } },
    handler: async ({ params: { id }, body }, ctx) => {
      const program = await load(ctx, id, 'update');
      const command = commandContext(ctx);
      if (move === 'end') return { status: 200, body: describeProgram(await endProgram(command, program, body.reason)) };
      const moved = move === 'promote' ? await promoteProgram(command, program, body.reason) : await rollBackProgram(command, program, body.reason);
      return { status: 200, body: { ...describeProgram(moved.program), figures: moved.figures } };
    },
  })),
];
