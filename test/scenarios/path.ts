import { distance, lerp, type Point } from './geometry.js';

interface Segment {
  readonly from: number;
  readonly to: number;
  readonly a: Point;
  readonly b: Point;
}

const ease = (f: number): number => f * f * (3 - 2 * f);

/**
 * A scripted path of one actor's anchor point over time (epoch ms): it appears, waits and moves between points
 * with eased speed, and may vanish. `at(t)` is undefined before it appears and after it vanished.
 */
export class Path {
  private readonly segments: Segment[] = [];
  private now: number;
  private here: Point;
  private vanishedAt: number | undefined;

  constructor(
    readonly appearAt: number,
    start: Point,
  ) {
    this.now = appearAt;
    this.here = start;
  }

  get time(): number {
    return this.now;
  }

  get point(): Point {
    return this.here;
  }

  wait(ms: number): this {
    return this.segment(this.here, ms);
  }

  /** Moves to `to` at `speed` (frame widths per second, on average over the eased move). */
  moveTo(to: Point, speed: number): this {
    const ms = Math.max(200, (distance(this.here, to) / speed) * 1000);
    return this.segment(to, ms);
  }

  waitUntil(t: number): this {
    return t > this.now ? this.wait(t - this.now) : this;
  }

  /** Out of view from now on (left the frame, put in a bag, hidden in a pocket). */
  vanish(): this {
    this.vanishedAt = this.now;
    return this;
  }

  get vanished(): number | undefined {
    return this.vanishedAt;
  }

  at(t: number): Point | undefined {
    if (t < this.appearAt || (this.vanishedAt !== undefined && t >= this.vanishedAt)) return undefined;
    const segment = this.segments.find((s) => t < s.to);
    if (segment === undefined) return this.here;
    return lerp(segment.a, segment.b, ease((t - segment.from) / Math.max(1, segment.to - segment.from)));
  }

  private segment(to: Point, ms: number): this {
    this.segments.push({ from: this.now, to: this.now + ms, a: this.here, b: to });
    this.now += ms;
    this.here = to;
    return this;
  }
}
