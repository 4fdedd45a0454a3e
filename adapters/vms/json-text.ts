/** JSON.parse that answers null for text that is not JSON: the caller's schema check then reports it. */
export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // not JSON
  }
}
