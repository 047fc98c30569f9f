// Every request runs in one transaction bound to the key's organisation,
// with a transaction-local setting (set_config(..., true) / SET LOCAL) that
// ends with it, commit or rollback: a pooled connection never carries one
// request's tenant into the next.
//
// A tool that is one SQL call runs as one statement, its own transaction,
// which binds the tenant in its FROM clause and takes org_id from that
// binding, so the binding necessarily runs first (one round trip instead
// of BEGIN, SET LOCAL, call, COMMIT). A tool that needs several statements
// (a privilege check, then the call) gets an explicit transaction. Neither
// ever spans a call to anything but the database: send-otp commits the code
// before the SMS goes out and withdraws it in a statement of its own when
// the SMS fails (tools/otp.ts), so a slow provider holds no connection.
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { UUID_RE } from '../keys';

export type Answer = { success: boolean; [key: string]: unknown };

/** Binds $1 (the organisation) for the statement's own transaction. */
export const TENANT_BINDING = "set_config('booking.org_id', $1::text, true) AS bound(org)";
/** The bound organisation, as every function's org_id argument. */
export const BOUND_ORG = 'bound.org::uuid';

export interface Tx {
  query<R extends QueryResultRow>(q: QueryConfig): Promise<R[]>;
  /** Runs a statement whose single row has one jsonb column, `answer`. */
  answer(q: QueryConfig): Promise<Answer>;
}

export interface TransactionLimits {
  statementTimeoutMs: number;
  /** How long the transaction may sit between statements. */
  idleTimeoutMs: number;
}

function firstAnswer(rows: { answer?: unknown }[], name: string | undefined): Answer {
  const a = rows[0]?.answer;
  if (a === undefined || a === null || typeof a !== 'object') throw new Error(`${name ?? 'statement'} gave no answer`);
  return a as Answer;
}

export class TenantDatabase {
  constructor(
    readonly pool: Pool,
    private readonly limits: TransactionLimits,
  ) {}

  /**
   * One statement as its own transaction. Its text binds the tenant with
   * TENANT_BINDING and passes BOUND_ORG as org_id; `values` are $2 onwards.
   */
  async answer(orgId: string, q: { name: string; text: string; values: unknown[] }): Promise<Answer> {
    if (!q.text.includes(TENANT_BINDING) || !q.text.includes(BOUND_ORG)) {
      throw new Error(`${q.name} does not bind its tenant`);
    }
    // Not pool.query: it destroys the connection after any error, and a
    // refused argument (SQLSTATE 22xxx) leaves the session perfectly usable.
    const client = await this.pool.connect();
    let rows: { answer: unknown }[];
    try {
      rows = (await client.query<{ answer: unknown }>({ name: q.name, text: q.text, values: [orgId, ...q.values] })).rows;
    } catch (e) {
      client.release(isServerError(e) ? undefined : (e as Error));
      throw e;
    }
    client.release();
    return firstAnswer(rows, q.name);
  }

  async inTenant(orgId: string, work: (tx: Tx) => Promise<Answer>): Promise<Answer> {
    // The organisation comes from our own key ring, where it was checked to be
    // a uuid; checked again here because it is spliced into the statement
    // below (one round trip for BEGIN and the bindings instead of two).
    if (!UUID_RE.test(orgId)) throw new Error('organisation id is not a uuid');
    const statementMs = Math.trunc(this.limits.statementTimeoutMs);
    const idleMs = Math.trunc(this.limits.idleTimeoutMs);
    const client = await this.pool.connect();
    let open = false;
    try {
      await client.query(
        `BEGIN; SET LOCAL booking.org_id = '${orgId.toLowerCase()}'; ` +
          `SET LOCAL statement_timeout = ${statementMs}; ` +
          `SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`,
      );
      open = true;
      const result = await work(txOf(client));
      await client.query('COMMIT');
      open = false;
      client.release();
      return result;
    } catch (e) {
      await discardOrRelease(client, open);
      throw e;
    }
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}

// The server refused the statement and ended its transaction; the
// connection itself is fine. Anything else (a broken socket) is not.
function isServerError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith('08') && !code.startsWith('57P');
}

function txOf(client: PoolClient): Tx {
  return {
    async query<R extends QueryResultRow>(q: QueryConfig): Promise<R[]> {
      return (await client.query<R>(q)).rows;
    },
    async answer(q: QueryConfig): Promise<Answer> {
      return firstAnswer((await client.query<{ answer: unknown }>(q)).rows, q.name);
    },
  };
}

// A connection whose transaction could not be ended cleanly is destroyed
// rather than returned: it might still be inside the failed transaction.
async function discardOrRelease(client: PoolClient, open: boolean): Promise<void> {
  if (!open) {
    // BEGIN or a binding failed: the session's state is unknown.
    client.release(true);
    return;
  }
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch {
    client.release(true);
  }
}
