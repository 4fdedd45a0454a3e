import type { VmsAdapter, VmsAdapterHealth, VmsAlarm, VmsDelivery } from '../../contracts/capabilities.js';
import { parseVmsConfig, milestoneRestConfigSchema, type MilestoneRestConfig, type MilestoneRestConfigInput } from './config.js';
import { HealthTracker } from './health-tracker.js';
import { deadline, httpRequest, joinUrl, type HttpAnswer } from './http-request.js';
import { MilestoneTokenSource } from './milestone-token-source.js';
import { excerpt, fromHttpStatus, fromNetworkError, rejected } from './outcome.js';

/** The Events REST API body: the event type, its source camera (`cameras/<id>`) and when it happened. */
export function milestoneRestEvent(alarm: VmsAlarm, eventTypeId: string): Record<string, unknown> {
  const cameraId = alarm.camera.vms.id;
  return { type: eventTypeId, ...(cameraId ? { source: `cameras/${cameraId}` } : {}), time: alarm.occurredAt };
}

/** Milestone XProtect REST Events API (`POST /api/rest/v1/events`, 202 Accepted) with an IDP bearer token. */
export class MilestoneRestAdapter implements VmsAdapter {
  readonly vendor = 'milestone-rest';
  private readonly tracker = new HealthTracker(this.vendor);
  private readonly tokens: MilestoneTokenSource;

  private readonly config: MilestoneRestConfig;

  /** Takes the config as written (defaults filled in here); throws `config_invalid`. */
  constructor(input: MilestoneRestConfigInput | MilestoneRestConfig) {
    this.config = parseVmsConfig(milestoneRestConfigSchema, { ...input, adapter: 'milestone-rest' });
    this.tokens = new MilestoneTokenSource(this.config.url, this.config.username, this.config.password, this.config.allowSelfSignedCertificate);
  }

  async raise(alarm: VmsAlarm, signal?: AbortSignal): Promise<VmsDelivery> {
    const bounded = deadline(signal, this.config.timeoutMs);
    try {
      return this.tracker.record(await this.send(alarm, bounded));
    } catch (error) {
      return this.tracker.record(fromNetworkError(error, signal, this.config.timeoutMs));
    }
  }

  health(): VmsAdapterHealth {
    return this.tracker.snapshot();
  }

  /** A 401 means the cached token expired or was revoked: one fresh token, then the answer stands. */
  private async send(alarm: VmsAlarm, signal: AbortSignal): Promise<VmsDelivery> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.tokens.token(signal);
      if ('refused' in token) return tokenRefused(token.refused);
      const answer = await this.post(alarm, token.token, signal);
      if (answer.status !== 401) return fromHttpStatus(answer.status, answer.body);
      this.tokens.invalidate();
    }
    return rejected('HTTP 401 with a fresh token: the user may not trigger this event type', true);
  }

  private post(alarm: VmsAlarm, token: string, signal: AbortSignal): Promise<HttpAnswer> {
    return httpRequest({
      method: 'POST',
      url: joinUrl(this.config.url, 'api/rest/v1/events'),
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(milestoneRestEvent(alarm, this.config.eventTypeId)),
      allowSelfSignedCertificate: this.config.allowSelfSignedCertificate,
    }, signal);
  }
}

/** The IDP refused a token: bad credentials are a configuration error, an IDP outage is worth a retry. */
function tokenRefused(answer: HttpAnswer): VmsDelivery {
  if (answer.status === 400 || answer.status === 401) return rejected(`identity provider refused the login: HTTP ${answer.status} ${excerpt(answer.body)}`, true);
  if (answer.status < 300) return rejected(`identity provider gave no token: HTTP ${answer.status} ${excerpt(answer.body)}`, true);
  return fromHttpStatus(answer.status, `identity provider: ${answer.body}`);
}
