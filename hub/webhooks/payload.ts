import { slackMessage, taskFromMessage, teamsMessage } from '../../adapters/workforce/index.js';
import type { WebhookFormat } from './event-types.js';

// Thin payloads carry ids and links only; an endpoint opts into full bodies. Receivers fetch the rest
// with their own credentials, so a leaked webhook log leaks little.
const THIN_KEYS = ['environment', 'id', 'type', 'severity', 'state', 'storeId', 'laneId', 'cameraId', 'incidentId', 'programId', 'shadow', 'workstationId', 'exceptions', 'reason', 'links', 'test'];

export interface PayloadMessage {
  id: string;
  eventType: string;
  createdAt: Date;
  data: Record<string, unknown>;
  /** The tenant's environment the message comes from (production, staging…), named in every body. */
  environment?: string;
}

export interface PayloadEndpoint {
  format: WebhookFormat;
  fullPayload: boolean;
  config: Record<string, unknown>;
}

function absoluteLinks(data: Record<string, unknown>, baseUrl: string | null): Record<string, unknown> {
  if (!baseUrl || typeof data.links !== 'object' || data.links === null) return data;
  const links: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data.links as Record<string, unknown>)) {
    links[name] = typeof value === 'string' && value.startsWith('/') ? `${baseUrl.replace(/\/+$/, '')}${value}` : value;
  }
  return { ...data, links };
}

export function projectData(data: Record<string, unknown>, full: boolean): Record<string, unknown> {
  if (full) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => THIN_KEYS.includes(key)));
}

/**
 * The exact body for one endpoint. Deterministic in the message and the endpoint, so every retry sends
 * the same bytes under the same webhook-id (and a receiver may dedupe on either).
 */
export function buildBody(message: PayloadMessage, endpoint: PayloadEndpoint, baseUrl: string | null): string {
  if (endpoint.format === 'teams' || endpoint.format === 'slack') {
    const dueMinutes = typeof endpoint.config.taskDueMinutes === 'number' ? endpoint.config.taskDueMinutes : 5;
    const task = taskFromMessage(message.eventType, message.data, { now: message.createdAt, dueMinutes, baseUrl });
    return JSON.stringify(endpoint.format === 'teams' ? teamsMessage(task) : slackMessage(task));
  }
  const data = absoluteLinks(projectData({ environment: message.environment ?? 'production', ...message.data }, endpoint.fullPayload), baseUrl);
  return JSON.stringify({ type: message.eventType, timestamp: message.createdAt.toISOString(), data });
}
