// elevenlabs/tools.json: a server (webhook) tool per tool, each calling its
// endpoint under the neutral prefix, with conversationId and callerId taken
// from ElevenLabs' system dynamic variables rather than from the model.
// ElevenLabs' body properties are literal types with a description (no
// formats or bounds): those stay in the server's validation.
import { ELEVENLABS_CALL_FIELDS, NEUTRAL_TOOL_PREFIX } from '../routes/tool-routes';
import type { JsonSchema } from '../tools/schema';
import { TOOLS } from '../tools/registry';
import { EXAMPLE_HOST, KEY_PLACEHOLDER, modelParameters, TOOL_TIMEOUT_SECONDS } from './model-schema';

const DYNAMIC_VARIABLE: Record<string, string> = {
  conversationId: 'system__conversation_id',
  callerId: 'system__caller_id',
};

function literal(schema: JsonSchema): JsonSchema {
  const s = schema as { type?: string; description?: string; enum?: unknown[] };
  return { type: s.type ?? 'string', description: String(s.description ?? ''), ...(s.enum ? { enum: s.enum } : {}) };
}

export function elevenLabsToolDefinitions(host: string = EXAMPLE_HOST): unknown[] {
  return TOOLS.map((tool) => {
    const params = modelParameters(tool);
    const properties: Record<string, JsonSchema> = Object.fromEntries(Object.entries(params.properties).map(([k, v]) => [k, literal(v)]));
    for (const name of Object.keys(ELEVENLABS_CALL_FIELDS)) properties[name] = { type: 'string', dynamic_variable: DYNAMIC_VARIABLE[name] };
    return {
      type: 'webhook',
      name: tool.name,
      description: tool.description,
      response_timeout_secs: TOOL_TIMEOUT_SECONDS,
      api_schema: {
        url: `${host}${NEUTRAL_TOOL_PREFIX}/${tool.path}`,
        method: 'POST',
        request_headers: { Authorization: KEY_PLACEHOLDER },
        request_body_schema: { type: 'object', description: `The arguments of ${tool.name}.`, properties, required: params.required },
      },
    };
  });
}
