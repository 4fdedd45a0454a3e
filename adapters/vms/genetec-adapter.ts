import type { VmsAdapter, VmsAdapterHealth, VmsAlarm, VmsDelivery } from '../../contracts/capabilities.js';
import { parseVmsConfig, genetecConfigSchema, type GenetecConfig, type GenetecConfigInput } from './config.js';
import { parseGenetecResponse } from './genetec-response.js';
import { HealthTracker } from './health-tracker.js';
import { basicAuthorization, deadline, httpRequest, joinUrl, type HttpAnswer } from './http-request.js';
import { delivered, excerpt, fromHttpStatus, fromNetworkError, rejected } from './outcome.js';

/**
 * Values inside a Web SDK `q=` expression: `,` separates arguments and `( ) { } #` are syntax, so text must not
 * carry them; the rest is percent-encoded ("Values need to be encoded in URLs", Security Center SDK guide).
 */
const argument = (text: string): string => encodeURIComponent(text.replace(/[,(){}#\r\n]+/g, ' ').replace(/\s+/g, ' ').trim());

/** "The dashes in guids must either be escaped or removed in an HTTP request" (Web SDK query syntax). */
export const compactGuid = (guid: string): string => guid.replace(/[{}-]/g, '').toLowerCase();

/** The operator-facing text: title, what happened and the incident link. */
export function genetecMessage(alarm: VmsAlarm): string {
  return [alarm.title, alarm.description, alarm.incidentUrl].filter((part): part is string => Boolean(part)).join(' — ');
}

/**
 * The Web SDK's custom event helper, `POST {base}/events/RaiseCustomEvent/{customEventId}/{entityId}?msg={message}`:
 * the `?msg=` form because the message carries a URL, and the path form cannot hold an encoded slash.
 */
export function raiseCustomEventUrl(base: string, customEventId: number, cameraGuid: string, message: string): string {
  return `${joinUrl(base, `events/RaiseCustomEvent/${customEventId}/${compactGuid(cameraGuid)}`)}?msg=${encodeURIComponent(message)}`;
}

/** `POST {base}/action?q=AddCameraBookmark(cameraGuid,time,text)`: the bookmark operators find on the timeline. */
export function addCameraBookmarkUrl(base: string, cameraGuid: string, at: string, text: string): string {
  return `${joinUrl(base, 'action')}?q=AddCameraBookmark(${compactGuid(cameraGuid)},${new Date(at).toISOString()},${argument(text)})`;
}

/** A Web SDK answer: HTTP status first, then the `Rsp` envelope's status ("Fail" carries the reason). */
export function genetecOutcome(answer: HttpAnswer): VmsDelivery {
  if (answer.status < 200 || answer.status >= 300) return fromHttpStatus(answer.status, answer.body);
  const rsp = parseGenetecResponse(answer.body);
  if (!rsp) return rejected(`unreadable Web SDK answer (is the URL the Web SDK role's base URI?): HTTP ${answer.status} ${excerpt(answer.body)}`, true);
  if (rsp.isOk) return delivered(`Rsp ${rsp.status}`);
  // A failed request (unknown custom event, entity or privilege) will fail again as sent: it needs setting up.
  return rejected(`Web SDK status ${rsp.status}${rsp.message ? `: ${excerpt(rsp.message)}` : ''}`, true);
}

/**
 * Genetec Security Center Web SDK: raises the configured custom event on the camera entity (an event-to-action
 * rule turns it into an alarm) and adds a camera bookmark carrying the incident link.
 */
export class GenetecAdapter implements VmsAdapter {
  readonly vendor = 'genetec';
  private readonly tracker = new HealthTracker(this.vendor);

  private readonly config: GenetecConfig;

  /** Takes the config as written (defaults filled in here); throws `config_invalid`. */
  constructor(input: GenetecConfigInput | GenetecConfig) {
    this.config = parseVmsConfig(genetecConfigSchema, { ...input, adapter: 'genetec' });
  }

  async raise(alarm: VmsAlarm, signal?: AbortSignal): Promise<VmsDelivery> {
    const cameraGuid = alarm.camera.vms.id;
    if (!cameraGuid) return this.tracker.record(rejected(`camera ${alarm.camera.id} has no Genetec entity GUID (map it with vigil vms cameras)`, true));
    const bounded = deadline(signal, this.config.timeoutMs);
    try {
      const raised = genetecOutcome(await this.post(raiseCustomEventUrl(this.config.url, this.config.customEventId, cameraGuid, genetecMessage(alarm)), bounded));
      if (raised.status !== 'delivered' || !this.config.addBookmark) return this.tracker.record(raised);
      const bookmarked = genetecOutcome(await this.post(addCameraBookmarkUrl(this.config.url, cameraGuid, alarm.occurredAt, genetecMessage(alarm)), bounded));
      // The alarm is what matters: a missing bookmark is reported, not retried (it would raise the event twice).
      const detail = bookmarked.status === 'delivered' ? 'custom event raised, bookmark added' : `custom event raised; bookmark failed: ${bookmarked.reason}`;
      return this.tracker.record(delivered(detail));
    } catch (error) {
      return this.tracker.record(fromNetworkError(error, signal, this.config.timeoutMs));
    }
  }

  health(): VmsAdapterHealth {
    return this.tracker.snapshot();
  }

  private post(url: string, signal: AbortSignal): Promise<HttpAnswer> {
    return httpRequest({ method: 'POST', url, headers: this.headers(), allowSelfSignedCertificate: this.config.allowSelfSignedCertificate }, signal);
  }

  /** The Web SDK user is `username;applicationId` (the SDK certificate's application id) in HTTP Basic. */
  headers(): Record<string, string> {
    return { Authorization: basicAuthorization(`${this.config.username};${this.config.applicationId}`, this.config.password), Accept: 'text/json' };
  }
}
