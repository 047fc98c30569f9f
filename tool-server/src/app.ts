// Assembles the server: fastify with its validator and logger, the key
// check, the tools' endpoints (under Vapi's prefix and the neutral one
// ElevenLabs calls), Vapi's webhook, Retell's functions, health and metrics.
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Pool } from 'pg';
import './fastify-types';
import { keyAuth } from './auth';
import type { Config } from './config';
import { createPool } from './db/pool';
import { TenantDatabase } from './db/tenant-transaction';
import { failureOf } from './errors/failure';
import { PHONE, STRICT_UUID } from './formats';
import { type LogDestination, loggerOptions } from './logger';
import { Metrics } from './metrics';
import { registerHealth } from './routes/health';
import { registerRetell } from './routes/retell';
import { registerToolRoutes } from './routes/tool-routes';
import { registerWebhook } from './routes/webhook';
import { createSmsSender } from './sms';
import type { SmsSender } from './sms/sender';
import type { ToolDeps } from './tools/tool';

export interface AppOptions {
  /** A pool to use instead of one made from DATABASE_URL (tests count its use). */
  pool?: Pool;
  sms?: SmsSender;
  logStream?: LogDestination;
}

export interface App {
  server: FastifyInstance;
  pool: Pool;
}

export function buildApp(config: Config, options: AppOptions = {}): App {
  const server = Fastify({
    logger: loggerOptions(config.logLevel, options.logStream),
    // One line per request, written in onResponse with the tool and outcome.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    ajv: {
      onCreate: (ajv) => {
        ajv.addFormat('uuid', STRICT_UUID);
        ajv.addFormat('phone', PHONE);
      },
    },
  });

  const pool = options.pool ?? createPool(config, server.log);
  const db = new TenantDatabase(pool, {
    statementTimeoutMs: config.db.statementTimeoutMs,
    idleTimeoutMs: config.db.statementTimeoutMs + 5_000,
  });
  const metrics = new Metrics(pool);
  const deps: ToolDeps = {
    db,
    sms: options.sms ?? createSmsSender(config),
    smsTemplate: config.sms.template,
    metrics,
  };

  server.setErrorHandler((err, request, reply) => {
    const failure = failureOf(err, request.log);
    request.outcome = failure.answer.error;
    reply.code(failure.statusCode).send(failure.answer);
  });
  server.setNotFoundHandler((request, reply) => {
    request.outcome = 'not_found';
    reply.code(404).send({ success: false, error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  server.addHook('onResponse', async (request, reply) => {
    const tool = request.tool ?? request.routeOptions.config?.tool;
    const seconds = reply.elapsedTime / 1000;
    const outcome = request.outcome ?? (reply.statusCode < 400 ? 'success' : `http_${reply.statusCode}`);
    if (tool !== undefined) metrics.observe(tool, outcome, seconds);
    request.log.info(
      {
        method: request.method,
        url: request.url.split('?')[0],
        statusCode: reply.statusCode,
        ...(tool !== undefined ? { tool } : {}),
        ...(request.orgId !== undefined ? { org: request.orgId } : {}),
        outcome,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
  });

  const authenticate = keyAuth(config.keys);
  registerHealth(server, db, metrics);
  registerToolRoutes(server, deps, authenticate);
  registerWebhook(server, deps, authenticate);
  registerRetell(server, deps, authenticate, config.retell.signingKeys);

  // A pool handed in belongs to the caller, who ends it.
  if (!options.pool) server.addHook('onClose', async () => pool.end());

  return { server, pool };
}
