import { AppError } from '../contracts/index.js';

/** What a PostgreSQL (or PGlite) error carries, wherever the driver or objection put it. */
interface DatabaseFault {
  code: string;
  detail?: string;
  constraint?: string;
  column?: string;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function faultOf(error: unknown, depth = 0): DatabaseFault | null {
  if (typeof error !== 'object' || error === null || depth > 3) return null;
  const record = error as Record<string, unknown>;
  if (typeof record.code === 'string' && SQLSTATE.test(record.code)) {
    return {
      code: record.code,
      ...(typeof record.detail === 'string' ? { detail: record.detail } : {}),
      ...(typeof record.constraint === 'string' ? { constraint: record.constraint } : {}),
      ...(typeof record.column === 'string' ? { column: record.column } : {}),
    };
  }
  return faultOf(record.nativeError ?? record.cause, depth + 1);
}

const camel = (column: string): string => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** `Key (tenant_id, code)=(…) already exists.` -> ['code'] (the tenant column says nothing to a client). */
function keyColumns(detail: string | undefined): string[] {
  const match = /Key \(([^)]+)\)=/.exec(detail ?? '');
  if (!match?.[1]) return [];
  return match[1].split(',').map((c) => c.trim().replace(/^"|"$/g, '')).filter((c) => c !== 'tenant_id').map(camel);
}

const referencedTable = (detail: string | undefined): string | undefined => /table "([^"]+)"/.exec(detail ?? '')?.[1];

/** Input the database could not store as given: bad text, out-of-range numbers or dates, oversized values. */
const INVALID_INPUT = new Set(['22P02', '22007', '22008', '22021', '22P05', '22003', '22001', '22023', '2201B', '54000', '23502', '23514', '22004', '22026']);
/** The database is momentarily unable to decide: the client may retry. */
const TRANSIENT = new Set(['40001', '40P01', '55P03', '57014', '53300']);

/**
 * Maps a database error to the hub's one error type: a duplicate to 409 naming the field, a dangling
 * reference to 422 naming the column, unstorable input to 400, transient contention to 503. Anything else
 * is not the client's fault and returns null (the caller answers 500 and logs the cause).
 */
export function databaseErrorToAppError(error: unknown): AppError | null {
  const fault = faultOf(error);
  if (!fault) return null;
  if (fault.code === '23505') {
    const fields = keyColumns(fault.detail);
    const field = fields.join(', ') || fault.constraint || 'a unique field';
    return new AppError('conflict', `another record already has this ${field}`, { cause: error, details: { fields, constraint: fault.constraint } });
  }
  if (fault.code === '23503') {
    const fields = keyColumns(fault.detail);
    const table = referencedTable(fault.detail);
    return new AppError('reference_invalid', `${fields.join(', ') || 'a reference'} names a record that does not exist${table ? ` (${table})` : ''}`, {
      cause: error, details: { fields },
    });
  }
  if (INVALID_INPUT.has(fault.code)) return new AppError('invalid_input', 'a value cannot be stored as given (bad characters, out of range or too long)', { cause: error, details: { sqlstate: fault.code } });
  if (TRANSIENT.has(fault.code)) return new AppError('unavailable', 'the database is busy; retry shortly', { cause: error, details: { retryAfterSeconds: 1 } });
  return null;
}
