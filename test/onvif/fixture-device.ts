import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/onvif/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

const FAULT =
  '<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">' +
  '<env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code>' +
  '<env:Reason><env:Text xml:lang="en">Optional Action Not Implemented</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>';

export interface FixtureDevice {
  readonly xaddr: string;
  readonly host: string;
  /** Every SOAP request received, in order ("media2:GetProfiles" for Media2 ones). */
  readonly requests: ReadonlyArray<{ readonly action: string; readonly body: string }>;
  close(): Promise<void>;
}

/**
 * A real HTTP SOAP endpoint answering each action with its fixture file (DEVICE_HOST and PROFILE_TOKEN filled in),
 * and ActionNotSupported for actions it has no file for, as a device would.
 */
export function serveFixtureDevice(files: Readonly<Record<string, string>>, tls = false): Promise<FixtureDevice> {
  const requests: Array<{ action: string; body: string }> = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const [, prefix = '', name = ''] = /Body>\s*<(?:([\w-]+):)?(\w+)/.exec(body) ?? [];
      // Media1 and Media2 share operation names: a Media2 request (ver20/media/wsdl) is looked up as "media2:<action>".
      const namespace = new RegExp(`xmlns:${prefix}="([^"]+)"`).exec(body)?.[1];
      const action = namespace === 'http://www.onvif.org/ver20/media/wsdl' ? `media2:${name}` : name;
      requests.push({ action, body });
      const token = /ProfileToken>([^<]*)</.exec(body)?.[1] ?? '';
      const file = files[action];
      const host = req.headers.host ?? '127.0.0.1';
      const xml = file === undefined ? FAULT : fixture(file).replaceAll('DEVICE_SCHEME', tls ? 'https' : 'http').replaceAll('DEVICE_HOST', host).replaceAll('PROFILE_TOKEN', token);
      res.writeHead(file === undefined ? 500 : 200, { 'content-type': 'application/soap+xml; charset=utf-8' }).end(xml);
    });
  };
  const server: Server = tls ? createTlsServer({ cert: fixture('tls-test-camera.crt'), key: fixture('tls-test-camera.key') }, handler) : createServer(handler);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        xaddr: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/onvif/device_service`,
        host: `127.0.0.1:${port}`,
        requests,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

export const BASE_DEVICE = {
  GetSystemDateAndTime: 'get-system-date-and-time-2020.xml',
  GetCapabilities: 'get-capabilities.xml',
  GetDeviceInformation: 'get-device-information.xml',
  GetStreamUri: 'get-stream-uri.xml',
} as const;
