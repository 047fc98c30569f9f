// One node-postgres Pool per process. Connections are shared by every
// tenant, which is safe only because each request binds its tenant for its
// own transaction (db/tenant-transaction.ts) and nothing at session level.
// What is set per connection is the same for every request: the time zone
// answers are written in, and the bounds on statements and idle transactions.
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
    statement_timeout: config.db.statementTimeoutMs,
    idle_in_transaction_session_timeout: config.db.statementTimeoutMs + 5_000,
    options: '-c TimeZone=UTC',
  });
  // An idle connection the server dropped must not take the process down;
  // the pool discards it and opens another on demand.
  pool.on('error', (err) => log.warn({ err: { message: err.message } }, 'idle database connection failed'));
  return pool;
}
