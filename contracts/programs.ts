import { z } from 'zod';
import { idSchema } from './ids.js';

/** Shadow: hits become incidents for central review only (no VMS alarm, no store notification). Live: as any rule. */
export const PROGRAM_MODES = ['shadow', 'live'] as const;
export type ProgramMode = (typeof PROGRAM_MODES)[number];
export const programModeSchema = z.enum(PROGRAM_MODES);

/** What an event raised by a program's rule says about it (the hub decides shadow or live from its own record). */
export const eventProgramSchema = z.strictObject({ id: idSchema('program'), mode: programModeSchema, version: z.number().int().positive() });
export type EventProgram = z.output<typeof eventProgramSchema>;
