import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { AppError } from '../../contracts/index.js';
import { posTransactionSchema, type PosDocument, type PosLineItem, type PosRejection, type PosTransaction } from './types.js';

export const ARTS_NAMESPACE = 'http://www.nrf-arts.org/IXRetail/namespace/';

type Node = Record<string, unknown>;

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Children of `node` named `name` in the ARTS namespace (prefixed or not), always as an array. */
function children(node: unknown, name: string, prefix: string): Node[] {
  if (node === null || typeof node !== 'object') return [];
  const value = (node as Node)[`${prefix}${name}`];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (v !== null && typeof v === 'object' ? (v as Node) : { '#text': v }));
}

function text(node: unknown, name: string, prefix: string): string | null {
  const [first] = children(node, name, prefix);
  if (!first) return null;
  const value = first['#text'];
  return value === undefined || value === '' ? null : String(value);
}

const attr = (node: Node | undefined, name: string): string | null => (node?.[`@_${name}`] === undefined ? null : String(node[`@_${name}`]));
const num = (value: string | null): number | null => (value === null || Number.isNaN(Number(value)) ? null : Number(value));
const isTrue = (value: string | null): boolean => value !== null && /^(true|1)$/i.test(value);

const OVERRIDE_ELEMENTS = new Set(['SupervisorOverride', 'ApprovalOverride']);
const SUPERVISOR_REASON = /supervisor|approv|manager|mgr/i;

/**
 * Whether a supervisor approved something under `node`: a SupervisorOverride or ApprovalOverride element
 * (ARTS, or a vendor extension of that name) or a reason code naming a supervisor or an approval. Depth
 * is bounded by the parser's nesting limit.
 */
function hasSupervisorOverride(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node as Node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    const name = local(key);
    if (OVERRIDE_ELEMENTS.has(name)) return true;
    const values = Array.isArray(value) ? value : [value];
    if (name === 'ReasonCode' && values.some((v) => SUPERVISOR_REASON.test(String(typeof v === 'object' && v !== null ? ((v as Node)['#text'] ?? '') : v)))) return true;
    if (values.some((v) => hasSupervisorOverride(v))) return true;
  }
  return false;
}

function lineItem(node: Node, p: string): PosLineItem {
  const isVoided = isTrue(attr(node, 'VoidFlag')) || isTrue(text(node, 'VoidFlag', p));
  const base = {
    itemId: null, description: null, quantity: null, amount: null, regularPrice: null, actualPrice: null, tenderType: null, isVoided,
    isPriceOverride: false, isManualDiscount: false, isPriceModified: false, isSupervisorOverride: hasSupervisorOverride(node), reason: null,
  };
  const [sale] = children(node, 'Sale', p);
  const [ret] = children(node, 'Return', p);
  const [tender] = children(node, 'Tender', p);
  const [discount] = children(node, 'Discount', p);
  const item = sale ?? ret;
  if (item) {
    const modifiers = children(item, 'RetailPriceModifier', p);
    const reasons = modifiers.map((m) => text(m, 'ReasonCode', p) ?? '').join(' ');
    const regular = num(text(item, 'RegularSalesUnitPrice', p));
    const actual = num(text(item, 'ActualSalesUnitPrice', p));
    // An actual price below the regular one with no price modifier to explain it is a keyed-in price.
    const isPriceOverride = children(item, 'PriceOverride', p).length > 0 || /override/i.test(reasons) || (modifiers.length === 0 && regular !== null && actual !== null && actual < regular);
    return {
      ...base, type: sale ? 'sale' : 'return', itemId: text(item, 'ItemID', p), description: text(item, 'Description', p),
      quantity: num(text(item, 'Quantity', p)), amount: num(text(item, 'ExtendedAmount', p)), regularPrice: regular, actualPrice: actual,
      isPriceOverride, isManualDiscount: modifiers.some((m) => isTrue(text(m, 'ManualFlag', p))) || /manual/i.test(reasons), isPriceModified: modifiers.length > 0,
      reason: reasons.trim() || null,
    };
  }
  if (tender) return { ...base, type: 'tender', tenderType: attr(tender, 'TenderType'), amount: num(text(tender, 'Amount', p)) };
  if (discount) {
    return { ...base, type: 'discount', amount: num(text(discount, 'Amount', p)), reason: text(discount, 'ReasonCode', p), isManualDiscount: isTrue(attr(discount, 'ManualFlag')) || /manual/i.test(text(discount, 'ReasonCode', p) ?? '') };
  }
  return { ...base, type: 'other' };
}

function kindOf(tx: Node, retail: Node | undefined, control: Node | undefined, p: string, lines: PosLineItem[]): PosTransaction['kind'] {
  if (control) {
    if (children(control, 'NoSale', p).length > 0) return 'no_sale';
    if (children(control, 'PostVoid', p).length > 0) return 'post_void';
    return 'control';
  }
  if (retail) {
    if (/postvoid/i.test(attr(retail, 'TransactionStatus') ?? '') || children(tx, 'PostVoid', p).length > 0) return 'post_void';
    const live = lines.filter((l) => !l.isVoided);
    if (live.some((l) => l.type === 'return') && !live.some((l) => l.type === 'sale')) return 'return';
    return 'sale';
  }
  return 'other';
}

const without = (node: Node, name: string): Node => Object.fromEntries(Object.entries(node).filter(([key]) => local(key) !== name));

