export { loadPolicies, routeIncident, type RouteDecision } from './incident-router.js';
export { policyMatches, type RoutingPolicy, type RoutableIncident } from './policy-match.js';
export { isQuietAt, localMinutes, type QuietHours } from './quiet-hours.js';
