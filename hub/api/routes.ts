import { analyticsRoutes } from './analytics/router.js';
import { digestRoutes } from './digests/router.js';
import { auditRoutes } from './audit/router.js';
import { auditVerificationRoutes } from './audit/verification-route.js';
import { cameraRoutes } from './cameras/router.js';
import { environmentRoutes } from './environments/router.js';
import { eventRoutes } from './events/router.js';
import { evidenceRoutes } from './evidence/router.js';
import { incidentRoutes } from './incidents/router.js';
import { laneRoutes } from './lanes/router.js';
import { policyRoutes } from './policies/router.js';
import { policyExplainRoutes } from './policies/explain-route.js';
import { programRoutes } from './programs/router.js';
import { posReadRoutes } from './pos/transactions-router.js';
import { regionRoutes } from './regions/router.js';
import { retentionRoutes } from './retention/router.js';
import { serviceIdentityRoutes } from './service-identities/router.js';
import { sessionRoutes } from './session/router.js';
import type { AnyRouteSpec } from './route.js';
import type { HubServices } from './services.js';
import { storeRoutes } from './stores/router.js';
import { storeRulesRoutes } from './stores/rules-router.js';
import { storeTuningRoutes } from './stores/tuning-router.js';
import { tokenRoutes } from './tokens/router.js';
import { usageRoutes } from './usage/router.js';
import { userRoutes } from './users/router.js';
import { webhookRoutes } from './webhooks/router.js';
import { routingPolicyRoutes } from './routing-policies/router.js';

/** Every authenticated /v1 route. The OpenAPI document and the router are both built from this list. */
export function allRoutes(services: HubServices): AnyRouteSpec[] {
  return [...regionRoutes, ...storeRoutes, ...storeRulesRoutes(services), ...storeTuningRoutes(services), ...laneRoutes, ...cameraRoutes, ...eventRoutes(services), ...evidenceRoutes(services), ...retentionRoutes, ...incidentRoutes, ...posReadRoutes, ...auditRoutes, ...auditVerificationRoutes(services), ...tokenRoutes, ...policyRoutes, ...policyExplainRoutes, ...serviceIdentityRoutes, ...usageRoutes, ...webhookRoutes(services), ...routingPolicyRoutes, ...userRoutes, ...environmentRoutes, ...sessionRoutes, ...programRoutes(services), ...analyticsRoutes, ...digestRoutes];
}
