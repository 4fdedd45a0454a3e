import { z } from 'zod';
import type { RunningPlugin } from '../app.js';

/** What `RunningPlugin.status()` returns: the live counters the health endpoint reports from. */
export type PluginStatus = ReturnType<RunningPlugin['status']>;

const lastErrorSchema = z.object({ source: z.string(), message: z.string(), at: z.string().nullable() });

/**
 * GET /healthz on the plugin's local health endpoint (`health:` in the plugin config), and what
 * `vigil plugin status` reads back: cameras, outbox depth, the VMS adapter's state and the latest error.
 */
export const pluginHealthReportSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  startedAt: z.string(),
  cameras: z.array(z.object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    fps: z.number().nullable(),
    restarts: z.number(),
    lastError: z.string().nullable(),
    eventsRaised: z.number(),
    /** Configured but not found yet (missing at start, looked for again with backoff). */
    missing: z.boolean().default(false),
    /** The camera's own ONVIF tamper alarm on its video source (null: no events service, or not reported). */
    tamper: z.boolean().nullable().default(null),
  })),
  outbox: z.object({
    health: z.string(),
    pending: z.number(),
    bytesOnDisk: z.number(),
    maxBytes: z.number(),
    deadLettered: z.number(),
    lastError: z.string().nullable(),
  }),
  vms: z.object({ vendor: z.string(), state: z.string(), sent: z.number(), failed: z.number(), lastError: z.string().nullable() }).nullable(),
  lastError: lastErrorSchema.nullable(),
});
export type PluginHealthReport = z.infer<typeof pluginHealthReportSchema>;
type LastError = z.infer<typeof lastErrorSchema>;

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** The most recent error among the outbox, the VMS adapter and the cameras (cameras carry no time: listed last). */
function latestError(status: PluginStatus): LastError | null {
  const outboxError = status.outbox.lastError;
  const timed: LastError[] = [];
  if (outboxError) timed.push({ source: `outbox/${outboxError.stream}`, message: `${outboxError.kind}: ${outboxError.message}`, at: iso(outboxError.at) });
  if (status.vms?.lastError) timed.push({ source: `vms/${status.vms.vendor}`, message: status.vms.lastError, at: null });
  for (const camera of status.cameras) {
    if (camera.capture?.lastError) timed.push({ source: `camera/${camera.cameraId}`, message: camera.capture.lastError, at: null });
  }
  for (const m of status.missingCameras) timed.push({ source: `camera/${m.cameraId}`, message: `missing (${m.attempts} attempts): ${m.reason}`, at: m.since });
  return timed[0] ?? null;
}

function isDegraded(status: PluginStatus): boolean {
  const cameraDown = status.cameras.some((camera) => camera.capture !== null && camera.capture.state !== 'streaming');
  const tampered = status.cameras.some((camera) => camera.deviceEvents?.tamper === true);
  return cameraDown || tampered || status.missingCameras.length > 0 || status.outbox.health !== 'ok' || status.vms?.state === 'failing' || status.vms?.state === 'misconfigured';
}

export function healthReport(status: PluginStatus, meta: { version: string; startedAt: Date }): PluginHealthReport {
  const { outbox, vms } = status;
  return {
    status: isDegraded(status) ? 'degraded' : 'ok',
    version: meta.version,
    startedAt: meta.startedAt.toISOString(),
    cameras: [...status.cameras.map((camera) => ({
      id: camera.cameraId,
      name: camera.name,
      state: camera.capture?.state ?? 'not started',
      fps: camera.capture?.fps ?? null,
      restarts: camera.capture?.restarts ?? 0,
      lastError: camera.capture?.lastError ?? null,
      eventsRaised: camera.events.raised,
      missing: false,
      tamper: camera.deviceEvents?.tamper ?? null,
    })), ...status.missingCameras.map((m) => ({
      id: m.cameraId, name: m.endpoint, state: m.state, fps: null, restarts: 0, lastError: `missing since ${m.since}, ${m.attempts} attempts: ${m.reason}`, eventsRaised: 0, missing: true, tamper: null,
    }))],
    outbox: {
      health: outbox.health,
      pending: outbox.pending,
      bytesOnDisk: outbox.bytesOnDisk,
      maxBytes: outbox.maxBytes,
      deadLettered: outbox.deadLettered,
      lastError: outbox.lastError ? `${outbox.lastError.kind}: ${outbox.lastError.message}` : null,
    },
    vms: vms === null ? null : { vendor: vms.vendor, state: vms.state, sent: vms.sent, failed: vms.failed, lastError: vms.lastError },
    lastError: latestError(status),
  };
}
