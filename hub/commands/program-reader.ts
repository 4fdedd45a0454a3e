import { storeRuleSchema, type StoreProgram } from '../../contracts/index.js';
import { Program } from '../../models/index.js';
import type { CommandContext } from '../audit/index.js';

type Reader = Pick<CommandContext, 'trx' | 'tenantId'>;

/** A program as its stores' plugins pull it: id, mode, version, lanes and rules. */
export const asStoreProgram = (p: Program): StoreProgram => ({
  id: p.id as StoreProgram['id'], name: p.name, mode: p.mode, version: p.version,
  laneIds: p.laneIds as StoreProgram['laneIds'], rules: p.rules.map((rule) => storeRuleSchema.parse(rule)),
});

/** The active programs of this environment that cover a store, oldest first. */
export async function programsForStore(ctx: Reader, storeId: string): Promise<StoreProgram[]> {
  const rows = await Program.forTenant(ctx.trx, ctx.tenantId).where('programs.state', 'active').whereRaw('? = ANY(programs.store_ids)', [storeId]).orderBy('programs.id');
  return rows.map(asStoreProgram);
}
