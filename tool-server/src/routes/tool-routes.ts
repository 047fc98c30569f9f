// POST /api/vapi/tools/booking/<tool>: seed 000's endpoints, one per tool.
import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { requireSameTenant } from '../auth';
import { TOOLS } from '../tools/registry';
import type { ToolDeps } from '../tools/tool';

export const TOOL_PREFIX = '/api/vapi/tools/booking';

export function registerToolRoutes(app: FastifyInstance, deps: ToolDeps, authenticate: onRequestAsyncHookHandler): void {
  for (const tool of TOOLS) {
    app.post(
      `${TOOL_PREFIX}/${tool.path}`,
      {
        schema: { body: tool.body },
        config: { tool: tool.name },
        onRequest: authenticate,
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
