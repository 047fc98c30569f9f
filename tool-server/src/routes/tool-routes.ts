// POST <prefix>/<tool>: seed 000's endpoints, one per tool, under Vapi's
// prefix (kept for the clients that call it) and a platform-neutral one,
// which ElevenLabs' server tools call. On the neutral prefix a body may add
// conversationId and callerId, which ElevenLabs fills from its dynamic
// variables system__conversation_id and system__caller_id: they become the
// call's caller_ref, the patient's phone when the body has none, and the key
// that makes a repeated booking book once (platforms/call-facts.ts).
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { requireSameTenant } from '../auth';
import { type CallFacts, withCallFacts } from '../platforms/call-facts';
import type { JsonSchema } from '../tools/schema';
import { TOOLS } from '../tools/registry';
import type { Tool, ToolDeps } from '../tools/tool';

export const TOOL_PREFIX = '/api/vapi/tools/booking';
export const NEUTRAL_TOOL_PREFIX = '/api/tools/booking';

/** What ElevenLabs adds to every tool's body, from its dynamic variables. */
export const ELEVENLABS_CALL_FIELDS: Record<string, JsonSchema> = {
  conversationId: { type: 'string', maxLength: 200, description: 'The conversation (ElevenLabs: system__conversation_id).' },
  callerId: { type: 'string', maxLength: 64, description: 'The number calling in (ElevenLabs: system__caller_id).' },
};

function neutralBody(tool: Tool): JsonSchema {
  const b = tool.body as { properties: Record<string, JsonSchema> };
  return { ...tool.body, properties: { ...b.properties, ...ELEVENLABS_CALL_FIELDS } };
}

function factsOf(body: unknown): CallFacts {
  const b = (body ?? {}) as { conversationId?: unknown; callerId?: unknown };
  return {
    platform: 'elevenlabs',
    ...(typeof b.conversationId === 'string' && b.conversationId !== '' ? { callId: b.conversationId } : {}),
    ...(typeof b.callerId === 'string' ? { callerPhone: b.callerId } : {}),
  };
}

export function registerToolRoutes(app: FastifyInstance, deps: ToolDeps, authenticate: onRequestAsyncHookHandler): void {
  for (const tool of TOOLS) {
    for (const prefix of [TOOL_PREFIX, NEUTRAL_TOOL_PREFIX]) {
      const neutral = prefix === NEUTRAL_TOOL_PREFIX;
      app.post(
        `${prefix}/${tool.path}`,
        {
          schema: { body: neutral ? neutralBody(tool) : tool.body },
          config: { tool: tool.name },
          onRequest: authenticate,
          // Filled before validation, so a phone the call supplies meets a
          // tool that requires one.
          ...(neutral
            ? {
                preValidation: async (request) => {
                  if (request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body)) {
                    request.body = withCallFacts(tool, request.body as Record<string, unknown>, factsOf(request.body));
                  }
                },
              }
            : {}),
          preHandler: async (request) => requireSameTenant(request.orgId as string, (request.body as { tenantId?: unknown }).tenantId),
        },
        async (request) => {
          const answer = await tool.run(deps, { orgId: request.orgId as string, log: request.log }, request.body);
          request.outcome = answer.success === true ? 'success' : String(answer.error ?? 'failed');
          return answer;
        },
      );
    }
  }
}
