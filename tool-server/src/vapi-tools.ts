// The assistant's tool definitions, made from the same schemas the server
// validates with, so what Vapi is told and what the server accepts cannot
// drift apart (test/vapi-tools.test.ts checks vapi/tools.json against this).
import type { JsonSchema } from './tools/schema';
import { TOOLS } from './tools/registry';

// Filled in by the server, never by the model: the key decides the tenant,
// Vapi's call id is the hold's caller_ref.
const ALWAYS_HIDDEN = ['tenantId', 'callId'];

// Said while a slower tool runs, so the caller is not left in silence.
const REQUEST_START: Record<string, string> = {
  reserve_slot: 'One moment while I hold that time for you.',
  send_otp: 'I\'m texting you a verification code now.',
  verify_otp: 'Let me check that code.',
  check_availability: 'Let me look at the calendar.',
};

function forModel(schema: JsonSchema): JsonSchema {
  const { format, ...rest } = schema as { format?: string };
  // "phone" is this server's own format; models know only the standard ones.
  return format === undefined || format === 'phone' ? rest : { ...rest, format };
}

export function vapiToolDefinitions(serverUrl: string): unknown[] {
  return TOOLS.map((tool) => {
    const hidden = new Set([...ALWAYS_HIDDEN, ...(tool.hidden ?? [])]);
    const body = tool.body as { properties: Record<string, JsonSchema>; required: string[] };
    const properties = Object.fromEntries(
      Object.entries(body.properties)
        .filter(([k]) => !hidden.has(k))
        .map(([k, v]) => [k, forModel(v)]),
    );
    const start = REQUEST_START[tool.name];
    return {
      type: 'function',
      async: false,
      function: {
        name: tool.name,
        description: tool.description,
        parameters: { type: 'object', properties, required: body.required.filter((k) => !hidden.has(k)) },
      },
      server: { url: serverUrl, timeoutSeconds: 20 },
      ...(start ? { messages: [{ type: 'request-start', content: start }] } : {}),
    };
  });
}

export const EXAMPLE_SERVER_URL = 'https://tools.example-clinic.com/api/vapi/tool-calls';
