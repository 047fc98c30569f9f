// POST /api/vapi/tool-calls: Vapi's Function Tool webhook. One request may
// carry several tool calls; each is answered in order, and one that fails
// (unknown tool, bad arguments, a refusal) fails alone, inside its result.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Answer } from '../db/tenant-transaction';
import { failureOf } from '../errors/failure';
import type { CallFacts } from '../platforms/call-facts';
import { argumentsObject, runToolCall, toolLabel, toolNamed, unknownTool } from '../platforms/tool-call';
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
    call?: { id?: string; customer?: { number?: string } };
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
        call: {
          type: 'object',
          properties: { id: { type: 'string' }, customer: { type: 'object', properties: { number: { type: 'string' } } } },
        },
        toolCallList: { type: 'array', items: toolCallSchema },
        toolWithToolCallList: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' }, toolCall: toolCallSchema } },
        },
      },
    },
  },
};

function callsOf(message: Envelope['message']): ToolCall[] {
  if (message.toolCallList) return message.toolCallList;
  return (message.toolWithToolCallList ?? []).flatMap((t) =>
    t.toolCall ? [{ ...t.toolCall, name: t.toolCall.name ?? t.toolCall.function?.name ?? t.name }] : [],
  );
}

// Vapi's call id is the caller_ref, the customer's number the patient's
// phone when the arguments have none, and a retried delivery carries the
// same tool call id, which keys a retried booking.
async function answerOne(request: FastifyRequest, deps: ToolDeps, call: ToolCall, message: Envelope['message']): Promise<Answer> {
  const name = call.name ?? call.function?.name;
  const tool = toolNamed(name);
  if (tool === undefined) return unknownTool(name);
  const facts: CallFacts = {
    platform: 'vapi',
    ...(message.call?.id ? { callId: message.call.id } : {}),
    ...(message.call?.customer?.number ? { callerPhone: message.call.customer.number } : {}),
    requestId: call.id,
  };
  return runToolCall(request, deps, tool, argumentsObject(call.arguments ?? call.function?.arguments), facts);
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
      const results: { toolCallId: string; result: string }[] = [];
      for (const call of callsOf(message)) {
        const started = process.hrtime.bigint();
        // Metrics label by known tool names only: the model may invent any.
        const toolName = toolLabel(call.name ?? call.function?.name);
        let answer: Answer;
        try {
          answer = await answerOne(request, deps, call, message);
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
