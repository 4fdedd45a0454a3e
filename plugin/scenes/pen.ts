import type { Canvas, PixelBox, Rgb, Vec } from './raster.js';
import { rotatedRect } from './raster.js';

/** Scripts work in a 320x240 reference frame; the pen scales their shapes onto a canvas of any size. */
export const REFERENCE = { width: 320, height: 240 } as const;

export class Pen {
  private readonly sx: number;
  private readonly sy: number;
  private readonly s: number;

  constructor(readonly canvas: Canvas) {
    this.sx = canvas.width / REFERENCE.width;
    this.sy = canvas.height / REFERENCE.height;
    this.s = Math.sqrt(this.sx * this.sy);
  }

  private p(v: Vec): Vec {
    return [v[0] * this.sx, v[1] * this.sy];
  }

  rect(box: PixelBox, colour: Rgb, id = 0, alpha = 1): void {
    this.canvas.fillRect({ x1: box.x1 * this.sx, y1: box.y1 * this.sy, x2: box.x2 * this.sx, y2: box.y2 * this.sy }, colour, id, alpha);
  }

  ellipse(centre: Vec, rx: number, ry: number, angle: number, colour: Rgb, id = 0, alpha = 1): void {
    this.canvas.fillEllipse(this.p(centre), rx * this.s, ry * this.s, angle, colour, id, alpha);
  }

  circle(centre: Vec, r: number, colour: Rgb, id = 0): void {
    this.ellipse(centre, r, r, 0, colour, id);
  }

  polygon(points: readonly Vec[], colour: Rgb, id = 0, alpha = 1): void {
    this.canvas.fillPolygon(points.map((v) => this.p(v)), colour, id, alpha);
  }

  /** A turned rectangle of size (w, h) about `centre`. */
  box(centre: Vec, w: number, h: number, angle: number, colour: Rgb, id = 0): void {
    this.polygon(rotatedRect(centre, w, h, angle), colour, id);
  }

  capsule(a: Vec, b: Vec, radius: number, colour: Rgb, id = 0): void {
    this.canvas.fillCapsule(this.p(a), this.p(b), radius * this.s, colour, id);
  }

  /** A reference-frame point in canvas pixels. */
  toPixels(v: Vec): Vec {
    return this.p(v);
  }
}
