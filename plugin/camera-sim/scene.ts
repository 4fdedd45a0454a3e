import { existsSync } from 'node:fs';
import { rawInputArgs } from '../scenes/index.js';

export interface VideoSize {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export type VideoSource =
  | { readonly kind: 'scene'; readonly scene: 'checkout-lane' | 'testsrc2' }
  | { readonly kind: 'file'; readonly path: string }
  /** A scene of plugin/scenes, rendered by us and piped to ffmpeg as rgb24 (see h264-feed.ts). */
  | {
    readonly kind: 'synthetic'; readonly scene: 'checkout' | 'aisle'; readonly seed: number;
    /**
     * Epoch ms of the scene's frame 0. Unset, the scene starts whenever the encoder does; set, the picture is a
     * function of the wall clock, so whatever else plays the scene's script (its POS journal) stays in step.
     */
    readonly originMs?: number;
    /** The scene's script (default mixed): `vigil eval` plays one incident an episode. */
    readonly script?: 'normal' | 'incident' | 'mixed';
  };

/**
 * The size a synthetic scene is rendered at: the stream's own up to 640 wide, half of it above (our rasteriser
 * runs on one core; ffmpeg scales the picture up for a main stream).
 */
export function renderSize(size: VideoSize): { width: number; height: number } {
  if (size.width <= 640) return { width: size.width, height: size.height };
  const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);
  return { width: even(size.width / 2), height: even(size.height / 2) };
}

// ffmpeg 4.1 static builds carry fontconfig but not its configuration; drawtext needs an explicit font file.
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSansMono.ttf',
  '/System/Library/Fonts/Menlo.ttc',
  'C:/Windows/Fonts/consola.ttf',
];

let fontFile: string | null | undefined;
function findFont(): string | null {
  if (fontFile === undefined) fontFile = FONT_CANDIDATES.find((f) => existsSync(f)) ?? null;
  return fontFile;
}

/** Frame-time overlay (wall clock and frame number), so latency can be read off a decoded frame. */
function overlay(size: VideoSize): string {
  const font = findFont();
  if (font === null) return 'null'; // no font on this machine: the scene still moves, just without the clock
  const fontSize = Math.max(10, Math.round(size.height / 18));
  const escaped = font.replace(/\\/g, '/').replace(/:/g, '\\:');
  return `drawtext=fontfile='${escaped}':text='%{localtime\\:%T} %{n}':x=4:y=4:fontsize=${fontSize}:fontcolor=white:box=1:boxcolor=black@0.5`;
}

/** A checkout lane: counter and belt, an item riding the belt, a person swaying at the till. */
function checkoutLane(size: VideoSize): string {
  const { width: w, height: h, fps: r } = size;
  const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);
  const belt = { y: Math.round(h * 0.56), h: even(h * 0.18) };
  return [
    `color=c=0x3a3f44:s=${w}x${h}:r=${r}[bg]`,
    `color=c=0xd08a3c:s=${even(w / 16)}x${even(h / 10)}:r=${r}[item]`,
    `color=c=0x4a7fbf:s=${even(w / 10)}x${even(h / 2.2)}:r=${r}[person]`,
    `[bg]drawbox=x=0:y=${belt.y}:w=${w}:h=${belt.h}:color=0x202020:t=fill,` +
      `drawbox=x=${Math.round(w * 0.7)}:y=${Math.round(h * 0.3)}:w=${even(w * 0.12)}:h=${even(h * 0.25)}:color=0x556677:t=fill[base]`,
    `[base][item]overlay=x='mod(t*W/6\\,W)':y=${belt.y + Math.round(belt.h * 0.2)}[a]`,
    `[a][person]overlay=x='W*0.25+W*0.12*sin(t/2)':y=${Math.round(h * 0.1)},${overlay(size)}`,
  ].join(';');
}

/**
 * NVR channels are told apart on the picture by a solid block of the channel's colour in the top-right corner
 * (readable by a test from any decoded frame, at any size) and, where a font exists, by "CH n" drawn beside it.
 * drawtext needs a font file the static ffmpeg 4.1 build does not bring, so the colour is the reliable marker.
 */
export const CHANNEL_COLOURS: readonly (readonly [number, number, number])[] = [
  [255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255], [0, 255, 255], [255, 255, 255], [0, 0, 0],
];

/** The marker block of a frame: x, y, width, height (top-right, a fifth of each side). */
export function channelMarkerRegion(size: Pick<VideoSize, 'width' | 'height'>): { x: number; y: number; w: number; h: number } {
  const w = Math.max(8, Math.round(size.width / 5));
  const h = Math.max(8, Math.round(size.height / 5));
  return { x: size.width - w, y: 0, w, h };
}

function channelMarker(size: VideoSize, channel: number): string {
  const [r, g, b] = CHANNEL_COLOURS[(channel - 1) % CHANNEL_COLOURS.length] ?? [0, 0, 0];
  const hex = ((r << 16) | (g << 8) | b).toString(16).padStart(6, '0');
  const m = channelMarkerRegion(size);
  const box = `drawbox=x=${m.x}:y=${m.y}:w=${m.w}:h=${m.h}:color=0x${hex}:t=fill`;
  const font = findFont();
  if (font === null) return box;
  const escaped = font.replace(/\\/g, '/').replace(/:/g, '\\:');
  return `${box},drawtext=fontfile='${escaped}':text='CH ${channel}':x=${m.x - m.w}:y=${m.y + 4}:fontsize=${Math.max(10, Math.round(size.height / 12))}:fontcolor=white`;
}

/** ffmpeg input arguments (and video filters) that yield `size` frames at real-time pace; `channel` adds its marker. */
export function sourceArgs(source: VideoSource, size: VideoSize, channel?: number): { input: string[]; filter: string } {
  const marker = channel === undefined ? '' : `,${channelMarker(size, channel)}`;
  if (source.kind === 'synthetic') {
    const r = renderSize(size);
    const scale = r.width === size.width && r.height === size.height ? '' : `scale=${size.width}:${size.height},`;
    return { input: rawInputArgs(r.width, r.height, size.fps), filter: `${scale}${overlay(size)}${marker}` };
  }
  if (source.kind === 'file') {
    return {
      input: ['-re', '-stream_loop', '-1', '-i', source.path],
      filter: `scale=${size.width}:${size.height},fps=${size.fps},${overlay(size)}${marker}`,
    };
  }
  const graph =
    source.scene === 'testsrc2'
      ? `testsrc2=s=${size.width}x${size.height}:r=${size.fps},${overlay(size)}`
      : checkoutLane(size);
  return { input: ['-re', '-f', 'lavfi', '-i', `${graph}${marker}`], filter: 'null' };
}
