/** POSLog documents for tests and the demo: a realistic shape (ARTS 6 style) with a vendor extension. */
export interface FixtureTransaction {
  store: string;
  workstation: string;
  sequence: number;
  day?: string;
  body?: string;
}

export function saleLines(): string {
  return `
      <LineItem><SequenceNumber>1</SequenceNumber>
        <Sale ItemType="Stock"><ItemID>4006381333931</ItemID><Description>Pen</Description><RegularSalesUnitPrice>2.50</RegularSalesUnitPrice>
          <ActualSalesUnitPrice>2.50</ActualSalesUnitPrice><ExtendedAmount>5.00</ExtendedAmount><Quantity>2</Quantity></Sale></LineItem>
      <LineItem VoidFlag="true"><SequenceNumber>2</SequenceNumber>
        <Sale><ItemID>111</ItemID><RegularSalesUnitPrice>9.99</RegularSalesUnitPrice><ActualSalesUnitPrice>9.99</ActualSalesUnitPrice><ExtendedAmount>9.99</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem>
      <LineItem><SequenceNumber>3</SequenceNumber><Tender TenderType="Cash"><Amount>5.00</Amount></Tender></LineItem>`;
}

export function posLog(transactions: FixtureTransaction[], options: { prefix?: string } = {}): string {
  const p = options.prefix ? `${options.prefix}:` : '';
  const ns = options.prefix ? `xmlns:${options.prefix}` : 'xmlns';
  const tx = transactions.map((t) => `
  <${p}Transaction>
    <${p}RetailStoreID>${t.store}</${p}RetailStoreID>
    <${p}WorkstationID>${t.workstation}</${p}WorkstationID>
    <${p}SequenceNumber>${t.sequence}</${p}SequenceNumber>
    <${p}BusinessDayDate>${t.day ?? '2026-11-24'}</${p}BusinessDayDate>
    <${p}BeginDateTime>${t.day ?? '2026-11-24'}T10:15:00</${p}BeginDateTime>
    <${p}EndDateTime>${t.day ?? '2026-11-24'}T10:16:30</${p}EndDateTime>
    <${p}OperatorID>op7</${p}OperatorID>
    ${t.body ?? `<${p}RetailTransaction>${saleLines().replaceAll('<', `<${p}`).replaceAll(`<${p}/`, `</${p}`)}<${p}Total TotalType="TransactionGrandAmount">5.00</${p}Total></${p}RetailTransaction>`}
    <acme:Loyalty xmlns:acme="urn:acme:pos:ext"><acme:Card>990011</acme:Card></acme:Loyalty>
  </${p}Transaction>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${p}POSLog ${ns}="http://www.nrf-arts.org/IXRetail/namespace/">${tx}\n</${p}POSLog>\n`;
}

export const NO_SALE = '<ControlTransaction><NoSale/></ControlTransaction>';
export const POST_VOID = `<RetailTransaction TransactionStatus="PostVoided">${saleLines()}<Total TotalType="TransactionGrandAmount">5.00</Total></RetailTransaction>`;
export const REFUND = '<RetailTransaction><LineItem><Return><ItemID>222</ItemID><RegularSalesUnitPrice>20.00</RegularSalesUnitPrice><ActualSalesUnitPrice>20.00</ActualSalesUnitPrice><ExtendedAmount>-20.00</ExtendedAmount><Quantity>1</Quantity></Return></LineItem><LineItem><Tender TenderType="Cash"><Amount>-20.00</Amount></Tender></LineItem></RetailTransaction>';
export const OVERRIDE_AND_MANUAL = `<RetailTransaction>
  <LineItem><Sale><ItemID>333</ItemID><RegularSalesUnitPrice>10.00</RegularSalesUnitPrice><ActualSalesUnitPrice>4.00</ActualSalesUnitPrice><ExtendedAmount>4.00</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem>
  <LineItem><Sale><ItemID>444</ItemID><RegularSalesUnitPrice>8.00</RegularSalesUnitPrice><ActualSalesUnitPrice>6.00</ActualSalesUnitPrice><ExtendedAmount>6.00</ExtendedAmount><Quantity>1</Quantity>
    <RetailPriceModifier><Amount Action="Subtract">2.00</Amount><ReasonCode>MANUAL</ReasonCode><ManualFlag>true</ManualFlag></RetailPriceModifier></Sale></LineItem>
</RetailTransaction>`;
