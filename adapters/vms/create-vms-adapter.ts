import type { VmsAdapter } from '../../contracts/capabilities.js';
import { parseVmsConfig, vmsConfigSchema, type VmsConfig } from './config.js';
import { GenetecAdapter } from './genetec-adapter.js';
import { MilestoneAdapter } from './milestone-adapter.js';
import { MilestoneGenericAdapter } from './milestone-generic-adapter.js';
import { MilestoneRestAdapter } from './milestone-rest-adapter.js';
import { NxAdapter } from './nx-adapter.js';

/** Validates a VMS config (throws `config_invalid` listing the problems) and builds its adapter. */
export function createVmsAdapter(input: unknown): VmsAdapter {
  return adapterFor(parseVmsConfig(vmsConfigSchema, input));
}

/** The adapter for an already validated config. */
export function adapterFor(config: VmsConfig): VmsAdapter {
  switch (config.adapter) {
    case 'milestone':
      return new MilestoneAdapter(config);
    case 'milestone-rest':
      return new MilestoneRestAdapter(config);
    case 'milestone-generic':
      return new MilestoneGenericAdapter(config);
    case 'genetec':
      return new GenetecAdapter(config);
    case 'nx':
      return new NxAdapter(config);
  }
}
