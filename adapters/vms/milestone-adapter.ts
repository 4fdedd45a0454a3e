import type { VmsAdapter, VmsAdapterHealth, VmsAlarm, VmsDelivery } from '../../contracts/capabilities.js';
import { parseVmsConfig, milestoneConfigSchema, type MilestoneConfig, type MilestoneConfigInput } from './config.js';
import { HealthTracker } from './health-tracker.js';
import { deadline } from './http-request.js';
import { analyticsEventRequest, analyticsEventXml } from './milestone-analytics-event.js';
import { delivered, excerpt, fromNetworkError, rejected, retry } from './outcome.js';
import { NotHttpError, rawHttpExchange, type RawHttpResponse } from './raw-http-exchange.js';

/**
 * The Event Server answers 200 even when it does not know the event: the body then carries a warning
 * ("Warning: Event message not known", MIP SDK TriggerAnalyticsEventXML sample). Such an event never raises
 * an alarm, so it is a configuration error: the analytics event is missing in the Management Client.
 */
const UNKNOWN_MESSAGE = /event message not known|unknown event message|message (?:is )?not (?:known|defined)/i;

/** Maps the Event Server's answer: 200 ok (unless the warning), 400 bad XML, 403 address not allowed, 500 retry. */
export function milestoneOutcome(response: RawHttpResponse): VmsDelivery {
  const what = `HTTP ${response.statusCode} ${response.reason}`.trim() + (response.body ? `: ${excerpt(response.body)}` : '');
  const code = response.statusCode;
  if (code === 200 && UNKNOWN_MESSAGE.test(response.body)) {
    return rejected(`${what} (define the analytics event in the Management Client)`, true);
  }
  if (code >= 200 && code < 300) return delivered(what);
  if (code === 403) return rejected(`${what} (allow this address under Tools > Options > Analytics Events)`, true);
  if (code >= 500) return retry(what);
  return rejected(what, false);
}

/** Milestone XProtect Analytics Events: one HTTP-framed AnalyticsEvent XML per TCP connection to the Event Server. */
export class MilestoneAdapter implements VmsAdapter {
  readonly vendor = 'milestone';
  private readonly tracker = new HealthTracker(this.vendor);

  private readonly config: MilestoneConfig;

  /** Takes the config as written (defaults filled in here); throws `config_invalid`. */
  constructor(input: MilestoneConfigInput | MilestoneConfig) {
    this.config = parseVmsConfig(milestoneConfigSchema, { ...input, adapter: 'milestone' });
  }

  async raise(alarm: VmsAlarm, signal?: AbortSignal): Promise<VmsDelivery> {
    const xml = analyticsEventXml(alarm, { eventMessage: this.config.eventMessage, vendorName: this.config.vendorName });
    const request = analyticsEventRequest(xml, `${this.config.host}:${this.config.port}`);
    try {
      const response = await rawHttpExchange({ host: this.config.host, port: this.config.port, request, signal: deadline(signal, this.config.timeoutMs) });
      return this.tracker.record(milestoneOutcome(response));
    } catch (error) {
      if (error instanceof NotHttpError) return this.tracker.record(rejected(`${error.message}: is this the Event Server's analytics events port?`, true));
      return this.tracker.record(fromNetworkError(error, signal, this.config.timeoutMs));
    }
  }

  health(): VmsAdapterHealth {
    return this.tracker.snapshot();
  }
}
