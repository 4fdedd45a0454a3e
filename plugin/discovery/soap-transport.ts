// The HTTP leg of node-onvif's SOAP requests, replaced: node-onvif posts with node:http only (an https device URL
// failed with ERR_INVALID_PROTOCOL) and never answers an HTTP 401 (a camera that wants HTTP Digest on its SOAP
// endpoint, besides or instead of WS-UsernameToken, was reported as refusing the credentials). Here:
// - https device URLs, verified by the system CAs, or, when a certificate SHA-256 fingerprint is pinned for the
//   host (cameras have self-signed certificates), by that fingerprint alone, checked before the request is sent;
// - one retry with HTTP Digest when the answer is 401 with a Digest challenge (credentials from node-onvif's URL auth).
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { digestAuthorization, parseDigestChallenge } from './http-digest.js';

/** What node-onvif hands its _request (a legacy url.parse() result). */
export interface LegacyUrl {
  readonly protocol?: string | null;
  readonly hostname?: string | null;
  readonly port?: string | null;
  readonly pathname?: string | null;
  readonly auth?: string | null;
}

interface SoapResponse {
  readonly status: number;
  readonly statusText: string;
  readonly body: string;
  readonly challenge: string | string[] | undefined;
}

const pins = new Map<string, string>();
const hostKey = (host: string, port: string | number): string => `${host.toLowerCase()}:${port}`;

/** Pins the certificate of https://host:port (node-onvif's SOAP client is a process-wide singleton, hence a registry). */
export function pinCertificate(url: URL, sha256: string): void {
  pins.set(hostKey(url.hostname.replace(/^\[|\]$/g, ''), url.port || 443), normaliseFingerprint(sha256));
}

export function normaliseFingerprint(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

/** node-onvif's contract: resolve the body of a 200, reject Error("<status> <text>[ - fault reason]") otherwise. */
export async function postSoap(oxaddr: LegacyUrl, soap: string, timeoutMs: number): Promise<string> {
  let response = await post(oxaddr, soap, timeoutMs, undefined);
  const [user, ...rest] = (oxaddr.auth ?? '').split(':');
  const challenge = response.status === 401 ? parseDigestChallenge(response.challenge) : null;
  if (challenge !== null && user) {
    const authorization = digestAuthorization(challenge, 'POST', oxaddr.pathname ?? '/', decodeURIComponent(user), decodeURIComponent(rest.join(':')));
    response = await post(oxaddr, soap, timeoutMs, authorization);
  }
  if (response.status === 200) return response.body;
  const reason = /<(?:\w+:)?Text[^>]*>([^<]*)</.exec(response.body)?.[1];
  throw new Error(`${response.status} ${response.statusText}${reason ? ` - ${reason}` : ''}`);
}

function post(oxaddr: LegacyUrl, soap: string, timeoutMs: number, authorization: string | undefined): Promise<SoapResponse> {
  const https = oxaddr.protocol === 'https:';
  const host = oxaddr.hostname ?? '';
  const port = oxaddr.port ?? (https ? '443' : '80');
  const pin = https ? pins.get(hostKey(host.replace(/^\[|\]$/g, ''), port)) : undefined;
  const options: RequestOptions & { rejectUnauthorized?: boolean } = {
    hostname: host, port, path: oxaddr.pathname ?? '/', method: 'POST', timeout: timeoutMs,
    headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(soap), ...(authorization ? { Authorization: authorization } : {}) },
    // A fresh connection per pinned request: a reused keep-alive socket would not emit secureConnect again.
    ...(pin === undefined ? {} : { rejectUnauthorized: false, agent: false }),
  };
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(options, (res) => collect(res).then(resolve, reject));
    req.on('timeout', () => req.destroy(new Error('Network Error: timed out')));
    req.on('error', (error) => reject(error.message.startsWith('Network Error') ? error : new Error(`Network Error: ${error.message}`)));
    if (pin === undefined) {
      req.end(soap);
      return;
    }
    req.on('socket', (socket) => socket.once('secureConnect', () => {
      const actual = normaliseFingerprint((socket as TLSSocket).getPeerCertificate().fingerprint256 ?? '');
      if (actual === pin) req.end(soap);
      else req.destroy(new Error(`certificate pin mismatch: the device presented SHA-256 ${actual}`));
    }));
  });
}

function collect(res: IncomingMessage): Promise<SoapResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => resolve({
      status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks).toString('utf8'), challenge: res.headers['www-authenticate'],
    }));
  });
}
