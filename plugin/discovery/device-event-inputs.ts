// What a camera's own ONVIF events feed into the plugin: its motion detector into the motion gate (a frame is sent
// to the detector when the pixels changed or the camera reports motion on its full-resolution picture), and its
// tamper alarms into camera health.
import type { MotionGate, MotionResult, NormalisedBox, PixelSource } from '../motion/index.js';
import type { DeviceEventWatch } from './onvif-events.js';

/**
 * The pixel gate, opened also while the camera reports motion on this video source. It never closes the gate on
 * the camera's word: a camera whose motion detection is off, or whose events lag, must not hide anything.
 */
export class DeviceAssistedMotionGate implements MotionGate {
  constructor(
    private readonly inner: MotionGate,
    private readonly events: Pick<DeviceEventWatch, 'state'>,
    private readonly videoSourceToken: string | null,
  ) {}

  update(frame: PixelSource, hold?: readonly NormalisedBox[]): MotionResult {
    const result = this.inner.update(frame, hold);
    if (result.hasMotion || this.events.state(this.videoSourceToken).motion !== true) return result;
    return { ...result, hasMotion: true };
  }

  reset(): void {
    this.inner.reset();
  }
}
