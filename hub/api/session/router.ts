import { z } from 'zod';
import { ACTIONS, SUBJECTS, type Action, type SubjectName } from '../../../policies/index.js';
import { defineRoute } from '../route.js';

type Subject = Exclude<SubjectName, 'all'>;
const ASKED_ACTIONS = ACTIONS.filter((a): a is Exclude<Action, 'manage'> => a !== 'manage');
const ASKED_SUBJECTS = SUBJECTS.filter((s): s is Subject => s !== 'all');

/**
 * What the caller's policy could allow, by subject: an action is listed when some rule grants it on some
 * record of the subject (conditions are not evaluated, so a listed action may still be refused for a
 * particular record). The console reads it to leave out links and controls the role cannot use; every
 * route still asks the ability itself.
 */
export const sessionRoutes = [
  defineRoute({
    method: 'get', path: '/v1/session/permissions', operationId: 'getSessionPermissions', tag: 'Environments',
    summary: 'The actions the caller\'s policy could allow on each subject (for interfaces; every route still decides for itself)',
    responses: { 200: { description: 'Actions by subject', schema: z.object({ role: z.string(), can: z.record(z.string(), z.array(z.string())) }) } },
    handler: (_input, ctx) => {
      const can: Partial<Record<Subject, string[]>> = {};
      for (const subject of ASKED_SUBJECTS) {
        const actions = ASKED_ACTIONS.filter((action) => ctx.ability.can(action, subject));
        if (actions.length > 0) can[subject] = actions;
      }
      return Promise.resolve({ status: 200, body: { role: ctx.principal.role, can } });
    },
  }),
];
