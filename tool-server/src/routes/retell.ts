// Retell's custom functions. POST /api/retell/functions takes Retell's body,
// {name, call: {call_id, from_number, to_number, direction, …}, args}; POST
// /api/retell/functions/:name takes its "args only" payload, the body being
// the arguments (then there is no call to take a caller_ref or a number from).
//
// Retell retries a failed request up to twice: a request of the same call,
// tool and arguments answers as the first did (platforms/retry-memo.ts), and
// its writes happen once (the call's caller_ref, the retry key). Business
// outcomes and arguments the model got wrong answer 200 with the tool's
// answer, as on Vapi, so the agent reads what to say; only a missing or bad
// key or signature (401, 403), a body that is no Retell request (400), and a
// failure worth retrying (5xx) answer otherwise.
//
// Where RETELL_API_KEY is set, x-retell-signature is checked over the body as
// it arrived, so these routes keep the raw body (their own JSON parser, in
// their own fastify scope).
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { Answer } from '../db/tenant-transaction';
import { failureOf } from '../errors/failure';
import { HttpError } from '../errors/http-error';
import { type CallFacts, retryKey } from '../platforms/call-facts';
import { retellSignatureValid } from '../platforms/retell-signature';
import { RetryMemo } from '../platforms/retry-memo';
import { argumentsObject, runToolCall, toolLabel, toolNamed, unknownTool } from '../platforms/tool-call';
import type { ToolDeps } from '../tools/tool';

export const RETELL_PATH = '/api/retell/functions';

interface RetellCall {
  call_id?: string;
  from_number?: string;
  to_number?: string;
  direction?: string;
}

interface RetellRequest {
  name: string;
  call?: RetellCall;
  args?: unknown;
}

const requestSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    call: {
      type: 'object',
      properties: {
        call_id: { type: 'string', maxLength: 200 },
        from_number: { type: 'string' },
        to_number: { type: 'string' },
        direction: { type: 'string' },
      },
    },
  },
};

const argsOnlySchema = { type: 'object' };
const nameParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 } } };

// The caller is the other party: the number calling in, or the one called.
function factsOf(call: RetellCall | undefined): CallFacts {
  const callerPhone = call?.direction === 'outbound' ? call.to_number : call?.from_number;
  return {
    platform: 'retell',
    ...(call?.call_id ? { callId: call.call_id } : {}),
    ...(callerPhone ? { callerPhone } : {}),
  };
}

export function registerRetell(app: FastifyInstance, deps: ToolDeps, authenticate: onRequestAsyncHookHandler, signingKeys: readonly string[]): void {
  const memo = new RetryMemo();

  async function verifySignature(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (signingKeys.length === 0) return;
    const signature = request.headers['x-retell-signature'];
    if (retellSignatureValid(request.rawBody ?? '', typeof signature === 'string' ? signature : undefined, signingKeys)) return;
    reply.header('www-authenticate', 'Bearer realm="booking-tools"');
    throw new HttpError(401, {
      success: false,
      error: 'unauthorized',
      message: signature === undefined ? 'no x-retell-signature: this server checks Retell\'s signature' : 'the x-retell-signature is not valid',
    });
  }

  async function respond(request: FastifyRequest, name: string, rawArgs: unknown, facts: CallFacts): Promise<Answer> {
    request.tool = toolLabel(name);
    const tool = toolNamed(name);
    let answer: Answer;
    if (tool === undefined) {
      answer = unknownTool(name);
    } else {
      const args = argumentsObject(rawArgs);
      const run = () => runToolCall(request, deps, tool, args, facts);
      const key = retryKey(facts, tool.name, args);
      try {
        answer = await (key === undefined ? run() : memo.answer(`${request.orgId as string}|${key}`, run));
      } catch (e) {
        const failure = failureOf(e, request.log);
        const { statusCode } = failure;
        if (statusCode === 401 || statusCode === 403 || statusCode >= 500) throw e;
        answer = failure.answer;
      }
    }
    request.outcome = answer.success === true ? 'success' : String(answer.error ?? 'failed');
    return answer;
  }

  app.register(async (scope) => {
    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      request.rawBody = body as string;
      parseJson(request, body as string, done);
    });

    scope.post(
      RETELL_PATH,
      { schema: { body: requestSchema }, config: { tool: 'retell_functions' }, onRequest: authenticate, preHandler: verifySignature },
      async (request) => {
        const b = request.body as RetellRequest;
        return respond(request, b.name, b.args, factsOf(b.call));
      },
    );

    scope.post(
      `${RETELL_PATH}/:name`,
      { schema: { body: argsOnlySchema, params: nameParams }, config: { tool: 'retell_functions' }, onRequest: authenticate, preHandler: verifySignature },
      async (request) => respond(request, (request.params as { name: string }).name, request.body, { platform: 'retell' }),
    );
  });
}
