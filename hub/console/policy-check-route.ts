import { z } from 'zod';
import { AppError, idSchema } from '../../contracts/index.js';
import { ROLES } from '../../policies/index.js';
import type { ConsoleContext } from './api-view.js';
import { parseDraft, type DraftProblem } from './policy-yaml.js';

const BODY_LIMIT = 256 * 1024;
const checkBody = z.object({ text: z.string().max(200_000), storeId: idSchema('store').optional() });
const problemList = z.array(z.object({ path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]).optional(), message: z.string() }));
const dryRunAnswer = z.object({ warnings: problemList, refusals: problemList }).passthrough();
const refusalAnswer = z.object({ error: z.object({ message: z.string(), details: z.object({ issues: problemList.optional() }).passthrough().optional() }) });

export interface LintItem extends DraftProblem { kind: 'problem' | 'warning' | 'refusal' }

async function jsonBody(ctx: ConsoleContext): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new AppError('payload_too_large', 'the draft is larger than 256 KiB');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'the body is not JSON');
  }
}

/** A problem's path as the API writes it (a string, or a schema issue's keys) in the editor's form: `rules[0].subject`. */
const pathText = (path: string | Array<string | number> | undefined): string => {
  if (path === undefined) return '';
  if (typeof path === 'string') return path.replace(/^body\./, '').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key), '');
};

/**
 * `POST /console/admin/policies/{role}/check`: the editor's YAML draft parsed here, then checked by the hub's
 * own validation: `PUT /v1/policies/{role}?dryRun=true` with the browser's session (and its Origin, so the
 * API's same-origin check judges the browser's request). Every problem comes back with the draft's line it
 * names. Saves nothing: saving is the API's PUT, which refuses what this check lists.
 */
export async function policyCheckRoute(ctx: ConsoleContext, internalUrl: () => string): Promise<void> {
  const role = z.enum(ROLES).safeParse(ctx.params.role);
  if (!role.success) throw new AppError('not_found', 'no such role');
  const body = checkBody.safeParse(await jsonBody(ctx));
  if (!body.success) throw new AppError('validation_failed', 'expected { text, storeId? }', { details: { issues: body.error.issues } });
  const parsed = parseDraft(body.data.text);
  ctx.set('cache-control', 'no-store');
  if ('problem' in parsed) {
    ctx.body = { document: null, problems: [{ kind: 'problem', ...parsed.problem }], report: null };
    return;
  }
  const query = new URLSearchParams({ dryRun: 'true', ...(body.data.storeId ? { storeId: body.data.storeId } : {}) });
  const response = await fetch(`${internalUrl()}/v1/policies/${encodeURIComponent(role.data)}?${query}`, {
    method: 'PUT', body: JSON.stringify(parsed.document),
    headers: {
      cookie: ctx.get('cookie'), origin: ctx.get('origin'), 'sec-fetch-site': ctx.get('sec-fetch-site'),
      'x-request-id': ctx.state.requestId, 'content-type': 'application/json', accept: 'application/json',
    },
  });
  const answer: unknown = await response.json();
  const at = (kind: LintItem['kind']) => (p: { path?: string | Array<string | number> | undefined; message: string }): LintItem => {
    const path = pathText(p.path);
    return { kind, path, message: p.message, line: parsed.lineOf(path) };
  };
  if (response.ok) {
    const report = dryRunAnswer.parse(answer);
    ctx.body = { document: parsed.document, problems: [...report.refusals.map(at('refusal')), ...report.warnings.map(at('warning'))], report };
    return;
  }
  const refusal = refusalAnswer.safeParse(answer);
  if (response.status === 400 && refusal.success) {
    const issues = refusal.data.error.details?.issues ?? [{ message: refusal.data.error.message }];
    ctx.body = { document: parsed.document, problems: issues.map(at('problem')), report: null };
    return;
  }
  ctx.status = response.status;
  ctx.body = answer;
}
