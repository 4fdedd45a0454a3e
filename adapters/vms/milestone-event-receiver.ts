import { createServer, type Server, type Socket } from 'node:net';

/** One request the receiver took in whole, with the moment its last byte arrived (epoch ms, sub-ms precision). */
export interface ReceivedAlarm {
  readonly customTag: string;
  readonly at: number;
  readonly bytes: Buffer;
}

export const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * A Milestone Event Server's analytics-event port as documented: one HTTP POST per connection, a 200 with
 * the body "OK" back. It notes when each request's last byte arrived and which CustomTag it carried, and
 * tells `onAlarm` (the demo logs each one). For tests, benchmarks and the demo: a stand-in for the VMS.
 */
export class MilestoneReceiver {
  private readonly server: Server;
  private readonly waiting = new Map<string, (alarm: ReceivedAlarm) => void>();
  readonly received: ReceivedAlarm[] = [];

  constructor(private readonly onAlarm?: (alarm: ReceivedAlarm) => void) {
    this.server = createServer((socket) => this.serve(socket));
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Resolves when a request with this CustomTag has fully arrived. */
  arrival(customTag: string): Promise<ReceivedAlarm> {
    const seen = this.received.find((r) => r.customTag === customTag);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiting.set(customTag, resolve));
  }

  private serve(socket: Socket): void {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const whole = Buffer.concat(chunks);
      const headerEnd = whole.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(whole.subarray(0, headerEnd).toString('latin1'))?.[1] ?? 0);
      if (whole.length < headerEnd + 4 + length) return;
      const at = preciseNow();
      const customTag = /<CustomTag>([^<]*)<\/CustomTag>/.exec(whole.toString('utf8'))?.[1] ?? '';
      const alarm = { customTag, at, bytes: whole };
      this.received.push(alarm);
      this.onAlarm?.(alarm);
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK');
      this.waiting.get(customTag)?.(alarm);
      this.waiting.delete(customTag);
    });
    socket.on('error', () => socket.destroy());
  }
}
