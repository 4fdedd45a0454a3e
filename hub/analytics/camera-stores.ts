import type { CameraHealthRow } from './camera-uptime.js';

export interface StoreHealthRow {
  storeId: string;
  regionId: string;
  cameras: number;
  /** The cameras' online time over their observed time (every camera observed the same range); null when none has passed. */
  uptime: number | null;
  downtimeSeconds: number;
  outages: number;
  longestOutageSeconds: number;
  camerasOffline: number;
  camerasDegraded: number;
  offlineReports: number;
  degradedReports: number;
  tamperReports: number;
}

/** The cameras' figures summed per store (the longest outage is the store's longest camera outage), by store id. */
export function cameraHealthByStore(rows: readonly CameraHealthRow[]): StoreHealthRow[] {
  const stores = new Map<string, StoreHealthRow & { observedSeconds: number }>();
  for (const r of rows) {
    const s = stores.get(r.storeId) ?? {
      storeId: r.storeId, regionId: r.regionId, cameras: 0, uptime: null, observedSeconds: 0, downtimeSeconds: 0, outages: 0, longestOutageSeconds: 0,
      camerasOffline: 0, camerasDegraded: 0, offlineReports: 0, degradedReports: 0, tamperReports: 0,
    };
    s.cameras += 1;
    s.observedSeconds += r.observedSeconds;
    s.downtimeSeconds += r.downtimeSeconds;
    s.outages += r.outages;
    s.longestOutageSeconds = Math.max(s.longestOutageSeconds, r.longestOutageSeconds);
    if (r.currentState === 'offline') s.camerasOffline += 1;
    if (r.currentState === 'degraded') s.camerasDegraded += 1;
    s.offlineReports += r.offlineReports;
    s.degradedReports += r.degradedReports;
    s.tamperReports += r.tamperReports;
    stores.set(r.storeId, s);
  }
  return [...stores.values()].sort((a, b) => a.storeId.localeCompare(b.storeId)).map(({ observedSeconds, ...s }) => ({
    ...s, downtimeSeconds: Math.round(s.downtimeSeconds * 1000) / 1000, uptime: observedSeconds > 0 ? (observedSeconds - s.downtimeSeconds) / observedSeconds : null,
  }));
}
