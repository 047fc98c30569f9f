// What this server adds to fastify's request and route config.
import 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The organisation the request's key belongs to. */
    orgId?: string;
    /** success, or the answer's error code: the outcome label of metrics and logs. */
    outcome?: string;
    /** The tool a request named in its body (Retell): the label of metrics and logs, over the route's. */
    tool?: string;
    /** The body as it arrived, on the routes that check a signature over it. */
    rawBody?: string;
  }
  interface FastifyContextConfig {
    /** The tool name metrics and logs use for this route. */
    tool?: string;
  }
}
