// The real server, in-process, on a loopback port, with every log line
// kept, and an HTTP client that keeps every answer: both are searched for
// codes and secrets at the end of each file.
import type { Pool } from 'pg';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { TestDatabase } from './database';
import type { TwilioStandIn } from './twilio-stand-in';

export const ORG_A = '0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a';
export const ORG_B = '0b0b0b0b-2222-4222-8222-0b0b0b0b0b0b';
export const KEY_A = 'key-a-7f3c9e1b5d2a48f6a0c4e8b2d6f1a3c5';
export const KEY_B = 'key-b-2e8d4c6a0f1b3d5e7a9c2b4d6e8f0a1c';
export const TWILIO_SID = 'AC0123456789abcdef0123456789abcdef';
export const TWILIO_TOKEN = 'twilio-token-5e6f7a8b9c0d';
export const TWILIO_FROM = '+15005550006';

export interface Answer {
  status: number;
  body: Record<string, any>;
  text: string;
  headers: Headers;
}

export interface RunningServer {
  url: string;
  logs: string[];
  answers: string[];
  pool: Pool;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  postRaw(path: string, raw: string, headers: Record<string, string>): Promise<Answer>;
  get(path: string): Promise<Answer>;
  close(): Promise<void>;
}

export interface ServerOptions {
  db: TestDatabase;
  twilio?: TwilioStandIn;
  env?: Record<string, string>;
  pool?: Pool;
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const config = loadConfig({
    DATABASE_URL: o.db.roleUrl,
    TOOL_SERVER_KEYS: `${ORG_A}=${KEY_A},${ORG_B}=${KEY_B}`,
    SMS_PROVIDER: o.twilio ? 'twilio' : 'log',
    TWILIO_ACCOUNT_SID: TWILIO_SID,
    TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_FROM,
    TWILIO_API_BASE: o.twilio?.url ?? 'http://127.0.0.1:9',
    SMS_TIMEOUT_MS: '1500',
    LOG_LEVEL: 'info',
    ...o.env,
  });
  const logs: string[] = [];
  const answers: string[] = [];
  const { server, pool } = buildApp(config, { logStream: { write: (line: string) => logs.push(line) }, ...(o.pool ? { pool: o.pool } : {}) });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });

  const send = async (path: string, init: RequestInit): Promise<Answer> => {
    const res = await fetch(`${address}${path}`, init);
    const text = await res.text();
    answers.push(text);
    let body: Record<string, any> = {};
    try {
      body = JSON.parse(text) as Record<string, any>;
    } catch {
      // /metrics is text.
    }
    return { status: res.status, body, text, headers: res.headers };
  };

  return {
    url: address,
    logs,
    answers,
    pool,
    post: (path, body, headers = { 'x-vapi-secret': KEY_A }) =>
      send(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }),
    postRaw: (path, raw, headers) => send(path, { method: 'POST', headers, body: raw }),
    get: (path) => send(path, { method: 'GET' }),
    async close() {
      await server.close();
      if (o.pool) await o.pool.end();
    },
  };
}

export const tool = (name: string): string => `/api/vapi/tools/booking/${name}`;

/**
 * A start time on a fresh quarter hour far in the future, distinct per call.
 * The date is written as one so that test/shift-dates moves it with the clock.
 */
let slotCounter = 0;
export function futureSlot(dayOffset = 0): string {
  slotCounter += 1;
  const base = Date.parse('2031-01-06T08:00:00Z') + dayOffset * 24 * 60 * 60 * 1000;
  return new Date(base + slotCounter * 60 * 60 * 1000).toISOString().replace('.000Z', 'Z');
}

/** Fails when any secret occurs in any log line or any answer. */
export function assertNothingLeaked(server: RunningServer, secrets: string[]): void {
  for (const secret of secrets.filter((s) => s.length > 0)) {
    const inLog = server.logs.find((l) => l.includes(secret));
    if (inLog) throw new Error(`a secret occurs in a log line: ${inLog}`);
    const inAnswer = server.answers.find((a) => a.includes(secret));
    if (inAnswer) throw new Error(`a secret occurs in an answer: ${inAnswer}`);
  }
}
