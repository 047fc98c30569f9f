// The process: configuration from the environment, the role check, listen,
// and a clean stop on SIGTERM/SIGINT (in-flight requests finish, the pool
// closes).
import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { checkRole } from './db/startup-check';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    process.stderr.write(`booking tool server: ${e instanceof ConfigError ? e.message : String(e)}\n`);
    process.exit(2);
  }

  const { server, pool } = buildApp(config);
  for (const w of config.warnings) server.log.warn(w);

  try {
    const report = await checkRole(pool);
    for (const m of report.info) server.log.info(m);
    for (const m of report.warnings) server.log.warn(m);
    if (report.fatal.length > 0) {
      for (const m of report.fatal) server.log.fatal(m);
      await server.close();
      process.exit(2);
    }
  } catch (e) {
    // The database may come up after us: serve, and let /healthz say so.
    server.log.warn({ err: { message: (e as Error).message } }, 'database not reachable at start; /healthz reports it');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.log.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (err: Error) => {
        server.log.error({ err: { message: err.message } }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  await server.listen({ host: config.host, port: config.port });
  server.log.info(
    { tenants: config.keys.orgs.size, sms: config.sms.provider, poolMax: config.db.poolMax },
    'booking tool server ready',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`booking tool server: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
