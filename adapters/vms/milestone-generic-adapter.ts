import { connect } from 'node:net';
import type { VmsAdapter, VmsAdapterHealth, VmsAlarm, VmsDelivery } from '../../contracts/capabilities.js';
import { fillTemplate } from './alarm-template.js';
import { parseVmsConfig, milestoneGenericConfigSchema, type MilestoneGenericConfig, type MilestoneGenericConfigInput } from './config.js';
import { HealthTracker } from './health-tracker.js';
import { deadline } from './http-request.js';
import { delivered, fromNetworkError } from './outcome.js';

/** Writes `payload` on a fresh connection and half-closes; resolves once the bytes were handed to the peer's socket. */
function sendOnce(host: string, port: number, payload: Buffer, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const socket = connect({ host, port });
    const onAbort = (): void => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    socket.on('connect', () => {
      socket.end(payload, () => {
        signal.removeEventListener('abort', onAbort);
        // Generic events answer nothing unless the data source echoes; an echo is not waited for.
        socket.destroy();
        resolve();
      });
    });
  });
}

/**
 * Milestone XProtect Generic Events: a plain string on the data source's TCP port (1234). The Event Server
 * matches it against each generic event's expression; records end with the data source's separator bytes
 * (CR LF by default). Only events from allowed addresses are analysed (Tools > Options > Generic Events).
 */
export class MilestoneGenericAdapter implements VmsAdapter {
  readonly vendor = 'milestone-generic';
  private readonly tracker = new HealthTracker(this.vendor);

  private readonly config: MilestoneGenericConfig;

  /** Takes the config as written (defaults filled in here); throws `config_invalid`. */
  constructor(input: MilestoneGenericConfigInput | MilestoneGenericConfig) {
    this.config = parseVmsConfig(milestoneGenericConfigSchema, { ...input, adapter: 'milestone-generic' });
  }

  /** The exact record sent for an alarm. */
  record(alarm: VmsAlarm): string {
    return `${fillTemplate(this.config.template, alarm)}${this.config.terminator}`;
  }

  async raise(alarm: VmsAlarm, signal?: AbortSignal): Promise<VmsDelivery> {
    const record = this.record(alarm);
    try {
      await sendOnce(this.config.host, this.config.port, Buffer.from(record, 'utf8'), deadline(signal, this.config.timeoutMs));
      return this.tracker.record(delivered(`sent ${Buffer.byteLength(record, 'utf8')} bytes to ${this.config.host}:${this.config.port}`));
    } catch (error) {
      return this.tracker.record(fromNetworkError(error, signal, this.config.timeoutMs));
    }
  }

  health(): VmsAdapterHealth {
    return this.tracker.snapshot();
  }
}
