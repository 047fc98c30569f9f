// Tenant binding through PgBouncer in transaction mode, driven by
// node-postgres as an application would: a pooled server connection must
// never carry a tenant from one client's transaction to another's, and a
// role the owner bound to one organisation cannot name another.
//
// PGBOUNCER_PORT: PgBouncer on 127.0.0.1 (pool_mode = transaction, a few
// server connections, server_reset_query_always = 0: the default).
// ORGS: four organisation ids, comma-separated; rows exist for each.
// Prints TAP: "ok N - ..." / "not ok N - ...", then "# pass N" / "# fail N".
import pg from 'pg';

const port = Number(process.env.PGBOUNCER_PORT);
const database = process.env.PGDATABASE;
const orgs = process.env.ORGS.split(',');
const requests = Number(process.env.REQUESTS || 3000);
const clients = 20;

let passed = 0;
let failed = 0;
let n = 0;
function check(ok, what, detail) {
  n += 1;
  if (ok) {
    passed += 1;
    console.log(`ok ${n} - ${what}`);
  } else {
    failed += 1;
    console.log(`not ok ${n} - ${what}${detail ? `: ${detail}` : ''}`);
  }
}

function connection(user) {
  return { host: '127.0.0.1', port, database, user, max: clients };
}

async function sqlstate(pool, statements) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const [text, values] of statements) await client.query(text, values);
    await client.query('COMMIT');
    return 'no error';
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    return e.code || String(e);
  } finally {
    client.release();
  }
}

const claims = (org) => JSON.stringify({ role: 'pool_staff', org_id: org });

// A PostgREST-style request: SET LOCAL ROLE and the claims for one
// transaction, then a read of the tenant's rows and a call.
async function request(pool, org) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL ROLE pool_staff');
    await client.query("SELECT set_config('request.jwt.claims', $1, true)", [claims(org)]);
    const { rows } = await client.query(
      `SELECT booking.current_org_id()::text AS bound, count(*)::int AS seen,
              count(*) FILTER (WHERE org_id <> $1::uuid)::int AS foreign_rows
       FROM booking.reservations`,
      [org],
    );
    const status = await client.query(
      'SELECT booking.hold_status($1::uuid, gen_random_uuid()) AS answer',
      [org],
    );
    await client.query('COMMIT');
    return { ...rows[0], answer: status.rows[0].answer };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    return { error: e.code || String(e) };
  } finally {
    client.release();
  }
}

async function main() {
  const app = new pg.Pool(connection('pool_authenticator'));

  // The common mistake: one client binds with a session-wide SET, through
  // the pooler, on as many server connections as it reaches.
  const poisoned = [];
  for (let i = 0; i < 8; i += 1) {
    const c = await app.connect();
    await c.query(`SET booking.org_id = '${orgs[0]}'`);
    await c.query("SELECT set_config('request.jwt.claims', $1, false)", [claims(orgs[0])]);
    poisoned.push(c);
  }
  poisoned.forEach((c) => c.release());

  // Twenty clients, requests for the other three organisations.
  let next = 0;
  const results = [];
  async function worker() {
    while (next < requests) {
      const i = next;
      next += 1;
      const org = orgs[1 + (i % 3)];
      results.push({ org, ...(await request(app, org)) });
    }
  }
  await Promise.all(Array.from({ length: clients }, worker));

  const errors = results.filter((r) => r.error);
  const rebound = results.filter((r) => !r.error && r.bound !== r.org);
  const leaked = results.reduce((s, r) => s + (r.foreign_rows || 0), 0);
  const seen = results.reduce((s, r) => s + (r.seen || 0), 0);
  check(results.length === requests, `${requests} requests from ${clients} clients ran`);
  check(errors.length === 0, 'no request failed', errors.slice(0, 3).map((e) => e.error).join(', '));
  check(rebound.length === 0, 'every request ran in the organisation of its own claims',
    `${rebound.length} rebound`);
  check(leaked === 0 && seen > 0, `staff reads returned only their own rows (${seen} rows read)`,
    `${leaked} rows of another organisation`);
  check(results.every((r) => r.error || r.answer.error === 'hold_not_found'),
    'every call answered in its own organisation');

  // The session-wide value binds nothing: without a binding of its own, a
  // transaction on a poisoned connection is refused, not run as org 1.
  const bare = await Promise.all(Array.from({ length: 8 }, () =>
    sqlstate(app, [['SET LOCAL ROLE pool_staff'],
      ['SELECT booking.hold_status($1::uuid, gen_random_uuid())', [orgs[0]]]])));
  check(bare.every((s) => s === '42501'), 'a session-wide SET or claim binds no later transaction',
    bare.join(', '));

  // Another organisation named in the call, or a setting and claims that
  // disagree: refused.
  check(await sqlstate(app, [['SET LOCAL ROLE pool_staff'],
    ["SELECT set_config('request.jwt.claims', $1, true)", [claims(orgs[1])]],
    ['SELECT booking.hold_status($1::uuid, gen_random_uuid())', [orgs[2]]]]) === '42501',
  'a call naming another organisation than the claims is refused');
  check(await sqlstate(app, [['SET LOCAL ROLE pool_staff'],
    [`SET LOCAL booking.org_id = '${orgs[1]}'`],
    ["SELECT set_config('request.jwt.claims', $1, true)", [claims(orgs[2])]],
    ['SELECT booking.current_org_id()']]) === '42501',
  'a setting and claims that disagree are refused');
  await app.end();

  // A login role the owner bound to organisation 2: whatever it sets.
  const clinic = new pg.Pool(connection('pool_clinic2'));
  const own = await clinic.query(
    `SELECT booking.current_org_id()::text AS bound, count(*)::int AS seen,
            count(*) FILTER (WHERE org_id <> $1::uuid)::int AS foreign_rows FROM booking.reservations`,
    [orgs[1]]);
  check(own.rows[0].bound === orgs[1] && own.rows[0].foreign_rows === 0 && own.rows[0].seen > 0,
    'a bound role reads its own organisation, with nothing set');
  check(await sqlstate(clinic, [[`SET LOCAL booking.org_id = '${orgs[0]}'`],
    ['SELECT booking.hold_status($1::uuid, gen_random_uuid())', [orgs[0]]]]) === '42501',
  'a bound role cannot rename its organisation with SET LOCAL');
  check(await sqlstate(clinic, [["SELECT set_config('request.jwt.claims', $1, true)", [claims(orgs[0])]],
    ['SELECT count(*) FROM booking.reservations']]) === '42501',
  'a bound role cannot rename its organisation with forged claims');
  check(await sqlstate(clinic, [['SET ROLE pool_staff'],
    [`SET LOCAL booking.org_id = '${orgs[0]}'`],
    ['SELECT booking.hold_status($1::uuid, gen_random_uuid())', [orgs[0]]]]) === '42501',
  'SET ROLE does not escape the login role\'s binding');
  await clinic.end();

  console.log(`# pass ${passed}`);
  console.log(`# fail ${failed}`);
  process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
}

main().catch((e) => {
  console.log(`not ok ${n + 1} - the test itself failed: ${e.stack || e}`);
  console.log(`# pass ${passed}`);
  console.log(`# fail ${failed + 1}`);
  process.exitCode = 1;
});
