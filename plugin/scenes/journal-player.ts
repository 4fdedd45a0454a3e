import { connect, type Socket } from 'node:net';
import { journalLine, type TillEntry } from './journal.js';
import type { SyntheticScene } from './scene.js';

/**
 * Tracker settings for the synthetic scenes: products are small and a hand carries one across a fifth of the
 * picture in half a second, so at 5-10 fps its boxes barely overlap from one frame to the next and a track is kept
 * on a looser overlap than people need (the demo and `vigil eval` run the plugin with these).
 */
export const SCENE_TRACKER = { matchIou: 0.05, highScore: 0.4, newTrackScore: 0.45, confirmFrames: 2 } as const;

/**
 * The till of a checkout scene: writes each journal line of the scene's script when its moment comes on the
 * scene clock (which started at `originMs`), to the plugin's journal port, as a POS controller streams its
 * electronic journal, and hands each finished transaction to `finished`. Reconnects if the plugin drops the
 * connection.
 */
export function playJournal(scene: SyntheticScene, originMs: number, port: number, finished: (entries: TillEntry[]) => void = () => undefined): { stop(): void } {
  let socket: Socket | null = null;
  let written = 0;
  let stopped = false;
  const open = () => {
    if (stopped) return;
    socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('close', () => {
      socket = null;
      if (!stopped) setTimeout(open, 1000).unref();
    });
  };
  open();
  const timer = setInterval(() => {
    const seconds = (Date.now() - originMs) / 1000;
    const due = scene.till(seconds);
    if (!socket || socket.connecting) return;
    for (const entry of due.slice(written)) {
      socket.write(`${journalLine(entry, originMs)}\r\n`);
      if (entry.kind === 'transaction_end') finished(due.filter((e) => e.sequenceNumber === entry.sequenceNumber));
    }
    written = due.length;
  }, 200);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      socket?.destroy();
    },
  };
}
