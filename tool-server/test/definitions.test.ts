// What each platform is told matches what the server accepts: one registry
// (src/tools/registry.ts) feeds vapi/tools.json, retell/functions.json and
// elevenlabs/tools.json, and a committed file that drifts from it fails here
// (npm run definitions writes them again). The Vapi prompt speaks this API's
// tools and actions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { elevenLabsToolDefinitions } from '../src/definitions/elevenlabs';
import { EXAMPLE_HOST } from '../src/definitions/model-schema';
import { retellFunctionDefinitions } from '../src/definitions/retell';
import { EXAMPLE_SERVER_URL, vapiToolDefinitions } from '../src/definitions/vapi';
import { TOOLS } from '../src/tools/registry';

const ROOT = join(__dirname, '..', '..');
const committed = (file: string): unknown => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const names = TOOLS.map((t) => t.name).sort();

type Params = { properties: Record<string, Record<string, unknown>>; required: string[] };

function modelFields(params: Params): string[] {
  return Object.entries(params.properties)
    .filter(([, p]) => p.dynamic_variable === undefined)
    .map(([k]) => k);
}

function assertNothingTheServerFills(where: string, params: Params): void {
  for (const hidden of ['tenantId', 'callId', 'idempotencyKey']) assert.ok(!modelFields(params).includes(hidden), `${where}: ${hidden}`);
  for (const r of params.required) assert.ok(r in params.properties, `${where}: required ${r}`);
  // The caller's number comes from the call when the model gives none.
  assert.ok(!params.required.includes('patientPhone'), `${where}: patientPhone required`);
}

describe('the platforms\' tool definitions', () => {
  test('vapi/tools.json is what the registry gives (npm run definitions)', () => {
    assert.deepEqual(committed('vapi/tools.json'), vapiToolDefinitions(EXAMPLE_SERVER_URL));
  });

  test('retell/functions.json is what the registry gives', () => {
    assert.deepEqual(committed('retell/functions.json'), retellFunctionDefinitions(EXAMPLE_HOST));
  });

  test('elevenlabs/tools.json is what the registry gives', () => {
    assert.deepEqual(committed('elevenlabs/tools.json'), elevenLabsToolDefinitions(EXAMPLE_HOST));
  });

  test('each platform has every tool once, with the same model fields, none the server fills', () => {
    const vapi = vapiToolDefinitions(EXAMPLE_SERVER_URL) as { function: { name: string; parameters: Params } }[];
    const retell = retellFunctionDefinitions() as { name: string; url: string; parameters: Params }[];
    const eleven = elevenLabsToolDefinitions() as { name: string; api_schema: { url: string; request_body_schema: Params } }[];
    assert.deepEqual(vapi.map((d) => d.function.name).sort(), names);
    assert.deepEqual(retell.map((d) => d.name).sort(), names);
    assert.deepEqual(eleven.map((d) => d.name).sort(), names);
    for (const tool of TOOLS) {
      const v = vapi.find((d) => d.function.name === tool.name)?.function.parameters as Params;
      const r = retell.find((d) => d.name === tool.name) as { url: string; parameters: Params };
      const e = eleven.find((d) => d.name === tool.name)?.api_schema as { url: string; request_body_schema: Params };
      assertNothingTheServerFills(`vapi ${tool.name}`, v);
      assertNothingTheServerFills(`retell ${tool.name}`, r.parameters);
      assertNothingTheServerFills(`elevenlabs ${tool.name}`, e.request_body_schema);
      assert.deepEqual(modelFields(r.parameters), modelFields(v), tool.name);
      assert.deepEqual(modelFields(e.request_body_schema), modelFields(v), tool.name);
      assert.deepEqual(r.parameters.required, v.required, tool.name);
      assert.deepEqual(e.request_body_schema.required, v.required, tool.name);
      assert.equal(r.url, `${EXAMPLE_HOST}/api/retell/functions`);
      assert.equal(e.url, `${EXAMPLE_HOST}/api/tools/booking/${tool.path}`);
      // ElevenLabs fills the call's fields from its system variables.
      assert.equal(e.request_body_schema.properties.conversationId?.dynamic_variable, 'system__conversation_id');
      assert.equal(e.request_body_schema.properties.callerId?.dynamic_variable, 'system__caller_id');
    }
  });

  test('the Vapi system prompt uses the tools and this API\'s actions', () => {
    const prompt = readFileSync(join(ROOT, 'vapi', 'system-prompt.md'), 'utf8');
    for (const name of ['check_availability', 'reserve_slot', 'send_otp', 'verify_otp', 'release_hold']) assert.match(prompt, new RegExp(name));
    for (const action of ['OFFER_ALTERNATIVES', 'RESEND_OTP', 'ESCALATE_TO_HUMAN', 'RETRY']) assert.match(prompt, new RegExp(action));
  });
});
