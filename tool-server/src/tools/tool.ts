// A tool is one SQL function (or two) behind one endpoint and one webhook
// name. It maps the request's camelCase fields to the function's named
// arguments and the jsonb answer back; the booking rules stay in the extension.
import type { FastifyBaseLogger } from 'fastify';
import type { Answer, TenantDatabase } from '../db/tenant-transaction';
import type { Metrics } from '../metrics';
import type { SmsSender } from '../sms/sender';
import type { JsonSchema } from './schema';

export interface ToolDeps {
  db: TenantDatabase;
  sms: SmsSender;
  smsTemplate: string;
  metrics: Metrics;
}

/** The request's tenant and log; what the call itself supplies is in the body (platforms/call-facts.ts). */
export interface ToolContext {
  orgId: string;
  log: FastifyBaseLogger;
}

export interface Tool<B = any> {
  /** The endpoint under /api/vapi/tools/booking/ and /api/tools/booking/. */
  path: string;
  /** The name in Vapi's webhook, Retell's functions and each platform's definitions. */
  name: string;
  /** What the assistant reads to decide when to call it. */
  description: string;
  body: JsonSchema;
  /** Body fields the assistant is not offered (the server fills them in). */
  hidden?: readonly string[];
  run(deps: ToolDeps, ctx: ToolContext, body: B): Promise<Answer>;
}
