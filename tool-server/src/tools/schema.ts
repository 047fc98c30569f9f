// JSON-schema pieces shared by the tools' bodies. Formats are checked by
// fastify's validator (ajv-formats, with the stricter uuid and the phone
// format added in app.ts), so a bad value answers 400 naming its field.
export type JsonSchema = Record<string, unknown>;

export const uuid = (description: string): JsonSchema => ({ type: 'string', format: 'uuid', description });

export const time = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });

export const minutes = (description: string, fallback?: number): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  description,
  ...(fallback !== undefined ? { default: fallback } : {}),
});

export const text = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  minLength: 1,
  description,
  ...extra,
});

/** Every body may repeat the tenant; the key decides it, and a different one is refused. */
export const tenantId = uuid('The organisation; optional, as the key decides it. Another organisation than the key\'s is refused (403).');

export function body(required: string[], properties: Record<string, JsonSchema>): JsonSchema {
  return { type: 'object', required, properties: { tenantId, ...properties } };
}
