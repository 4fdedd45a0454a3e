import { z } from 'zod';
import type { VmsAdapter, VmsAdapterHealth, VmsAlarm, VmsDelivery } from '../../contracts/capabilities.js';
import { AuthChallengeCache, authenticatedRequest } from './authenticated-request.js';
import { parseVmsConfig, nxConfigSchema, type NxConfig, type NxConfigInput } from './config.js';
import { HealthTracker } from './health-tracker.js';
import { deadline, httpRequest, joinUrl, type HttpAnswer } from './http-request.js';
import { safeJson } from './json-text.js';
import { delivered, excerpt, fromHttpStatus, fromNetworkError, rejected } from './outcome.js';

/** The generic event's fields; `metadata.cameraRefs` ties it to the device (needed for notifications and bookmarks). */
export function nxGenericEvent(alarm: VmsAlarm, source: string): { timestamp: string; source: string; caption: string; description: string; metadata: string } {
  const deviceId = alarm.camera.vms.id;
  const description = alarm.incidentUrl ? `${alarm.description}\n${alarm.incidentUrl}` : alarm.description;
  return {
    timestamp: alarm.occurredAt,
    source,
    caption: alarm.title,
    description,
    metadata: JSON.stringify({ cameraRefs: deviceId ? [deviceId] : [] }),
  };
}

/**
 * `GET {base}/api/createEvent?timestamp=…&source=…&caption=…&description=…&metadata={"cameraRefs":[…]}`. The
 * legacy API reads a formatted timestamp as the server's local time (`YYYY-MM-DDTHH:MM:SS`), so the instant is
 * sent as milliseconds since the epoch, which it also accepts and which cannot be misread across time zones.
 */
export function createEventUrl(base: string, alarm: VmsAlarm, source: string): string {
  const fields = { ...nxGenericEvent(alarm, source), timestamp: String(Date.parse(alarm.occurredAt)) };
  return `${joinUrl(base, 'api/createEvent')}?${new URLSearchParams(fields).toString()}`;
}

const legacyReplySchema = z.object({ error: z.union([z.string(), z.number()]), errorString: z.string().optional() });

/** Legacy API answers 200 with `{"error":"0"}` on success; any other error code will fail again as sent. */
export function nxLegacyOutcome(answer: HttpAnswer): VmsDelivery {
  if (answer.status === 401) return rejected(`HTTP 401: the Nx user or password was refused`, true);
  if (answer.status < 200 || answer.status >= 300) return fromHttpStatus(answer.status, answer.body);
  const reply = legacyReplySchema.safeParse(safeJson(answer.body));
  if (!reply.success) return rejected(`unreadable Nx answer (is the URL the Media Server's?): ${excerpt(answer.body)}`, true);
  if (String(reply.data.error) === '0') return delivered(`error 0${reply.data.errorString ? `: ${reply.data.errorString}` : ''}`);
  return rejected(`Nx error ${reply.data.error}${reply.data.errorString ? `: ${reply.data.errorString}` : ''}`, false);
}

const sessionSchema = z.object({ token: z.string().min(1) });

/**
 * Nx Witness generic events. `legacy`: GET /api/createEvent answered with HTTP Digest (the server's challenge);
 * `rest` (Nx 5.0+): a bearer session from POST /rest/v{n}/login/sessions, then POST /rest/v{n}/events/generic.
 */
export class NxAdapter implements VmsAdapter {
  readonly vendor = 'nx';
  private readonly tracker = new HealthTracker(this.vendor);
  /** The server's last Digest challenge, answered up front with the next nonce count: one request per alarm. */
  private readonly challenge = new AuthChallengeCache();
  private sessionToken: string | null = null;

  private readonly config: NxConfig;

  /** Takes the config as written (defaults filled in here); throws `config_invalid`. */
  constructor(input: NxConfigInput | NxConfig) {
    this.config = parseVmsConfig(nxConfigSchema, { ...input, adapter: 'nx' });
  }

  async raise(alarm: VmsAlarm, signal?: AbortSignal): Promise<VmsDelivery> {
    const bounded = deadline(signal, this.config.timeoutMs);
    try {
      const outcome = this.config.api === 'rest' ? await this.raiseRest(alarm, bounded) : await this.raiseLegacy(alarm, bounded);
      return this.tracker.record(outcome);
    } catch (error) {
      return this.tracker.record(fromNetworkError(error, signal, this.config.timeoutMs));
    }
  }

  health(): VmsAdapterHealth {
    return this.tracker.snapshot();
  }

  private async raiseLegacy(alarm: VmsAlarm, signal: AbortSignal): Promise<VmsDelivery> {
    const answer = await authenticatedRequest({ method: 'GET', url: createEventUrl(this.config.url, alarm, this.config.source), allowSelfSignedCertificate: this.config.allowSelfSignedCertificate }, this.config, signal, this.challenge);
    return nxLegacyOutcome(answer);
  }

  private rest(path: string): string {
    return joinUrl(this.config.url, `rest/v${this.config.restVersion}/${path}`);
  }

  /**
   * The REST generic event names its devices in `deviceIds` (Nx's own template: timestamp, state, source, caption,
   * description, deviceIds); `state: instant` is what an absent state means, said outright. A 401 on the event means
   * the session expired: one new session, then the answer stands.
   */
  private async raiseRest(alarm: VmsAlarm, signal: AbortSignal): Promise<VmsDelivery> {
    const { metadata: _legacyMetadata, ...fields } = nxGenericEvent(alarm, this.config.source);
    const deviceId = alarm.camera.vms.id;
    const body = JSON.stringify({ ...fields, state: 'instant', deviceIds: deviceId ? [deviceId] : [] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await this.session(signal);
      if (typeof token !== 'string') return token;
      const answer = await httpRequest({
        method: 'POST', url: this.rest('events/generic'), body, allowSelfSignedCertificate: this.config.allowSelfSignedCertificate,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      }, signal);
      if (answer.status !== 401) return fromHttpStatus(answer.status, answer.body);
      this.sessionToken = null;
    }
    return rejected('HTTP 401 with a fresh session: the Nx user may not create generic events', true);
  }

  private async session(signal: AbortSignal): Promise<string | VmsDelivery> {
    if (this.sessionToken) return this.sessionToken;
    const answer = await httpRequest({
      method: 'POST', url: this.rest('login/sessions'), allowSelfSignedCertificate: this.config.allowSelfSignedCertificate,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ username: this.config.username, password: this.config.password }),
    }, signal);
    if (answer.status === 401 || answer.status === 403) return rejected(`login refused: HTTP ${answer.status} ${excerpt(answer.body)}`, true);
    if (answer.status < 200 || answer.status >= 300) return fromHttpStatus(answer.status, `login: ${answer.body}`);
    const session = sessionSchema.safeParse(safeJson(answer.body));
    if (!session.success) return rejected(`login answered without a token: ${excerpt(answer.body)}`, true);
    this.sessionToken = session.data.token;
    return session.data.token;
  }
}
