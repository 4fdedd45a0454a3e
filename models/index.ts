export { BaseModel, TenantModel } from './base-model.js';
export { Tenant, Region, Store, Lane, Camera, Device, type CameraZone, type StoreSettings } from './directory.js';
export { Incident, IncidentTransition, IncidentComment } from './incident.js';
export { DetectionEventRow } from './detection-event.js';
export { ApiToken } from './access.js';
export { AuditRecord } from './audit-record.js';
export { User, Session } from './identity.js';
export { RUNTIME_ROLE } from './runtime-role.js';
export { TenantPolicyVersion, ServiceIdentity } from './policy.js';
