// What a database error means to the caller. The extension raises only for
// misuse (SQLSTATE class 22, and 42501 for acting outside one's rights), so
// those are the caller's fault and never a 500; the rest is transient or ours.
import { HttpError } from './http-error';

interface PgLikeError {
  code?: unknown;
  message?: unknown;
}

function sqlstateOf(err: unknown): string | undefined {
  const code = (err as PgLikeError | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The HTTP refusal for a database error, or undefined when it is not one. */
export function httpErrorFromSql(err: unknown): HttpError | undefined {
  const state = sqlstateOf(err);
  if (state === undefined) return connectionTrouble(err);
  const message = String((err as PgLikeError).message ?? 'database error');
  if (state.startsWith('22')) {
    return new HttpError(400, { success: false, error: 'invalid_request', message, sqlstate: state });
  }
  if (state === '42501') {
    return new HttpError(403, { success: false, error: 'forbidden', message, sqlstate: state });
  }
  if (state === '40001' || state === '40P01' || state === '55P03') {
    return new HttpError(503, {
      success: false,
      error: 'busy',
      action: 'RETRY',
      message: 'the calendar changed while the call ran; try again',
      sqlstate: state,
    });
  }
  if (state === '57014') {
    return new HttpError(503, {
      success: false,
      error: 'timeout',
      action: 'RETRY',
      message: 'the database took too long to answer; try again',
      sqlstate: state,
    });
  }
  if (state.startsWith('08') || state.startsWith('53') || state.startsWith('57P')) {
    return unavailable(state);
  }
  return undefined;
}

function unavailable(sqlstate?: string): HttpError {
  return new HttpError(503, {
    success: false,
    error: 'database_unavailable',
    action: 'RETRY',
    message: 'the booking database cannot be reached right now; try again shortly',
    ...(sqlstate ? { sqlstate } : {}),
  });
}

// node-postgres reports a pool that could not hand out a connection in time,
// and sockets that failed, as plain errors without a SQLSTATE.
function connectionTrouble(err: unknown): HttpError | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  const msg = typeof e?.message === 'string' ? e.message : '';
  const code = typeof e?.code === 'string' ? e.code : '';
  if (
    /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Client has encountered a connection error/i.test(msg) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN'].includes(code)
  ) {
    return unavailable();
  }
  return undefined;
}
