// Every request runs in one transaction bound to the key's organisation.
// SET LOCAL settings end with the transaction (commit or rollback), so a
// pooled connection never carries one request's tenant into the next.
import type { Pool, PoolClient, QueryConfig, QueryResultRow } from 'pg';
import { UUID_RE } from '../keys';

export type Answer = { success: boolean; [key: string]: unknown };

/** Thrown inside a transaction to undo it and still answer the caller. */
export class Rollback {
  constructor(readonly answer: Answer) {}
}

export interface Tx {
  query<R extends QueryResultRow>(q: QueryConfig): Promise<R[]>;
  /** Runs a statement whose single row has one jsonb column, `answer`. */
  answer(q: QueryConfig): Promise<Answer>;
}

export interface TransactionLimits {
  statementTimeoutMs: number;
  /** How long the transaction may sit between statements (an SMS call runs inside it). */
  idleTimeoutMs: number;
}

export class TenantDatabase {
  constructor(
    readonly pool: Pool,
    private readonly limits: TransactionLimits,
  ) {}

  async inTenant(orgId: string, work: (tx: Tx) => Promise<Answer>, limits: Partial<TransactionLimits> = {}): Promise<Answer> {
    // The organisation comes from our own key ring, where it was checked to be
    // a uuid; checked again here because it is spliced into the statement
    // below (one round trip for BEGIN and the bindings instead of two).
    if (!UUID_RE.test(orgId)) throw new Error('organisation id is not a uuid');
    const statementMs = Math.trunc(limits.statementTimeoutMs ?? this.limits.statementTimeoutMs);
    const idleMs = Math.trunc(limits.idleTimeoutMs ?? this.limits.idleTimeoutMs);
    const client = await this.pool.connect();
    let open = false;
    try {
      await client.query(
        `BEGIN; SET LOCAL booking.org_id = '${orgId.toLowerCase()}'; ` +
          `SET LOCAL statement_timeout = ${statementMs}; ` +
          `SET LOCAL idle_in_transaction_session_timeout = ${idleMs}; ` +
          `SET LOCAL TimeZone = 'UTC'`,
      );
      open = true;
      let result: Answer;
      let commit = true;
      try {
        result = await work(txOf(client));
      } catch (e) {
        if (!(e instanceof Rollback)) throw e;
        result = e.answer;
        commit = false;
      }
      await client.query(commit ? 'COMMIT' : 'ROLLBACK');
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

function txOf(client: PoolClient): Tx {
  return {
    async query<R extends QueryResultRow>(q: QueryConfig): Promise<R[]> {
      return (await client.query<R>(q)).rows;
    },
    async answer(q: QueryConfig): Promise<Answer> {
      const rows = (await client.query<{ answer: Answer }>(q)).rows;
      const a = rows[0]?.answer;
      if (a === undefined || a === null || typeof a !== 'object') throw new Error(`${q.name ?? 'statement'} gave no answer`);
      return a;
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
