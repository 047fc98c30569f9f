// One node-postgres Pool per process. Connections are shared by every
// tenant, which is safe only because each request binds its tenant for its
// own transaction (db/tenant-transaction.ts) and nothing at session level.
import { Pool } from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config';

export function createPool(config: Config, log: FastifyBaseLogger): Pool {
  const pool = new Pool({
    connectionString: config.databaseUrl,
    max: config.db.poolMax,
    connectionTimeoutMillis: config.db.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: 'booking-tool-server',
  });
  // An idle connection the server dropped must not take the process down;
  // the pool discards it and opens another on demand.
  pool.on('error', (err) => log.warn({ err: { message: err.message } }, 'idle database connection failed'));
  return pool;
}
