// What this server adds to fastify's request and route config.
import 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The organisation the request's key belongs to. */
    orgId?: string;
    /** success, or the answer's error code: the outcome label of metrics and logs. */
    outcome?: string;
  }
  interface FastifyContextConfig {
    /** The tool name metrics and logs use for this route. */
    tool?: string;
  }
}
