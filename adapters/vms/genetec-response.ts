import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { safeJson } from './json-text.js';

/** The Web SDK's envelope: `{"Rsp":{"Status":"Ok","Result":…}}` with Accept: text/json, else `<rsp status="ok">…</rsp>`. */
export interface GenetecResponse {
  readonly isOk: boolean;
  readonly status: string;
  readonly result: unknown;
  readonly message: string;
}

const jsonSchema = z.object({ Rsp: z.object({ Status: z.string(), Result: z.unknown().optional() }).passthrough() });
const xmlSchema = z.object({ rsp: z.object({ '@_status': z.string() }).passthrough() });

/** Lower-cases element and attribute names, so `<Rsp Status="Ok">` reads like `<rsp status="ok">`. */
function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
}
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });

function describe(result: unknown): string {
  if (result === undefined || result === null) return '';
  if (typeof result === 'string') return result;
  const text = JSON.stringify(result);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Reads either envelope; null when the body is neither (an HTML error page, a proxy's answer). */
export function parseGenetecResponse(body: string): GenetecResponse | null {
  const json = jsonSchema.safeParse(safeJson(body));
  if (json.success) {
    const { Status, Result } = json.data.Rsp;
    return { isOk: Status.toLowerCase() === 'ok', status: Status, result: Result, message: describe(Result) };
  }
  if (!body.trimStart().startsWith('<')) return null;
  let parsed: unknown;
  try {
    parsed = parser.parse(body);
  } catch {
    return null; // not XML either: reported by the caller as an unreadable answer
  }
  const xml = xmlSchema.safeParse(lowerKeys(parsed));
  if (!xml.success) return null;
  const { '@_status': status, ...rest } = xml.data.rsp;
  return { isOk: status.toLowerCase() === 'ok', status, result: rest, message: describe(rest) };
}
