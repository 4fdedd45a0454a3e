import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';

// DTDs enable entity expansion (billion laughs) and external entities (XXE); SOAP 1.2 forbids them outright.
const FORBIDDEN = /<!(DOCTYPE|ENTITY)/i;
const MAX_SOAP_BYTES = 256 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

const envelopeSchema = z.object({
  Envelope: z.object({
    Header: z.unknown().optional(),
    Body: z.record(z.string(), z.unknown()),
  }),
});

export interface SoapRequest {
  /** Local name of the first element in the Body, e.g. "GetProfiles". */
  readonly action: string;
  readonly header: unknown;
  readonly payload: unknown;
}

/** Parses a SOAP request the camera received; DOCTYPE/ENTITY and oversized bodies are refused. */
export function parseSoapRequest(xml: string): SoapRequest {
  if (xml.length > MAX_SOAP_BYTES) throw new AppError('payload_too_large', 'SOAP request too large');
  if (FORBIDDEN.test(xml)) throw new AppError('malformed_xml', 'SOAP request with a DTD or entity declaration refused');
  let tree: unknown;
  try {
    tree = parser.parse(xml, true);
  } catch (error) {
    throw new AppError('malformed_xml', 'SOAP request is not well-formed XML', { cause: error });
  }
  const parsed = envelopeSchema.safeParse(tree);
  if (!parsed.success) throw new AppError('malformed_xml', 'not a SOAP envelope');
  const body = parsed.data.Envelope.Body;
  const action = Object.keys(body).find((k) => !k.startsWith('@_'));
  if (!action) throw new AppError('malformed_xml', 'SOAP Body is empty');
  return { action, header: parsed.data.Envelope.Header, payload: body[action] };
}

export const NS = {
  env: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
  wsnt: 'http://docs.oasis-open.org/wsn/b-2',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wstop: 'http://docs.oasis-open.org/wsn/t-1',
  tns1: 'http://www.onvif.org/ver10/topics',
} as const;

export function envelope(body: string): string {
  const xmlns = Object.entries(NS).map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`).join(' ');
  return `<?xml version="1.0" encoding="UTF-8"?><env:Envelope ${xmlns}><env:Body>${body}</env:Body></env:Envelope>`;
}

/** SOAP 1.2 fault in the ONVIF error namespace, e.g. ("Sender", "NotAuthorized"). */
export function fault(code: 'Sender' | 'Receiver', subcode: string, reason: string): string {
  return envelope(
    `<env:Fault><env:Code><env:Value>env:${code}</env:Value><env:Subcode><env:Value>ter:${subcode}</env:Value></env:Subcode></env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${escapeXml(reason)}</env:Text></env:Reason></env:Fault>`,
  );
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}
