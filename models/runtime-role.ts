/** The database role API requests run as (SET LOCAL ROLE): it owns nothing and has no BYPASSRLS. */
export const RUNTIME_ROLE = 'vigil_runtime';
