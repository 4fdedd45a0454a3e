/**
 * Amounts and quantities as receipts print them: `1,234.56`, `-1.99`, `1.99-` (trailing minus, common on
 * IBM/Toshiba and NCR journals), `(1.99)`, `$ 1.99`, `1.99 CR`; with `decimalSeparator: ','` the roles of
 * `.` and `,` swap (`1.234,56`). Returns undefined for anything that is not one number.
 */
export function readNumber(text: string, decimalSeparator: '.' | ','): number | undefined {
  let s = text.trim().replace(/\s*CR$/i, '-');
  let isNegative = false;
  if (/^\(.*\)$/.test(s)) {
    isNegative = true;
    s = s.slice(1, -1);
  }
  s = s.replace(/^[^\d.,+-]+/, '').replace(/[^\d.,+-]+$/, '').trim();
  if (s.endsWith('-')) {
    isNegative = !isNegative;
    s = s.slice(0, -1);
  }
  if (s.startsWith('-')) {
    isNegative = !isNegative;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const thousands = decimalSeparator === '.' ? ',' : '.';
  s = s.split(thousands).join('');
  if (decimalSeparator === ',') s = s.replace(',', '.');
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) return undefined;
  const value = Number(s);
  if (!Number.isFinite(value)) return undefined;
  return isNegative ? -value : value;
}
