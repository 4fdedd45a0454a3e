import type { Writable } from 'node:stream';
import type { SyntheticScene } from './scene.js';

/**
 * Feeds a live encoder: renders the frame that is due by the wall clock and writes it, at the scene's rate. When
 * rendering or the pipe falls behind, the frames in between are skipped (newest frame wins), as a camera drops them.
 */
export function pumpFrames(scene: SyntheticScene, sink: Writable, originMs: number = Date.now()): { stop(): void } {
  const { fps } = scene.options;
  const startedAt = originMs;
  let last = -1;
  let timer: NodeJS.Timeout | null = null;
  let isStopped = false;
  const tick = (): void => {
    if (isStopped || sink.destroyed || sink.writableEnded) return;
    const due = Math.max(0, Math.floor(((Date.now() - startedAt) / 1000) * fps));
    if (due > last && !sink.writableNeedDrain) {
      last = due;
      sink.write(Buffer.from(scene.render(due).rgb));
    }
    const nextAt = startedAt + ((last + 1) * 1000) / fps;
    timer = setTimeout(tick, Math.max(1, nextAt - Date.now()));
  };
  sink.on('error', () => {
    // The encoder went away (killed when idle or restarting): the feed's exit handler decides what comes next.
    isStopped = true;
  });
  tick();
  return {
    stop() {
      isStopped = true;
      if (timer !== null) clearTimeout(timer);
    },
  };
}
