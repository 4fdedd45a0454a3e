import { DEFAULT_EXCEPTION_RULES, type ExceptionRules, type PosException, type PosLineItem, type PosTransaction } from './types.js';

const isItem = (line: PosLineItem): boolean => line.type === 'sale' || line.type === 'return';

/**
 * A price keyed in at the till: the actual price below the regular one with no price modifier, manual
 * discount or reason to explain it. Read from the prices themselves, so the JSON form (which may not set
 * `isPriceOverride`) and POSLog are judged alike.
 */
function isPriceOverride(line: PosLineItem): boolean {
  if (line.isPriceOverride) return true;
  if (line.isPriceModified || line.isManualDiscount || line.reason !== null) return false;
  return line.regularPrice !== null && line.actualPrice !== null && line.actualPrice < line.regularPrice;
}

/** The value a voided line took off the receipt: its extended amount, else unit price times quantity. */
function voidedValue(line: PosLineItem): number {
  if (line.amount !== null) return Math.abs(line.amount);
  const price = line.actualPrice ?? line.regularPrice ?? 0;
  return Math.abs(price * (line.quantity ?? 1));
}

function voidExceptions(voided: PosLineItem[], rules: ExceptionRules): PosException[] {
  if (voided.length === 0) return [];
  const value = voided.reduce((sum, line) => sum + voidedValue(line), 0);
  const isOverThreshold = voided.length >= rules.voidCountThreshold || value >= rules.voidAmountThreshold;
  return isOverThreshold ? ['line_void', 'void_threshold'] : ['line_void'];
}

/** The exceptions a transaction shows; the same rules for POSLog and the JSON form. */
export function detectExceptions(tx: PosTransaction, rules: ExceptionRules = DEFAULT_EXCEPTION_RULES): PosException[] {
  const found = new Set<PosException>();
  if (tx.kind === 'post_void') found.add('post_void');
  if (tx.kind === 'no_sale') found.add('no_sale');
  for (const line of tx.lineItems) {
    if (line.isSupervisorOverride) found.add('supervisor_override');
    if (line.isVoided) continue;
    if (line.type === 'return') found.add('refund');
    if (isItem(line) && isPriceOverride(line)) found.add('price_override');
    if (line.isManualDiscount) found.add('manual_discount');
  }
  if (tx.kind === 'return') found.add('refund');
  if (tx.isSupervisorOverride) found.add('supervisor_override');
  // A post-void cancels the whole receipt: its lines' void flags are that cancellation, not line voids.
  if (tx.kind !== 'post_void') for (const kind of voidExceptions(tx.lineItems.filter((l) => l.isVoided && isItem(l)), rules)) found.add(kind);
  return [...found];
}
