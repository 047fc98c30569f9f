// The comparison point: a bare fastify route that runs SELECT 1 through a
// node-postgres Pool of the same size, with the tool server's own packages.
//   DATABASE_URL=... PORT=... node select1.js
'use strict';
const { createRequire } = require('node:module');
const path = require('node:path');

const requireTs = createRequire(path.join(__dirname, '..', '..', 'tool-server', 'package.json'));
const Fastify = requireTs('fastify');
const { Pool } = requireTs('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX || 10) });
const app = Fastify({ logger: false });
app.post('/select1', async () => {
  const { rows } = await pool.query('SELECT 1 AS one');
  return { success: true, one: rows[0].one };
});
app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }).then(() => process.stdout.write('ready\n'));
process.on('SIGTERM', () => app.close().then(() => pool.end()).then(() => process.exit(0)));
