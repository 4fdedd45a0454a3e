import type { LanePosEvent } from '../../contracts/index.js';
import { posEventKey } from './rule-support.js';

/** One line that arrived behind the watermark: how far behind (ms of POS time, on the camera clock), and when. */
interface Lateness {
  readonly heardAt: number;
  readonly behindMs: number;
}

/**
 * How far a lane's POS stream has got, in its own time (`at`, the camera clock), and how far behind that its lines
 * have lately arrived. A journal streamed in order (TCP) never has a line behind the watermark, so once it carries a
 * line stamped after `t`, no line stamped up to `t` is still to come. A feed that delivers late or out of order shows
 * it: each new line stamped before the watermark widens the allowance by how far behind it was, for `keepMs` (a
 * resent line is not new and shows nothing).
 */
export class PosWatermark {
  private highest = Number.NEGATIVE_INFINITY;
  private readonly lateness: Lateness[] = [];
  /** Keys of lines heard, with when: a resend is recognised for `keepMs`. */
  private readonly heard = new Map<string, number>();

  constructor(
    private readonly accepts: (event: LanePosEvent) => boolean,
    private readonly options: { readonly keepMs: number; readonly minLatenessMs: number },
  ) {}

  /** Notes the lane's events that arrived on the frame at `now` (any kind: every line moves the POS clock on). */
  add(events: readonly LanePosEvent[], now: number): void {
    for (const event of events) {
      if (!this.accepts(event)) continue;
      const key = posEventKey(event);
      if (this.heard.has(key)) continue;
      this.heard.set(key, now);
      if (event.at < this.highest) this.lateness.push({ heardAt: now, behindMs: this.highest - event.at });
      this.highest = Math.max(this.highest, event.at);
    }
    this.forgetBefore(now - this.options.keepMs);
  }

  /** The lane's stream is past `t` by more than any lateness it has shown lately: no line stamped up to `t` is due. */
  isPast(t: number): boolean {
    return this.highest > t + this.allowanceMs;
  }

  /** How far behind the watermark a line may still arrive (the floor, or the worst lateness seen lately). */
  get allowanceMs(): number {
    return this.lateness.reduce((worst, l) => Math.max(worst, l.behindMs), this.options.minLatenessMs);
  }

  reset(): void {
    this.highest = Number.NEGATIVE_INFINITY;
    this.lateness.length = 0;
    this.heard.clear();
  }

  private forgetBefore(at: number): void {
    while (this.lateness.length > 0 && (this.lateness[0]?.heardAt ?? at) < at) this.lateness.shift();
    for (const [key, heardAt] of this.heard) {
      if (heardAt >= at) break;
      this.heard.delete(key);
    }
  }
}
