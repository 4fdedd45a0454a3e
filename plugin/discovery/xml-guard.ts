import { AppError } from '../../contracts/index.js';

// A DTD is how entity-expansion (billion laughs) and external-entity (XXE) attacks get in; SOAP 1.2 forbids DTDs,
// so a camera or anything on the network answering with one is refused outright.
const FORBIDDEN = /<!(DOCTYPE|ENTITY)/i;

export const UNSAFE_XML_MARKER = 'vigil:unsafe-xml';

export function assertSafeXml(xml: string, where: string): void {
  if (FORBIDDEN.test(xml)) {
    throw new AppError('malformed_xml', `${UNSAFE_XML_MARKER}: ${where} contains a DTD or entity declaration; refused`);
  }
}
