import { AppError } from '../../contracts/index.js';

/**
 * Bytes read from an upload as text a refusal may carry: printable ASCII as is, anything else as `\xNN`.
 * A refusal is stored in the audit trail (PostgreSQL refuses a NUL in text) and shown to a person.
 */
export function printable(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return out;
}

/** The one refusal of bad media: a stable code, a reason in plain text, never a server path or raw bytes. */
export function mediaInvalid(what: 'clip' | 'snapshot', reason: string): AppError {
  const subject = what === 'clip' ? 'the clip is not a complete H.264 MP4' : 'the snapshot is not a complete baseline or progressive JPEG';
  return new AppError('media_invalid', `${subject}: ${reason}`, { details: { reason } });
}
