// What Vapi is told matches what the server accepts, and the prompt speaks
// this API's tools and actions.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TOOLS } from '../src/tools/registry';
import { EXAMPLE_SERVER_URL, vapiToolDefinitions } from '../src/vapi-tools';

const VAPI = join(__dirname, '..', '..', 'vapi');

describe('the Vapi assistant files', () => {
  test('vapi/tools.json is what the server\'s schemas give (npm run vapi:tools)', () => {
    const committed = JSON.parse(readFileSync(join(VAPI, 'tools.json'), 'utf8'));
    assert.deepEqual(committed, vapiToolDefinitions(EXAMPLE_SERVER_URL));
  });

  test('every tool is defined once, with no tenant or call id for the model to invent', () => {
    const defs = vapiToolDefinitions(EXAMPLE_SERVER_URL) as { function: { name: string; parameters: { properties: object; required: string[] } } }[];
    assert.deepEqual(defs.map((d) => d.function.name).sort(), TOOLS.map((t) => t.name).sort());
    for (const d of defs) {
      assert.ok(!('tenantId' in d.function.parameters.properties), d.function.name);
      assert.ok(!('callId' in d.function.parameters.properties), d.function.name);
      for (const r of d.function.parameters.required) assert.ok(r in d.function.parameters.properties, `${d.function.name}.${r}`);
    }
  });

  test('the system prompt uses the tools and this API\'s actions', () => {
    const prompt = readFileSync(join(VAPI, 'system-prompt.md'), 'utf8');
    for (const name of ['check_availability', 'reserve_slot', 'send_otp', 'verify_otp', 'release_hold']) assert.match(prompt, new RegExp(name));
    for (const action of ['OFFER_ALTERNATIVES', 'RESEND_OTP', 'ESCALATE_TO_HUMAN', 'RETRY']) assert.match(prompt, new RegExp(action));
  });
});
