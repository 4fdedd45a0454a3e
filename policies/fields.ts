import type { SubjectName } from './types.js';

/**
 * The fields each subject exposes to rules: conditions and field lists may name only these, so a typo in a
 * tenant's policy is refused instead of silently matching nothing.
 */
export const SUBJECT_FIELDS: Partial<Record<Exclude<SubjectName, 'all'>, readonly string[]>> = {
  Region: ['id', 'name'],
  Store: ['id', 'regionId', 'name', 'code', 'timezone', 'address', 'settings'],
  Lane: ['id', 'storeId', 'name', 'posWorkstationId'],
  Camera: ['id', 'storeId', 'laneId', 'name', 'onvif', 'streams', 'zones', 'health'],
  Device: ['id', 'name', 'storeIds', 'version'],
  Incident: ['id', 'storeId', 'regionId', 'laneId', 'cameraId', 'type', 'severity', 'state', 'assigneeId', 'confidence', 'eventCount', 'openedAt', 'lastEventAt', 'dismissReason', 'outcome', 'operatorId'],
  Event: ['id', 'storeId', 'cameraId', 'laneId', 'type', 'severity'],
  AuditRecord: ['id', 'action', 'subjectType', 'subjectId', 'actorId'],
  ApiToken: ['id', 'role', 'name', 'principalId'],
  Tenant: ['id', 'name'],
  Policy: ['id', 'role', 'version'],
  ServiceIdentity: ['id', 'name', 'storeIds'],
  Usage: ['metric'],
  Evidence: ['id', 'incidentId', 'storeId', 'kind'],
  Webhook: ['id', 'url'],
  RoutingPolicy: ['id', 'storeId', 'regionId'],
  PosTransaction: ['id', 'storeId', 'laneId', 'workstationId', 'operatorId'],
  RetentionPolicy: ['id'],
};

export const CONDITION_OPERATORS = ['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte'] as const;
export const PLACEHOLDERS = ['${user.storeIds}', '${user.regionIds}', '${user.id}', '${user.tenantId}'] as const;
