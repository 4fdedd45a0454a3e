import { AppError } from '../contracts/index.js';

/**
 * Unique and foreign-key constraints -> the request field a client can fix. Knex names a unique key
 * `<table>_<columns>_unique`; the hand-written indexes keep their own names.
 */
const CONSTRAINT_FIELDS: Record<string, string> = {
  regions_tenant_id_name_unique: 'name',
  stores_tenant_environment_code_unique: 'code',
  lanes_tenant_id_store_id_pos_workstation_id_unique: 'posWorkstationId',
  users_tenant_id_email_unique: 'email',
  users_tenant_id_issuer_subject_unique: 'subject',
  tenant_policies_tenant_id_role_version_unique: 'version',
  retention_policies_scope: 'scope',
  evidence_holds_active: 'targetId',
  evidence_items_tenant_id_storage_key_unique: 'storageKey',
};

/** Input the database could not store as given: bad text, out-of-range numbers or dates, oversized values. */
const INVALID_INPUT_CODES = new Set(['22P02', '22007', '22008', '22021', '22P05', '54000', '22003', '22001', '22023', '2201B', '23502', '23514', '22004', '22026']);
/** The database is momentarily unable to decide (serialisation, deadlock, lock timeout): the client may retry. */
const TRANSIENT_CODES = new Set(['40001', '40P01', '55P03', '57014', '53300']);

interface DriverError {
  code: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

const isDriverError = (value: unknown): value is DriverError =>
  typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((value as { code: string }).code);

/** The PostgreSQL error behind an error (objection wraps it as `nativeError`, others as `cause`). */
function driverErrorOf(error: unknown): DriverError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    if (isDriverError(current)) return current;
    const wrapper = current as { nativeError?: unknown; cause?: unknown };
    current = wrapper.nativeError ?? wrapper.cause;
  }
  return undefined;
}

/** The field a constraint guards: the mapped name, else the columns PostgreSQL lists in its detail. */
function fieldOf(error: DriverError): string {
  const mapped = error.constraint ? CONSTRAINT_FIELDS[error.constraint] : undefined;
  if (mapped) return mapped;
  const columns = /^Key \(([^)]+)\)/.exec(error.detail ?? '')?.[1];
  const last = columns?.split(',').map((c) => c.trim()).filter((c) => c !== 'tenant_id').pop();
  return last ? last.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) : (error.constraint ?? 'unknown');
}

/**
 * Turns a database error a client caused into our AppError: a duplicate key is 409 `conflict` naming the
 * field, a missing reference 422 `unprocessable`, a value PostgreSQL cannot take 400 `invalid_input`.
 * Anything else (and a non-database error) gives `undefined`: the caller rethrows it as it is.
 */
export function databaseErrorToAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return undefined;
  const driver = driverErrorOf(error);
  if (!driver) return undefined;
  if (driver.code === '23505') {
    const field = fieldOf(driver);
    return new AppError('conflict', `${field} is already taken`, { cause: error, details: { field } });
  }
  if (driver.code === '23503') {
    const reference = fieldOf(driver);
    return new AppError('unprocessable', `${reference} names something that does not exist`, { cause: error, details: { field: reference } });
  }
  if (INVALID_INPUT_CODES.has(driver.code)) return new AppError('invalid_input', 'a value is not one the database can store', { cause: error });
  if (TRANSIENT_CODES.has(driver.code)) return new AppError('unavailable', 'the database is busy; retry shortly', { cause: error, details: { retryAfterSeconds: 1 } });
  return undefined;
}

/** Runs a write and turns the database errors a client caused into AppErrors (see databaseErrorToAppError). */
export async function mappingDatabaseErrors<T>(write: () => PromiseLike<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw databaseErrorToAppError(error) ?? error;
  }
}
