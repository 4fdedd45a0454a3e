import { z } from 'zod';
import type { RawOperation } from './raw-operations.js';
import type { AnyRouteSpec } from './route.js';

type JsonObject = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonObject =>
  z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonObject;

const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(spec: AnyRouteSpec): JsonObject[] {
  const out: JsonObject[] = [];
  for (const [where, schema] of [['path', spec.params], ['query', spec.query], ['header', spec.headers]] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, 'input');
    const properties = (js.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((js.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      out.push({ name, in: where, required: where === 'path' || required.has(name), schema: property, ...(property.description ? { description: property.description } : {}) });
    }
  }
  return out;
}

function operation(spec: AnyRouteSpec, security: JsonObject[]): JsonObject {
  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(spec.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.schema ? { content: { 'application/json': { schema: jsonSchema(response.schema, 'output') } } } : {}),
    };
  }
  responses.default = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.deprecated ? { deprecated: true } : {}),
    parameters: parameters(spec),
    ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
    responses,
    security,
  };
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' }, details: { type: 'object' } },
    },
  },
};

function rawOperation(op: RawOperation): JsonObject {
  const responses: JsonObject = Object.fromEntries(Object.entries(op.responses).map(([status, description]) => [status, { description }]));
  return {
    operationId: op.operationId,
    summary: op.summary,
    tags: [op.tag],
    parameters: (op.parameters ?? []).map((p) => ({ ...p, schema: { type: 'string' } })),
    ...(op.requestContentTypes ? { requestBody: { required: true, content: Object.fromEntries(op.requestContentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) } } : {}),
    responses,
    security: op.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
  };
}

/** The configured provider, for clients that discover it from the API description (access tokens as bearer). */
function openIdConnectScheme(issuer: string): JsonObject {
  return {
    type: 'openIdConnect',
    openIdConnectUrl: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
    description: 'Access tokens (JWT) from this OpenID Connect provider, sent as `Authorization: Bearer`.',
  };
}

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApi(routes: AnyRouteSpec[], serverUrl?: string, rawOperations: RawOperation[] = [], identity: { oidcIssuer?: string } = {}): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const security = [{ bearerAuth: [] }, { sessionCookie: [] }, ...(identity.oidcIssuer ? [{ openIdConnect: [] }] : [])];
  for (const spec of routes) {
    const path = openApiPath(spec.path);
    paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation(spec, security) };
  }
  for (const op of rawOperations) {
    const path = openApiPath(op.path);
    paths[path] = { ...(paths[path] ?? {}), [op.method]: rawOperation(op) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Vigil hub API', version: '1.0.0', description: 'Stores, cameras, detection events, incidents and their review workflow, audit trail.' },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A `vgl_` API token, or an access token (JWT) from the configured OpenID Connect provider.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'vigil_session', description: 'The console session set by /auth/callback after an OpenID Connect login.' },
        ...(identity.oidcIssuer ? { openIdConnect: openIdConnectScheme(identity.oidcIssuer) } : {}),
      },
      schemas: { Error: errorSchema },
    },
  };
}
