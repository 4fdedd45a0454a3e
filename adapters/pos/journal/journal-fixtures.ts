/** Realistic journals for the two built-in grammars, for tests, docs and the demo. */

/** Toshiba/IBM ACE-like 40-column receipt journal (grammar `ace-40`): two transactions and a no-sale. */
export const ACE_40_JOURNAL = [
  '         VIGIL MARKET #0412',
  '     1200 HARBOR BLVD SPRINGFIELD',
  '#0412 T003 TR4821 OP117  11/24/26 10:15',
  '4006381333931 PEN BLUE 2PK    2@   5.00',
  '012345678905  MILK 2% 1L          1.19',
  'VD 012345678905 MILK 2% 1L        1.19-',
  'PO 4006381333931 2.50>1.99        1.99',
  'SUPV 901 OVERRIDE PRICE',
  '          SUBTOTAL                3.69',
  '          TAX 1                   0.22',
  '    ****  BAL DUE                 3.91',
  'CASH                              5.00',
  'CHANGE                            1.09',
  '#0412 T003 TR4821 END    11/24/26 10:16',
  '#0412 T003 NO SALE OP117 11/24/26 10:17',
  '#0412 T003 TR4822 OP117  11/24/26 10:20',
  'RF 0076543210 TOASTER 2-SLICE    24.99-',
  'SUPV 901 OVERRIDE REFUND',
  'CASH                             24.99-',
  '#0412 T003 TR4822 END    11/24/26 10:21',
].join('\r\n') + '\r\n';

/** NCR-like electronic journal (grammar `ncr-ej`): every line timed, 12-hour clock. */
export const NCR_EJ_JOURNAL = [
  '*** 11/24/2026 10:15:02 AM REG 03 TRX 0004821 CSH 117 START ***',
  '10:15:07 AM ITEM     4006381333931 PEN BLUE 2PK            2 X      5.00',
  '10:15:11 AM ITEM     012345678905  MILK 2% 1L              1 X      1.19',
  '10:15:15 AM VOID     012345678905  MILK 2% 1L              1 X     -1.19',
  '10:15:20 AM PRICE OVR 4006381333931 PEN BLUE 2PK WAS 2.50 NOW 1.99',
  '10:15:24 AM SUPV OVR  MGR 901 REASON PRICE MATCH',
  '10:15:26 AM SUBTOTAL                                        3.69',
  '10:15:26 AM TAX                                             0.22',
  '10:15:30 AM TENDER   CASH                                   5.00',
  '10:15:30 AM CHANGE                                          1.09',
  '10:15:31 AM DRAWER OPEN',
  '*** 11/24/2026 10:15:40 AM REG 03 TRX 0004821 TOTAL 3.91 END ***',
  '*** 11/24/2026 10:16:02 AM REG 03 CSH 117 NO SALE ***',
  '10:16:02 AM DRAWER OPEN',
  '*** 11/24/2026 12:20:00 PM REG 03 TRX 0004822 CSH 117 START ***',
  '12:20:05 PM RETURN   0076543210    TOASTER 2-SLICE         1 X    -24.99',
  '12:20:09 PM SUPV OVR  MGR 901 REASON RETURN',
  '12:20:15 PM TENDER   CASH                                 -24.99',
  '*** 11/24/2026 12:20:20 PM REG 03 TRX 0004822 TOTAL -24.99 END ***',
].join('\n') + '\n';
