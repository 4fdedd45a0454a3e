import { z } from 'zod';
import type { ServiceNowConfig } from './config.js';

export interface TableApiRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body: string;
}

export type TableApiResult =
  | { ok: true; sysId: string; number: string | null }
  | { ok: false; retryable: boolean; message: string };

function read(data: Record<string, unknown>, path: string): string {
  let value: unknown = data;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value === undefined || value === null ? '' : String(value);
}

const render = (template: string, data: Record<string, unknown>): string => template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, path: string) => read(data, path));

function headers(config: ServiceNowConfig): { accept: string; 'content-type': string; authorization: string } {
  const authorization = config.auth.type === 'basic'
    ? `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64')}`
    : `Bearer ${config.auth.token}`;
  return { accept: 'application/json', 'content-type': 'application/json', authorization };
}

const tableUrl = (baseUrl: string, config: ServiceNowConfig, sysId?: string): string =>
  `${baseUrl.replace(/\/+$/, '')}/api/now/table/${config.table}${sysId ? `/${encodeURIComponent(sysId)}` : ''}?sysparm_exclude_reference_link=true`;

/** POST /api/now/table/incident with the mapped fields. */
export function createRequest(baseUrl: string, config: ServiceNowConfig, data: Record<string, unknown>): TableApiRequest {
  const fields: Record<string, string> = {};
  for (const [field, template] of Object.entries(config.fields)) fields[field] = render(template, data);
  const severity = config.severityMap[read(data, 'severity')];
  if (severity) Object.assign(fields, severity);
  return { method: 'POST', url: tableUrl(baseUrl, config), headers: headers(config), body: JSON.stringify(fields) };
}

/**
 * PATCH of the same record on a later transition: a work note always, and state + close code + close
 * notes when the incident is resolved (ServiceNow refuses to resolve without close notes).
 */
export function updateRequest(baseUrl: string, config: ServiceNowConfig, sysId: string, eventType: string, data: Record<string, unknown>): TableApiRequest {
  const state = read(data, 'state');
  const fields: Record<string, string> = { work_notes: `Vigil: incident ${read(data, 'id')} is now ${state} (${eventType}).` };
  if (eventType === 'incident.resolved') {
    fields.state = config.resolvedState;
    fields.close_code = config.closeCode;
    fields.close_notes = read(data, 'outcome.notes') || `Resolved in Vigil: ${read(data, 'outcome.result') || state}`;
  }
  return { method: 'PATCH', url: tableUrl(baseUrl, config, sysId), headers: headers(config), body: JSON.stringify(fields) };
}

/**
 * GET of the record a create would make, by its correlation_id (the Table API's encoded query; `^`
 * separates terms there and is escaped by doubling). Null when the field map sets no correlation_id, so
 * there is nothing to find a record by.
 */
export function lookupRequest(baseUrl: string, config: ServiceNowConfig, data: Record<string, unknown>): TableApiRequest | null {
  const template = config.fields.correlation_id;
  const correlationId = template === undefined ? '' : render(template, data);
  if (correlationId === '') return null;
  const query = new URLSearchParams({ sysparm_query: `correlation_id=${correlationId.replaceAll('^', '^^')}`, sysparm_fields: 'sys_id,number', sysparm_limit: '1' });
  const url = `${baseUrl.replace(/\/+$/, '')}/api/now/table/${config.table}?${query.toString()}`;
  const { authorization, accept } = headers(config);
  return { method: 'GET', url, headers: { accept, authorization }, body: '' };
}

export type LookupResult =
  | { ok: true; found: { sysId: string; number: string | null } | null }
  | { ok: false; retryable: boolean; message: string };

const listSchema = z.object({ result: z.array(z.object({ sys_id: z.string().min(1), number: z.string().optional() })) });

/** Reads the answer of a lookup: 200 with `result: [...]` (empty when no record has the correlation_id). */
export function parseLookup(status: number | null, body: string): LookupResult {
  if (status === 200) {
    let json: unknown = null;
    try {
      json = JSON.parse(body);
    } catch {
      json = null;
    }
    const parsed = listSchema.safeParse(json);
    if (!parsed.success) return { ok: false, retryable: true, message: 'ServiceNow lookup answered 200 without a result list' };
    const first = parsed.data.result[0];
    return { ok: true, found: first ? { sysId: first.sys_id, number: first.number ?? null } : null };
  }
  const failed = parseResponse(status, body);
  return failed.ok ? { ok: false, retryable: true, message: `ServiceNow lookup answered ${status}` } : failed;
}

const resultSchema = z.object({ result: z.object({ sys_id: z.string().min(1), number: z.string().optional() }) });
const errorSchema = z.object({ error: z.object({ message: z.string().optional(), detail: z.string().nullish() }) });

/** Reads a Table API answer: 200/201 with `result.sys_id`, or ServiceNow's `{ error: { message, detail } }`. */
export function parseResponse(status: number | null, body: string): TableApiResult {
  let json: unknown = null;
  try {
    json = body ? JSON.parse(body) : null;
  } catch {
    json = null;
  }
  if (status === 200 || status === 201) {
    const parsed = resultSchema.safeParse(json);
    if (parsed.success) return { ok: true, sysId: parsed.data.result.sys_id, number: parsed.data.result.number ?? null };
    return { ok: false, retryable: true, message: `ServiceNow answered ${status} without result.sys_id` };
  }
  const error = errorSchema.safeParse(json);
  const reason = error.success ? [error.data.error.message, error.data.error.detail].filter(Boolean).join(': ') : body.slice(0, 200);
  // 400/403/404 will not change by retrying the same request; 401 may (credentials fixed meanwhile).
  const retryable = status === null || status === 401 || status === 429 || status >= 500;
  return { ok: false, retryable, message: `ServiceNow ${status ?? 'no response'}: ${reason || 'no detail'}` };
}