type Parsed = { ok: true; transaction: PosTransaction } | { ok: false; rejection: PosRejection };

function transaction(tx: Node, p: string, index: number): Parsed {
  const [retail] = children(tx, 'RetailTransaction', p);
  const [control] = children(tx, 'ControlTransaction', p);
  const lines = retail ? children(retail, 'LineItem', p).map((l) => lineItem(l, p)) : [];
  const begin = text(tx, 'BeginDateTime', p);
  // The NCR export writes only EndDateTime (no BeginDateTime); its date is then the business day's best guess.
  const end = text(tx, 'EndDateTime', p);
  const totals = retail ? children(retail, 'Total', p) : [];
  const grand = totals.find((t) => /grand/i.test(attr(t, 'TotalType') ?? '')) ?? totals[0];
  const candidate = {
    posStoreId: text(tx, 'RetailStoreID', p), workstationId: text(tx, 'WorkstationID', p), sequenceNumber: text(tx, 'SequenceNumber', p),
    businessDay: text(tx, 'BusinessDayDate', p) ?? (begin ?? end)?.slice(0, 10) ?? null, beginAt: begin, endAt: end,
    operatorId: text(tx, 'OperatorID', p), kind: kindOf(tx, retail, control, p, lines), total: grand ? num(String(grand['#text'] ?? '')) : null,
    // Lines carry their own flag: here only what sits on the transaction itself.
    isSupervisorOverride: hasSupervisorOverride(without(tx, 'RetailTransaction')) || (retail !== undefined && hasSupervisorOverride(without(retail, 'LineItem'))),
    lineItems: lines, raw: tx,
  };
  const parsed = posTransactionSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, transaction: parsed.data };
  const issue = parsed.error.issues[0];
  const sequenceNumber = candidate.sequenceNumber ?? undefined;
  return {
    ok: false,
    rejection: { index: index + 1, ...(sequenceNumber ? { sequenceNumber: sequenceNumber.slice(0, 40) } : {}), code: 'validation_failed', message: `Transaction ${index + 1}: ${issue?.path.join('.')}: ${issue?.message}` },
  };
}

/**
 * Deepest element nesting accepted. ARTS POSLog needs about 8 levels (POSLog > Transaction >
 * RetailTransaction > LineItem > Sale > RetailPriceModifier > Amount) plus vendor extensions; anything
 * far deeper is an attack on the parser, refused with 400 `malformed_xml`.
 */
export const MAX_POSLOG_DEPTH = 64;

const parser = new XMLParser({
  maxNestedTags: MAX_POSLOG_DEPTH,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only the five predefined entities remain: a DOCTYPE (the only way to declare others) is refused first.
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['Transaction', 'LineItem', 'Total', 'RetailPriceModifier'].includes(local(name)),
});

function parseXml(xml: string): Node {
  try {
    return parser.parse(xml) as Node;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // fast-xml-parser 5 throws a bare Error for documents its validator let through ("Maximum nested tags exceeded").
    if (/nested tags/i.test(message)) throw new AppError('malformed_xml', `elements nested deeper than ${MAX_POSLOG_DEPTH} levels are refused`, { cause, details: { maxDepth: MAX_POSLOG_DEPTH } });
    throw new AppError('malformed_xml', `malformed XML: ${message}`, { cause });
  }
}

/**
 * Parses an ARTS POSLog document (or a bare Transaction) into normalised transactions. DTDs and entity
 * declarations are refused before parsing (entity expansion bombs, external entities); malformed XML is
 * refused with the validator's line and column. Elements of other namespaces (vendor extensions) are
 * kept in each transaction's `raw` and otherwise ignored. A transaction that is not valid on its own (no
 * WorkstationID, a bad date) is refused alone, with its position, and the others are kept.
 */
export function parsePosLog(xml: string): PosDocument {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw new AppError('malformed_xml', 'POSLog documents may not contain a DOCTYPE or entity declarations');
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: true });
  if (valid !== true) throw new AppError('malformed_xml', `malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  const doc = parseXml(xml);
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && ['POSLog', 'Transaction'].includes(local(k)));
  if (!rootName) throw new AppError('validation_failed', 'expected a POSLog or Transaction root element');
  const root = (Array.isArray(doc[rootName]) ? (doc[rootName] as Node[])[0] : doc[rootName]) as Node;
  const prefix = rootName.includes(':') ? `${rootName.slice(0, rootName.indexOf(':'))}:` : '';
  const namespace = attr(root, prefix ? `xmlns:${prefix.slice(0, -1)}` : 'xmlns');
  if (namespace !== null && namespace.replace(/\/?$/, '/') !== ARTS_NAMESPACE) throw new AppError('validation_failed', `unexpected namespace ${namespace}; expected ${ARTS_NAMESPACE}`);
  const transactions = local(rootName) === 'Transaction' ? (Array.isArray(doc[rootName]) ? (doc[rootName] as Node[]) : [root]) : children(root, 'Transaction', prefix);
  if (transactions.length === 0) throw new AppError('validation_failed', 'the POSLog holds no Transaction');
  const document: { transactions: PosTransaction[]; rejected: PosRejection[] } = { transactions: [], rejected: [] };
  transactions.forEach((tx, i) => {
    const parsed = transaction(tx, prefix, i);
    if (parsed.ok) document.transactions.push(parsed.transaction);
    else document.rejected.push(parsed.rejection);
  });
  return document;
}
