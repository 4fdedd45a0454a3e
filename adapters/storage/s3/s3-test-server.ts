import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

export interface S3TestServer {
  endpoint: string;
  close(): Promise<void>;
}

/** s3rver (a fake but real-HTTP S3 server) on an ephemeral port of 127.0.0.1, with one bucket. Tests and benches only. */
export async function startS3Server(directory: string, bucket: string, port = 0): Promise<S3TestServer> {
  const server = new S3rver({ port, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const address = (await server.run()) as AddressInfo;
  let closed = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}
