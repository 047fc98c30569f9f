// What the database role may do, checked once at start. A role that skips
// the extension's tenant rule (superuser, BYPASSRLS, the extension's owner)
// is refused: then only this server would keep tenants apart. Missing
// grants are reported; the endpoints that need them answer 403.
import type { Pool } from 'pg';

export interface RoleReport {
  role: string;
  fatal: string[];
  warnings: string[];
  info: string[];
}

// By name: each function of the extension has one signature (its arguments
// grow with releases, named and defaulted), so a name names it in any release.
const NEEDED: { profile: string; functions: string[] }[] = [
  {
    profile: 'agent',
    functions: [
      'booking.claim_slot',
      'booking.release_hold',
      'booking.hold_status',
      'booking.verify_otp',
      'booking.book',
      'booking.free_slots',
    ],
  },
  // withdraw_otp (release 0.3) takes back a code whose SMS failed.
  { profile: 'sms_sender', functions: ['booking.issue_otp', 'booking.withdraw_otp'] },
];

const STAFF_ONLY = [
  'booking.cancel_appointment',
  'booking.reschedule_appointment',
];

export async function checkRole(pool: Pool): Promise<RoleReport> {
  const all = [...NEEDED.flatMap((n) => n.functions), ...STAFF_ONLY];
  const { rows } = await pool.query<{
    role: string;
    superuser: boolean;
    bypassrls: boolean;
    owner: boolean | null;
    version: string | null;
    granted: (boolean | null)[];
    present: boolean[];
  }>(
    `SELECT current_user AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
            e.extowner = r.oid AS owner, e.extversion AS version,
            array(SELECT has_function_privilege(to_regproc(f), 'EXECUTE') FROM unnest($1::text[]) WITH ORDINALITY AS u(f, n) ORDER BY n) AS granted,
            array(SELECT to_regproc(f) IS NOT NULL FROM unnest($1::text[]) WITH ORDINALITY AS u(f, n) ORDER BY n) AS present
       FROM pg_roles r LEFT JOIN pg_extension e ON e.extname = 'booking'
      WHERE r.rolname = current_user`,
    [all],
  );
  const row = rows[0];
  const report: RoleReport = { role: row?.role ?? '?', fatal: [], warnings: [], info: [] };
  if (!row) {
    report.fatal.push('cannot read the role of DATABASE_URL');
    return report;
  }
  if (row.superuser || row.bypassrls || row.owner) {
    const why = row.superuser ? 'a superuser' : row.bypassrls ? 'a BYPASSRLS role' : 'the owner of the booking extension';
    report.fatal.push(
      `the role ${row.role} of DATABASE_URL is ${why}, which the extension does not bind to a tenant; ` +
        `create a plain login role and grant it the agent and sms_sender profiles (see README)`,
    );
  }
  if (row.version === null) {
    report.warnings.push('the booking extension is not installed in this database (CREATE EXTENSION booking)');
    return report;
  }
  const absent = all.filter((_f, n) => row.present[n] !== true);
  if (absent.length > 0) {
    report.warnings.push(
      `the booking extension (${row.version}) has no ${absent.join(', ')}: run ALTER EXTENSION booking UPDATE` +
        (absent.includes('booking.withdraw_otp')
          ? ' (until then send-otp cannot take back a code whose SMS failed, and that send stays counted)'
          : ''),
    );
  }
  let i = 0;
  for (const need of NEEDED) {
    const missing = need.functions.filter((f) => row.granted[i++] !== true && !absent.includes(f));
    if (missing.length > 0) {
      report.warnings.push(
        `role ${row.role} cannot execute ${missing.map((f) => f.replace(/\(.*/, '')).join(', ')}: ` +
          `SELECT booking.grant_access('${row.role}', '${need.profile}')`,
      );
    }
  }
  const staffMissing = STAFF_ONLY.filter(() => row.granted[i++] !== true);
  if (staffMissing.length > 0) {
    report.info.push(
      `role ${row.role} lacks the staff profile: cancel and reschedule answer 403 ` +
        `(SELECT booking.grant_access('${row.role}', 'staff') to enable them)`,
    );
  }
  return report;
}
