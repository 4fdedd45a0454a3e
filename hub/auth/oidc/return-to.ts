const BASE = 'http://vigil.invalid';
const MAX_LENGTH = 2000;

/** Percent-decodes until stable (a few rounds), so `%252e` cannot hide a dot segment; null for broken escapes. */
function fullyDecoded(value: string): string | null {
  let current = value;
  for (let round = 0; round < 4; round += 1) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) return current;
    current = next;
  }
  return null;
}

/** Refused anywhere in the raw or decoded text: backslashes (browsers read them as `/`) and control characters. */
const hasForbiddenCharacter = (text: string): boolean => [...text].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** A path of this origin only: one leading slash, never `//` (a scheme-relative URL names another host). */
const isLocalPath = (path: string): boolean => path.startsWith('/') && !path.startsWith('//');

function resolvesLocally(path: string): boolean {
  try {
    const resolved = new URL(path, BASE);
    return resolved.origin === BASE && isLocalPath(resolved.pathname);
  } catch {
    return false;
  }
}

/**
 * A same-origin path to go back to after login, or null. The checks run on what the browser will finally
 * follow, not on the input: the value is decoded, its dot segments resolved, and the RESULT must still be a
 * plain path (`/.//evil.example` and `/%2e%2e//evil.example` both resolve to `//evil.example` and are refused).
 * The normalised path (its escapes kept) is returned, and it passes this check again unchanged.
 */
export function safeReturnTo(value: string): string | null {
  if (value.length === 0 || value.length > MAX_LENGTH) return null;
  const decoded = fullyDecoded(value);
  if (decoded === null || hasForbiddenCharacter(value) || hasForbiddenCharacter(decoded)) return null;
  if (!isLocalPath(value) || !isLocalPath(decoded)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE || url.username !== '' || url.password !== '') return null;
  const normalised = `${url.pathname}${url.search}${url.hash}`;
  const decodedPath = fullyDecoded(url.pathname);
  if (!isLocalPath(normalised) || decodedPath === null || !isLocalPath(decodedPath) || hasForbiddenCharacter(decodedPath)) return null;
  // Whatever a later hop decodes, its dot segments must still resolve to a path here (`%252e%252e//host`).
  if (!resolvesLocally(decoded) || !resolvesLocally(decodedPath)) return null;
  // The redirect target must itself be a fixed point: a second normalisation changes nothing.
  const again = new URL(normalised, BASE);
  if (again.origin !== BASE || `${again.pathname}${again.search}${again.hash}` !== normalised) return null;
  return normalised;
}
