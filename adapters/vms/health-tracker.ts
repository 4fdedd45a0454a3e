import type { VmsAdapterHealth, VmsDelivery } from '../../contracts/capabilities.js';

/** Counts outcomes of one adapter for `health()`; the state follows the last alarm. */
export class HealthTracker {
  private state: VmsAdapterHealth['state'] = 'idle';
  private sent = 0;
  private failed = 0;
  private lastError: string | null = null;
  private lastSuccessAt: number | null = null;

  constructor(private readonly vendor: string) {}

  record(outcome: VmsDelivery): VmsDelivery {
    if (outcome.status === 'delivered') {
      this.sent++;
      this.state = 'ok';
      this.lastSuccessAt = Date.now();
    } else {
      this.failed++;
      this.lastError = outcome.reason;
      this.state = outcome.status === 'rejected' && outcome.isConfigurationError ? 'misconfigured' : 'failing';
    }
    return outcome;
  }

  snapshot(): VmsAdapterHealth {
    return { vendor: this.vendor, state: this.state, sent: this.sent, failed: this.failed, lastError: this.lastError, lastSuccessAt: this.lastSuccessAt };
  }
}
