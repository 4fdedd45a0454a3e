import { redactUrl } from './redact.js';

/** Lines ffmpeg repeats that say nothing about why a stream failed. */
const NOISE = [/^\s*$/, /Last message repeated/i, /^\s*(Input|Output) #\d/, /^\s*(Stream|Duration|Metadata)/];

/**
 * Keeps the last meaningful line of an ffmpeg stderr stream, with credentials redacted and length bounded,
 * so a health report can say why a camera failed without leaking `user:pass@` or growing without limit.
 */
export class StderrTail {
  private partial = '';
  private last: string | null = null;

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const lines = text.split(/\r?\n|\r/);
    this.partial = (lines.pop() ?? '').slice(-1_000);
    for (const line of lines) this.consider(line);
  }

  /** The last meaningful line, including an unterminated one at process exit. */
  lastLine(): string | null {
    if (this.partial) {
      this.consider(this.partial);
      this.partial = '';
    }
    return this.last;
  }

  private consider(line: string): void {
    if (NOISE.some((pattern) => pattern.test(line))) return;
    // ffmpeg prefixes lines with the component address ("[tcp @ 0x22391480] "): the address is noise.
    const cleaned = redactUrl(line.replace(/\[(\w+) @ 0x[0-9a-f]+\]\s*/gi, '[$1] ').trim());
    this.last = cleaned.length > 300 ? `${cleaned.slice(0, 297)}...` : cleaned;
  }
}
