/**
 * Matches the `user[:password]@` part of any URL (rtsp://, http://, …) so it never reaches a log or a health report.
 * Greedy up to the authority's last `@`: some cameras accept a raw `@` inside the password (rtsp://admin:p@ss@host).
 */
const CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^/\s]*@/gi;

/** Replaces the credentials of every URL in `text` with `***@`. */
export function redactUrl(text: string): string {
  return text.replace(CREDENTIALS, '$1***@');
}
