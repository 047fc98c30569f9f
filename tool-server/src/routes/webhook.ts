// POST /api/vapi/tool-calls: Vapi's Function Tool webhook. One request may
// carry several tool calls; each is answered in order, and one that fails
// (unknown tool, bad arguments, a refusal) fails alone, inside its result.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { requireSameTenant } from '../auth';
import { failureOf } from '../errors/failure';
import { invalidRequest } from '../errors/http-error';
import type { Answer } from '../db/tenant-transaction';
import { TOOLS, TOOLS_BY_NAME } from '../tools/registry';
import type { ToolDeps } from '../tools/tool';

export const WEBHOOK_PATH = '/api/vapi/tool-calls';

interface ToolCall {
  id: string;
  name?: string;
  arguments?: unknown;
  function?: { name?: string; arguments?: unknown };
}

interface Envelope {
  message: {
    type: string;
    call?: { id?: string };
    toolCallList?: ToolCall[];
    toolWithToolCallList?: { name?: string; toolCall?: ToolCall }[];
  };
}

const toolCallSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    function: { type: 'object', properties: { name: { type: 'string' } } },
  },
};

const envelopeSchema = {
  type: 'object',
  required: ['message'],
  properties: {
    message: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { type: 'string' },
        call: { type: 'object', properties: { id: { type: 'string' } } },
        toolCallList: { type: 'array', items: toolCallSchema },
        toolWithToolCallList: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, toolCall: toolCallSchema } },
        },
      },
    },
  },
};

// Vapi sends arguments as an object; OpenAI-style clients as a JSON string.
function argumentsOf(call: ToolCall): Record<string, unknown> {
  const raw = call.arguments ?? call.function?.arguments ?? {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch {
      throw invalidRequest('arguments is not valid JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('arguments must be an object');
  return value as Record<string, unknown>;
}

function callsOf(message: Envelope['message']): ToolCall[] {
  if (message.toolCallList) return message.toolCallList;
  return (message.toolWithToolCallList ?? []).flatMap((t) =>
    t.toolCall ? [{ ...t.toolCall, name: t.toolCall.name ?? t.toolCall.function?.name ?? t.name }] : [],
  );
}

async function answerOne(request: FastifyRequest, deps: ToolDeps, call: ToolCall, callId: string | undefined): Promise<Answer> {
  const name = call.name ?? call.function?.name;
  const tool = name === undefined ? undefined : TOOLS_BY_NAME.get(name);
  if (tool === undefined) {
    return {
      success: false,
      error: 'unknown_tool',
      message: `no tool named "${String(name ?? '')}"; the tools are ${TOOLS.map((t) => t.name).join(', ')}`,
    };
  }
  const args = argumentsOf(call);
  const validate = request.compileValidationSchema(tool.body);
  if (!validate(args)) {
    const first = validate.errors?.[0];
    const where = `arguments${first?.instancePath ?? ''}`;
    throw invalidRequest(`${where} ${first?.message ?? 'is invalid'}`);
  }
  const orgId = request.orgId as string;
  requireSameTenant(orgId, args.tenantId);
  return tool.run(deps, { orgId, log: request.log, toolCallId: call.id, ...(callId ? { callId } : {}) }, args);
}

export function registerWebhook(app: FastifyInstance, deps: ToolDeps, authenticate: onRequestAsyncHookHandler): void {
  app.post(
    WEBHOOK_PATH,
    { schema: { body: envelopeSchema }, config: { tool: 'tool_calls' }, onRequest: authenticate },
    async (request) => {
      const { message } = request.body as Envelope;
      // The same server URL also receives Vapi's other events (status
      // updates, end-of-call reports): acknowledged, nothing to do.
      if (message.type !== 'tool-calls') {
        request.outcome = 'ignored';
        return {};
      }
      const callId = message.call?.id;
      const results: { toolCallId: string; result: string }[] = [];
      for (const call of callsOf(message)) {
        const started = process.hrtime.bigint();
        // Metrics label by known tool names only: the model may invent any.
        const named = call.name ?? call.function?.name ?? '';
        const toolName = TOOLS_BY_NAME.has(named) ? named : 'unknown';
        let answer: Answer;
        try {
          answer = await answerOne(request, deps, call, callId);
        } catch (e) {
          answer = failureOf(e, request.log).answer;
        }
        const outcome = answer.success === true ? 'success' : String(answer.error ?? 'failed');
        deps.metrics.observe(toolName, outcome, Number(process.hrtime.bigint() - started) / 1e9);
        results.push({ toolCallId: call.id, result: JSON.stringify(answer) });
      }
      request.outcome = 'success';
      return { results };
    },
  );
}
