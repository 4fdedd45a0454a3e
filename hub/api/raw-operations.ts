/**
 * Routes that read or write raw bodies (chunked evidence bytes, POSLog XML, signed playback) and so are
 * mounted beside the zod-described routes. They are described here so the OpenAPI document lists every
 * route; a test checks the document against the routers.
 */
export interface RawOperation {
  method: 'get' | 'post' | 'patch';
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** Bearer/session authentication, or the signature in the URL. */
  auth: 'bearer' | 'signed-url';
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required: boolean; description: string }>;
  requestContentTypes?: string[];
  responses: Record<number, string>;
}

import { incidentStreamOperation } from './incidents/stream-route.js';

export const RAW_OPERATIONS: RawOperation[] = [
  incidentStreamOperation,
  {
    method: 'patch', path: '/v1/evidence/uploads/:id', operationId: 'uploadEvidenceChunk', tag: 'Evidence', auth: 'bearer',
    summary: 'Append a chunk to a resumable upload (tus-like): Upload-Offset must equal the bytes received so far',
    parameters: [
      { name: 'id', in: 'path', required: true, description: 'The upload id.' },
      { name: 'upload-offset', in: 'header', required: true, description: 'Offset of this chunk; a gap or overlap answers 409.' },
    ],
    requestContentTypes: ['application/offset+octet-stream'],
    responses: { 204: 'Chunk stored; Upload-Offset says the new offset, Evidence-Id the item once complete', 409: 'Offset mismatch', 413: 'Chunk or item too large', 422: 'Hash or media check failed; nothing kept' },
  },
  {
    method: 'get', path: '/v1/evidence/files/:id', operationId: 'getEvidenceFile', tag: 'Evidence', auth: 'signed-url',
    summary: 'Play or download an evidence item or export through a short-lived signed URL (Range requests answer 206)',
    parameters: [
      { name: 'id', in: 'path', required: true, description: 'The item or export id.' },
      { name: 't', in: 'query', required: true, description: 'Tenant the link was minted in.' },
      { name: 'p', in: 'query', required: true, description: 'Principal the link was minted for (audited on every view).' },
      { name: 'd', in: 'query', required: true, description: 'Disposition: inline or attachment.' },
      { name: 'e', in: 'query', required: true, description: 'Expiry, epoch milliseconds.' },
      { name: 's', in: 'query', required: true, description: 'HMAC-SHA-256 signature over all of the above and the id.' },
    ],
    responses: { 200: 'The bytes', 206: 'The requested range', 403: 'Expired (link_expired) or altered (signature_invalid) link', 416: 'Range not satisfiable' },
  },
  {
    method: 'post', path: '/v1/pos/transactions', operationId: 'ingestPosTransactions', tag: 'POS', auth: 'bearer',
    summary: 'Post ARTS POSLog XML or the JSON form: one transaction up to a whole day\'s export (idempotent per store, workstation, sequence and business day)',
    requestContentTypes: ['application/xml', 'application/json'],
    responses: { 200: 'Per-transaction results', 400: 'Malformed or refused XML (DTD, entities)', 413: 'Body too large', 415: 'Unsupported content type' },
  },
];
