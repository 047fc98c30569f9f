// GET /healthz (is the database reachable) and GET /metrics (Prometheus).
// Neither needs a key nor shows anything of a tenant.
import type { FastifyInstance } from 'fastify';
import type { TenantDatabase } from '../db/tenant-transaction';
import type { Metrics } from '../metrics';

export function registerHealth(app: FastifyInstance, db: TenantDatabase, metrics: Metrics): void {
  app.get('/healthz', async (request, reply) => {
    try {
      await db.ping();
      return { ok: true, database: 'reachable' };
    } catch (e) {
      request.log.warn({ err: { message: (e as Error).message } }, 'health check: database unreachable');
      reply.code(503);
      return { ok: false, database: 'unreachable' };
    }
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return metrics.render();
  });
}
