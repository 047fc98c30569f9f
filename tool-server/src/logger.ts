// pino through fastify. No request or response body is logged, and the
// paths below are censored wherever a log call might carry them anyway:
// the keys, the code, what the caller typed, Twilio's token.
import type { FastifyServerOptions } from 'fastify';

const REDACTED = [
  'req.headers.authorization',
  'req.headers["x-vapi-secret"]',
  'headers.authorization',
  'headers["x-vapi-secret"]',
  'body',
  'req.body',
  'code',
  '*.code',
  'providedOTP',
  '*.providedOTP',
  'arguments',
  '*.arguments',
  'authToken',
  '*.authToken',
];

export interface LogDestination {
  write(line: string): unknown;
}

export function loggerOptions(level: string, stream?: LogDestination): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACTED, censor: '[redacted]' },
    ...(stream ? { stream } : {}),
  };
}
