import { EVENT_TYPES, INCIDENT_STATES, SEVERITIES } from '../contracts/index.js';
import { ACTIONS, ROLES, type Action, type SubjectName } from './types.js';

type Subject = Exclude<SubjectName, 'all'>;

/**
 * The fields each subject exposes to rules (field lists in `read` rules, and the presenters' names).
 * Kept for reference and for field lists; which of them conditions may name is `CONDITION_FIELDS`.
 */
export const SUBJECT_FIELDS: Partial<Record<Subject, readonly string[]>> = {
  Region: ['id', 'name'],
  Store: ['id', 'regionId', 'name', 'code', 'timezone', 'address', 'settings'],
  Lane: ['id', 'storeId', 'name', 'posWorkstationId'],
  Camera: ['id', 'storeId', 'laneId', 'name', 'onvif', 'streams', 'zones', 'health'],
  Incident: ['id', 'storeId', 'regionId', 'laneId', 'cameraId', 'type', 'severity', 'state', 'assigneeId', 'confidence', 'eventCount', 'openedAt', 'lastEventAt', 'dismissReason', 'outcome', 'operatorId', 'pos'],
};

/**
 * Where a condition is enforced: the fields every route checks on the record (single records with CASL
 * `subject()`, lists in SQL with `whereAllowed`). A subject missing here takes no conditions at all: its
 * routes have no record to check (usage counters, retention policies, webhooks, POS posts, devices,
 * tenants, users), so a condition there would be silently ignored and is refused at save instead.
 * `createFields` are the fields known before a record exists; a conditional `create` (or `manage`) may
 * name only those, and none when the subject is created without a record check. `actions`, where given, are
 * the only actions a conditional rule on the subject may name.
 */
export const CONDITION_FIELDS: Partial<Record<Subject, { fields: readonly string[]; createFields: readonly string[]; actions?: readonly Action[] }>> = {
  Region: { fields: ['id', 'name'], createFields: [] },
  Store: { fields: ['id', 'regionId', 'name', 'code', 'timezone'], createFields: [] },
  Lane: { fields: ['id', 'storeId', 'name', 'posWorkstationId'], createFields: ['storeId'] },
  Camera: { fields: ['id', 'storeId', 'laneId', 'name'], createFields: ['storeId'] },
  Incident: {
    fields: ['id', 'storeId', 'regionId', 'laneId', 'cameraId', 'type', 'severity', 'state', 'assigneeId', 'confidence', 'eventCount', 'dismissReason', 'programId', 'shadow'],
    createFields: [],
  },
  Event: { fields: ['storeId'], createFields: [] },
  AuditRecord: { fields: ['id', 'action', 'subjectType', 'subjectId', 'actorId'], createFields: [] },
  ApiToken: { fields: ['role'], createFields: ['role'] },
  // Releasing a legal hold names no item, so a conditional update (or manage) of evidence could not be checked.
  Evidence: { fields: ['storeId', 'regionId'], createFields: ['storeId', 'regionId'], actions: ['read', 'create', 'unredact'] },
  RoutingPolicy: { fields: ['id', 'storeId', 'regionId'], createFields: [] },
  PosTransaction: { fields: ['storeId', 'regionId', 'laneId'], createFields: [], actions: ['read'] },
  Policy: { fields: ['role'], createFields: ['role'] },
  ServiceIdentity: { fields: ['id', 'name'], createFields: ['name'] },
  // A store's rule document is read and replaced whole; it is never created or deleted on its own.
  StoreRules: { fields: ['storeId', 'regionId'], createFields: [], actions: ['read', 'update'] },
};

/** Field lists are applied by the presenters of these subjects only (and only to reading). */
export const FIELD_LIST_SUBJECTS: readonly Subject[] = ['Store', 'Lane', 'Camera', 'Incident'];

/** Condition values that must come from a closed set, so a typo is refused instead of matching nothing. */
export const CONDITION_ENUMS: Record<string, readonly string[]> = {
  'Incident.state': INCIDENT_STATES,
  'Incident.severity': SEVERITIES,
  'Incident.type': EVENT_TYPES,
  'Policy.role': ROLES,
  'ApiToken.role': ROLES,
};

/** Actions a `create` check covers: `manage` is every action. */
export const CREATING_ACTIONS: readonly Action[] = ['create', 'manage'];
export const ACTION_CHOICES: readonly string[] = ACTIONS;

export const CONDITION_OPERATORS = ['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte'] as const;
export const PLACEHOLDERS = ['${user.storeIds}', '${user.regionIds}', '${user.id}', '${user.tenantId}'] as const;
