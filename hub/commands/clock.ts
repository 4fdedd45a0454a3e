import type { CommandContext } from '../audit/index.js';

/** The command's clock: the context's when one is injected (tests), the wall clock otherwise. */
export const nowOf = (ctx: Pick<CommandContext, 'now'>): Date => (ctx.now ? ctx.now() : new Date());
