// What each platform's definitions tell the model about a tool, made from
// the schema the server validates with, so what a model is told and what the
// server accepts cannot drift apart (test/definitions.test.ts checks the
// committed files against these functions).
import type { JsonSchema } from '../tools/schema';
import type { Tool } from '../tools/tool';

// Filled in by the server, never by the model: the key decides the tenant,
// the call's id is the caller_ref and keys a retried booking.
const ALWAYS_HIDDEN = ['tenantId', 'callId', 'idempotencyKey'];

// Filled from the call when the model leaves them out (platforms/call-facts.ts).
const FROM_THE_CALL: Record<string, string> = {
  patientPhone: ' Leave it out to use the number the caller is calling from; ask for a mobile number if that one cannot take text messages.',
};

/** Said while a slower tool runs, so the caller is not left in silence. */
export const SAID_WHILE_RUNNING: Record<string, string> = {
  reserve_slot: 'One moment while I hold that time for you.',
  send_otp: 'I\'m texting you a verification code now.',
  verify_otp: 'Let me check that code.',
  check_availability: 'Let me look at the calendar.',
};

/** How long a platform waits for a tool: the database's own limit is 5 s; a text message's 10 s. */
export const TOOL_TIMEOUT_SECONDS = 20;

export const EXAMPLE_HOST = 'https://tools.example-clinic.com';

/** Where a platform's definitions say to put the tool server key. */
export const KEY_PLACEHOLDER = 'Bearer <TOOL_SERVER_KEY of this clinic>';

function forModel(name: string, schema: JsonSchema): JsonSchema {
  const { format, ...rest } = schema as { format?: string; description?: string };
  // "phone" is this server's own format; models know only the standard ones.
  const out = format === undefined || format === 'phone' ? rest : { ...rest, format };
  const extra = FROM_THE_CALL[name];
  return extra ? { ...out, description: `${String(rest.description ?? '')}${extra}` } : out;
}

export interface ModelParameters {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: string[];
}

/** The tool's parameters as a model fills them: hidden fields left out, the call's not required. */
export function modelParameters(tool: Tool): ModelParameters {
  const hidden = new Set([...ALWAYS_HIDDEN, ...(tool.hidden ?? [])]);
  const body = tool.body as { properties: Record<string, JsonSchema>; required: string[] };
  const properties = Object.fromEntries(
    Object.entries(body.properties)
      .filter(([k]) => !hidden.has(k))
      .map(([k, v]) => [k, forModel(k, v)]),
  );
  const required = body.required.filter((k) => !hidden.has(k) && !(k in FROM_THE_CALL));
  return { type: 'object', properties, required };
}
