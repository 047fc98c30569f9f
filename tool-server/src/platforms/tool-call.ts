// One tool request as every platform makes it: the tool found by name, the
// call's facts filled in (call-facts.ts), the arguments checked against the
// same schema the tool's own endpoint validates with, the tenant checked,
// then the tool run. Vapi's webhook and Retell's functions go through here;
// the endpoints per tool do the same steps through fastify's route schema.
import type { FastifyRequest } from 'fastify';
import { requireSameTenant } from '../auth';
import type { Answer } from '../db/tenant-transaction';
import { invalidRequest } from '../errors/http-error';
import { TOOLS, TOOLS_BY_NAME } from '../tools/registry';
import type { Tool, ToolDeps } from '../tools/tool';
import { type CallFacts, withCallFacts } from './call-facts';

export function toolNamed(name: unknown): Tool | undefined {
  return typeof name === 'string' ? TOOLS_BY_NAME.get(name) : undefined;
}

/** The answer for a name no tool has: a business outcome, so the agent reads which tools exist. */
export function unknownTool(name: unknown): Answer {
  return {
    success: false,
    error: 'unknown_tool',
    message: `no tool named "${typeof name === 'string' ? name : ''}"; the tools are ${TOOLS.map((t) => t.name).join(', ')}`,
  };
}

/** The metrics label of a requested name: known tool names only, as the model may invent any. */
export function toolLabel(name: unknown): string {
  return toolNamed(name)?.name ?? 'unknown';
}

export async function runToolCall(request: FastifyRequest, deps: ToolDeps, tool: Tool, args: Record<string, unknown>, facts: CallFacts): Promise<Answer> {
  const filled = withCallFacts(tool, args, facts);
  const validate = request.compileValidationSchema(tool.body);
  if (!validate(filled)) {
    const first = validate.errors?.[0];
    throw invalidRequest(`arguments${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`);
  }
  const orgId = request.orgId as string;
  requireSameTenant(orgId, filled.tenantId);
  return tool.run(deps, { orgId, log: request.log }, filled);
}

/** A JSON object from Vapi's object or an OpenAI-style client's JSON string. */
export function argumentsObject(raw: unknown): Record<string, unknown> {
  let value: unknown = raw ?? {};
  if (typeof value === 'string') {
    try {
      value = value.trim() === '' ? {} : JSON.parse(value);
    } catch {
      throw invalidRequest('arguments is not valid JSON');
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('arguments must be an object');
  return value as Record<string, unknown>;
}
