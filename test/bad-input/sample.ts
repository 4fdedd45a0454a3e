/**
 * Schema-derived requests for the bad-input suite: a plausible valid value for any JSON Schema the
 * OpenAPI document holds (what a careful client would send), built from the schema alone.
 */
export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | false;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: JsonSchema | boolean;
};

/** Real ids of the seeded world by prefix (reg_, sto_ …), so samples reach past the 404 of a lookup. */
export type KnownIds = Record<string, string>;

const ID_PATTERN = /^\^([a-z]{3})_/;

function sampleString(schema: JsonSchema, ids: KnownIds): string {
  const prefix = schema.pattern ? ID_PATTERN.exec(schema.pattern)?.[1] : undefined;
  if (prefix && ids[prefix]) return ids[prefix];
  if (typeof schema.example === 'string') return schema.example;
  if (schema.format === 'date-time') return new Date().toISOString();
  if (schema.format === 'date') return new Date().toISOString().slice(0, 10);
  if (schema.format === 'email') return 'fuzz@example.com';
  if (schema.format === 'uri' || schema.format === 'url') return 'https://hooks.example.com/vigil';
  if (schema.format === 'uuid') return '6f1c2a7e-3b4d-4c5e-8f90-1a2b3c4d5e6f';
  return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
}

function sampleNumber(schema: JsonSchema, integer: boolean): number {
  const low = schema.minimum ?? 1;
  const value = schema.maximum !== undefined ? Math.min(low, schema.maximum) : low;
  return integer ? Math.ceil(value) : value;
}

export function sample(schema: JsonSchema | undefined, ids: KnownIds, depth = 0): unknown {
  if (!schema || depth > 8) return null;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const choice = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (choice) return sample(choice, ids, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return sampleString(schema, ids);
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    case 'array': {
      if (schema.prefixItems) return schema.prefixItems.map((item) => sample(item, ids, depth + 1));
      const count = Math.max(1, schema.minItems ?? 1);
      return schema.items ? Array.from({ length: count }, () => sample(schema.items || undefined, ids, depth + 1)) : [];
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) out[key] = sample(property, ids, depth + 1);
      return out;
    }
    default:
      return schema.default ?? null;
  }
}
