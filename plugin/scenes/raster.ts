/** An RGB colour, 0..255 per channel. */
export type Rgb = readonly [number, number, number];
export type Vec = readonly [number, number];

/** A pixel box, inclusive-exclusive: x1 <= x < x2. */
export interface PixelBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * An rgb24 picture with an id plane beside it: every fill writes its colour and, when given, the id of the object
 * it belongs to, so ground truth is read off exactly what was drawn (and what later fills hid). Pixels are sampled
 * at their centres (x + 0.5, y + 0.5).
 */
export class Canvas {
  readonly rgb: Uint8Array;
  readonly ids: Uint16Array;
  /** Distinct pixels each id was drawn on, hidden later or not (an object's parts are drawn one after another). */
  private readonly drawn = new Map<number, number>();
  private readonly markedBy: Uint16Array;

  constructor(readonly width: number, readonly height: number) {
    this.rgb = new Uint8Array(width * height * 3);
    this.ids = new Uint16Array(width * height);
    this.markedBy = new Uint16Array(width * height);
  }

  clear(colour: Rgb): void {
    for (let i = 0; i < this.width * this.height; i++) this.put(i, colour, 0);
    this.ids.fill(0);
    this.markedBy.fill(0);
    this.drawn.clear();
  }

  /** How many pixels `id` covered when drawn, before anything drawn later hid part of it. */
  drawnPixels(id: number): number {
    return this.drawn.get(id) ?? 0;
  }

  private put(i: number, colour: Rgb, id: number, alpha = 1): void {
    const o = i * 3;
    if (alpha >= 1) {
      this.rgb[o] = colour[0];
      this.rgb[o + 1] = colour[1];
      this.rgb[o + 2] = colour[2];
      if (id > 0) {
        this.ids[i] = id;
        if (this.markedBy[i] !== id) {
          this.markedBy[i] = id;
          this.drawn.set(id, (this.drawn.get(id) ?? 0) + 1);
        }
      }
      return;
    }
    for (let c = 0; c < 3; c++) this.rgb[o + c] = Math.round((this.rgb[o + c] ?? 0) * (1 - alpha) + (colour[c] ?? 0) * alpha);
  }

  /** Fills every pixel whose centre passes `inside`, within a bounding range; alpha < 1 tints without claiming ids. */
  private fillWhere(bounds: PixelBox, colour: Rgb, id: number, inside: (x: number, y: number) => boolean, alpha = 1): void {
    const x1 = Math.max(0, Math.floor(bounds.x1));
    const y1 = Math.max(0, Math.floor(bounds.y1));
    const x2 = Math.min(this.width, Math.ceil(bounds.x2));
    const y2 = Math.min(this.height, Math.ceil(bounds.y2));
    for (let y = y1; y < y2; y++) {
      for (let x = x1; x < x2; x++) if (inside(x + 0.5, y + 0.5)) this.put(y * this.width + x, colour, id, alpha);
    }
  }

  fillRect(box: PixelBox, colour: Rgb, id = 0, alpha = 1): void {
    this.fillWhere(box, colour, id, (x, y) => x >= box.x1 && x < box.x2 && y >= box.y1 && y < box.y2, alpha);
  }

  /** An ellipse with radii (rx, ry) turned by `angle` radians about its centre. */
  fillEllipse(centre: Vec, rx: number, ry: number, angle: number, colour: Rgb, id = 0, alpha = 1): void {
    const [cx, cy] = centre;
    const r = Math.max(rx, ry);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    this.fillWhere({ x1: cx - r, y1: cy - r, x2: cx + r, y2: cy + r }, colour, id, (x, y) => {
      const dx = x - cx;
      const dy = y - cy;
      const u = (dx * cos + dy * sin) / rx;
      const v = (-dx * sin + dy * cos) / ry;
      return u * u + v * v <= 1;
    }, alpha);
  }

  /** A simple polygon, even-odd rule. */
  fillPolygon(points: readonly Vec[], colour: Rgb, id = 0, alpha = 1): void {
    if (points.length < 3) return;
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const bounds = { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
    this.fillWhere(bounds, colour, id, (x, y) => insidePolygon(points, x, y), alpha);
  }

  /** A thick line with round ends (a limb): every pixel within `radius` of the segment a-b. */
  fillCapsule(a: Vec, b: Vec, radius: number, colour: Rgb, id = 0): void {
    const bounds = {
      x1: Math.min(a[0], b[0]) - radius, y1: Math.min(a[1], b[1]) - radius,
      x2: Math.max(a[0], b[0]) + radius, y2: Math.max(a[1], b[1]) + radius,
    };
    const r2 = radius * radius;
    this.fillWhere(bounds, colour, id, (x, y) => distanceToSegmentSquared(x, y, a, b) <= r2);
  }
}

export function insidePolygon(points: readonly Vec[], x: number, y: number): boolean {
  let isIn = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i] ?? [0, 0];
    const [xj, yj] = points[j] ?? [0, 0];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) isIn = !isIn;
  }
  return isIn;
}

function distanceToSegmentSquared(x: number, y: number, a: Vec, b: Vec): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2));
  const px = a[0] + t * dx - x;
  const py = a[1] + t * dy - y;
  return px * px + py * py;
}

/** A rectangle of size (w, h) centred on `centre`, turned by `angle`: its four corners. */
export function rotatedRect(centre: Vec, w: number, h: number, angle: number): Vec[] {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]].map(
    ([x = 0, y = 0]) => [centre[0] + x * cos - y * sin, centre[1] + x * sin + y * cos] as const,
  );
}

export function shade(colour: Rgb, factor: number): Rgb {
  const c = (v: number): number => Math.max(0, Math.min(255, Math.round(v * factor)));
  return [c(colour[0]), c(colour[1]), c(colour[2])];
}
