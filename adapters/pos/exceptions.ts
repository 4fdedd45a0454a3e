import type { PosException, PosTransaction } from './types.js';

/** The exceptions a transaction shows; the same rules for POSLog and the JSON form. */
export function detectExceptions(tx: PosTransaction): PosException[] {
  const found = new Set<PosException>();
  if (tx.kind === 'post_void') found.add('post_void');
  if (tx.kind === 'no_sale') found.add('no_sale');
  for (const line of tx.lineItems) {
    if (line.isVoided) continue;
    if (line.type === 'return') found.add('refund');
    if (line.isPriceOverride) found.add('price_override');
    if (line.isManualDiscount) found.add('manual_discount');
  }
  if (tx.kind === 'return') found.add('refund');
  return [...found];
}
