export { createVmsAdapter, adapterFor } from './create-vms-adapter.js';
export {
  vmsConfigSchema, parseVmsConfig, milestoneConfigSchema, milestoneRestConfigSchema, milestoneGenericConfigSchema, genetecConfigSchema, nxConfigSchema,
} from './config.js';
export type {
  VmsConfig, VmsConfigInput, VmsAdapterKind, MilestoneConfig, MilestoneRestConfig, MilestoneGenericConfig, GenetecConfig, NxConfig,
  MilestoneConfigInput, MilestoneRestConfigInput, MilestoneGenericConfigInput, GenetecConfigInput, NxConfigInput, AdapterInput,
} from './config.js';
export { MilestoneAdapter, milestoneOutcome } from './milestone-adapter.js';
export { MilestoneRestAdapter, milestoneRestEvent } from './milestone-rest-adapter.js';
export { MilestoneGenericAdapter } from './milestone-generic-adapter.js';
export { GenetecAdapter, genetecOutcome } from './genetec-adapter.js';
export { NxAdapter, nxLegacyOutcome } from './nx-adapter.js';
export { analyticsEventXml, analyticsEventRequest } from './milestone-analytics-event.js';
export { listVmsCameras, proposeCameraMapping } from './vms-cameras.js';
export type { VmsCamera, CameraListTarget, LocalCamera, CameraMappingProposal } from './vms-cameras.js';
