// One mapping from anything thrown to the status and answer a caller gets,
// shared by fastify's error handler and the webhook (which puts the answer
// into that one tool call's result instead).
import type { FastifyBaseLogger } from 'fastify';
import { HttpError, type FailureAnswer } from './http-error';
import { httpErrorFromSql } from './sql-errors';

export interface Failure {
  statusCode: number;
  answer: FailureAnswer;
}

interface FastifyLikeError {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  validation?: unknown;
}

// Fastify's own client errors, reworded to name what was wrong.
const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'body is empty; send a JSON object',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'content-type must be application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body is too large',
};

export function failureOf(err: unknown, log: FastifyBaseLogger): Failure {
  if (err instanceof HttpError) return { statusCode: err.statusCode, answer: err.answer };

  const e = (err ?? {}) as FastifyLikeError;
  if (e.validation !== undefined) {
    return { statusCode: 400, answer: { success: false, error: 'invalid_request', message: String(e.message) } };
  }

  const sql = httpErrorFromSql(err);
  if (sql) {
    // The extension's messages name the argument and never carry its value.
    const level = sql.statusCode >= 500 ? 'warn' : 'info';
    log[level]({ sqlstate: sql.answer.sqlstate, dbError: sql.answer.message }, 'database refused the call');
    return { statusCode: sql.statusCode, answer: sql.answer };
  }

  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = CLIENT_ERROR_MESSAGES[code] ?? String(e.message ?? 'bad request');
    return { statusCode: status, answer: { success: false, error: 'invalid_request', message } };
  }

  const error = err instanceof Error ? err : new Error(String(err));
  log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'tool failed');
  return {
    statusCode: 500,
    answer: { success: false, error: 'internal_error', action: 'RETRY', message: 'the booking service had a problem; try again' },
  };
}
