// A throwaway database per test file in the cluster test/run started: the
// extension, a plain login role with the agent and sms_sender profiles (the
// tool server's role), and a superuser connection to look behind the API.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  name: string;
  role: string;
  /** The tool server's DATABASE_URL: a plain role, never a superuser. */
  roleUrl: string;
  /** A superuser connection to the same database, for setup and checks. */
  admin: Client;
  /** Whether issue_otp needed the test stand-in for its coming patient_phone key. */
  phoneShim: boolean;
  drop(): Promise<void>;
}

export function clusterUrl(): URL {
  const raw = process.env.TOOL_SERVER_TEST_PG;
  if (!raw) {
    throw new Error('TOOL_SERVER_TEST_PG is not set: run the suite with tool-server/test/run, which starts a throwaway cluster');
  }
  return new URL(raw);
}

function urlFor(database: string, user: string): string {
  const u = clusterUrl();
  u.pathname = `/${database}`;
  u.username = user;
  u.password = '';
  return u.toString();
}

// Until issue 12 ships, issue_otp's answer lacks patient_phone. The server
// reads the destination from that answer only, so a build without it gets a
// stand-in with the coming contract: the native function, renamed, plus the
// hold's phone. Nothing of it exists once the installed build answers the key.
async function ensureIssueOtpCarriesPhone(admin: Client, role: string): Promise<boolean> {
  await admin.query('BEGIN');
  const probe = await admin.query<{ answer: Record<string, unknown> }>(
    `SELECT booking.issue_otp('00000000-0000-4000-8000-000000000001',
        (booking.claim_slot('00000000-0000-4000-8000-000000000001', 'probe', '2039-01-03 10:00Z',
                            patient_phone => '+15550000000') ->> 'hold_id')::uuid) AS answer`,
  );
  await admin.query('ROLLBACK');
  if (probe.rows[0]?.answer && 'patient_phone' in probe.rows[0].answer) return false;
  await admin.query(`
    ALTER FUNCTION booking.issue_otp(uuid, uuid) RENAME TO issue_otp_before_issue_12;
    CREATE FUNCTION booking.hold_phone_for_tests(org_id uuid, hold_id uuid) RETURNS text
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog
      AS $$ SELECT r.patient_phone FROM booking.reservations r WHERE r.org_id = $1 AND r.id = $2 $$;
    CREATE FUNCTION booking.issue_otp(org_id uuid, hold_id uuid) RETURNS jsonb
      LANGUAGE sql VOLATILE SET search_path = pg_catalog
      AS $$ SELECT CASE WHEN (a ->> 'success')::boolean
                        THEN a || jsonb_build_object('patient_phone', booking.hold_phone_for_tests($1, $2))
                        ELSE a END
              FROM booking.issue_otp_before_issue_12($1, $2) AS a $$;
    REVOKE ALL ON FUNCTION booking.hold_phone_for_tests(uuid, uuid), booking.issue_otp(uuid, uuid) FROM PUBLIC;
    GRANT EXECUTE ON FUNCTION booking.hold_phone_for_tests(uuid, uuid), booking.issue_otp(uuid, uuid) TO ${role};
  `);
  return true;
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const suffix = randomBytes(4).toString('hex');
  const name = `tools_${label}_${suffix}`;
  const role = `tool_server_${label}_${suffix}`;
  const root = new Client({ connectionString: urlFor('postgres', clusterUrl().username || 'postgres') });
  await root.connect();
  try {
    await root.query(`CREATE DATABASE ${name}`);
    await root.query(`CREATE ROLE ${role} LOGIN`);
    // Eight digits: a four-digit code could turn up by chance inside a
    // timestamp of a log line and fail the "code in no log line" checks.
    await root.query(`ALTER DATABASE ${name} SET booking.otp_digits = 8`);
  } finally {
    await root.end();
  }
  const admin = new Client({ connectionString: urlFor(name, clusterUrl().username || 'postgres') });
  await admin.connect();
  await admin.query('CREATE EXTENSION booking');
  await admin.query(`SELECT booking.grant_access($1, 'agent'), booking.grant_access($1, 'sms_sender')`, [role]);
  const phoneShim = await ensureIssueOtpCarriesPhone(admin, role);
  return {
    name,
    role,
    roleUrl: urlFor(name, role),
    admin,
    phoneShim,
    async drop() {
      await admin.end();
      const c = new Client({ connectionString: urlFor('postgres', clusterUrl().username || 'postgres') });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${role}`);
      } finally {
        await c.end();
      }
    },
  };
}
