import { AppError } from '../../contracts/index.js';
import { DEFAULT_HEALTH_PORT } from '../config/schema.js';
import { pluginHealthReportSchema, type PluginHealthReport } from '../health/health-report.js';

export const DEFAULT_STATUS_URL = `http://127.0.0.1:${DEFAULT_HEALTH_PORT}`;

/** GET <url>/healthz from a running plugin, checked against the report's schema. */
export async function fetchPluginHealth(url: string): Promise<PluginHealthReport> {
  const endpoint = new URL('/healthz', url).href;
  let response: Response;
  try {
    response = await fetch(endpoint, { signal: AbortSignal.timeout(5_000) });
  } catch (cause) {
    throw new AppError('unavailable', `no plugin answers at ${endpoint} (is it running, with \`health:\` in its config?)`, { cause });
  }
  if (!response.ok) throw new AppError('unavailable', `${endpoint} answered ${response.status}`);
  const parsed = pluginHealthReportSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new AppError('unavailable', `${endpoint} did not answer a plugin health report`);
  return parsed.data;
}

/** The report as the lines `vigil plugin status` prints. */
export function formatPluginHealth(report: PluginHealthReport): string[] {
  const { outbox, vms, lastError } = report;
  return [
    `plugin ${report.version}: ${report.status} (since ${report.startedAt})`,
    `cameras: ${report.cameras.length}`,
    ...report.cameras.map((c) => `  ${c.id.padEnd(18)} ${c.state.padEnd(10)} ${c.fps === null ? '-' : c.fps.toFixed(1)} fps  restarts ${c.restarts}  events ${c.eventsRaised}${c.lastError ? `  last error: ${c.lastError}` : ''}`),
    `outbox: ${outbox.pending} pending, ${outbox.health}, ${outbox.bytesOnDisk}/${outbox.maxBytes} bytes, ${outbox.deadLettered} dead-lettered`,
    vms === null ? 'vms: not configured' : `vms: ${vms.vendor} ${vms.state} (${vms.sent} sent, ${vms.failed} failed)`,
    lastError === null ? 'last error: none' : `last error: ${lastError.source}${lastError.at ? ` at ${lastError.at}` : ''}: ${lastError.message}`,
  ];
}
