// A local stand-in for Twilio's Messages API on loopback: it records what
// the server sent (To, From, Body, the Basic credentials) as soon as a
// request arrives, and answers as told: accepted, a provider error, or
// never; after a delay when told to be slow (delayMs, for every message or
// for some numbers).
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedSms {
  path: string;
  to: string | null;
  from: string | null;
  messagingServiceSid: string | null;
  body: string | null;
  user: string;
  password: string;
  contentType: string | undefined;
}

export type StandInMode = 'accept' | 'fail' | 'hang';

export interface TwilioStandIn {
  url: string;
  messages: RecordedSms[];
  mode: StandInMode;
  /** How long it takes to answer a message to this number (To as sent); 0 by default. */
  delayMs: (to: string | null) => number;
  /** Resolves once a message to `to` has arrived (answered or not yet); rejects after timeoutMs. */
  arrival(to: string, timeoutMs: number): Promise<RecordedSms>;
  close(): Promise<void>;
}

export async function startTwilioStandIn(): Promise<TwilioStandIn> {
  const messages: RecordedSms[] = [];
  const hanging: ServerResponse[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const waiting: { to: string; resolve: (m: RecordedSms) => void }[] = [];
  const state = { mode: 'accept' as StandInMode, delayMs: (_to: string | null): number => 0 };
  const answer = (res: ServerResponse, mode: StandInMode, to: string | null): void => {
    res.setHeader('content-type', 'application/json');
    if (mode === 'fail') {
      res.statusCode = 500;
      res.end(JSON.stringify({ code: 20500, message: `Internal error sending to ${to}`, more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 }));
      return;
    }
    res.statusCode = 201;
    res.end(JSON.stringify({ sid: `SM${messages.length.toString().padStart(32, '0')}`, status: 'queued' }));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const [user = '', password = ''] = Buffer.from(auth, 'base64').toString('utf8').split(':');
      const sms: RecordedSms = {
        path: req.url ?? '',
        to: form.get('To'),
        from: form.get('From'),
        messagingServiceSid: form.get('MessagingServiceSid'),
        body: form.get('Body'),
        user,
        password,
        contentType: req.headers['content-type'],
      };
      messages.push(sms);
      for (let i = waiting.length - 1; i >= 0; i--) {
        if (waiting[i]!.to === sms.to) waiting.splice(i, 1)[0]!.resolve(sms);
      }
      // The mode as the message arrived decides its answer, however long it takes.
      const mode = state.mode;
      if (mode === 'hang') {
        hanging.push(res);
        return;
      }
      const delay = state.delayMs(sms.to);
      if (delay <= 0) {
        answer(res, mode, sms.to);
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer(res, mode, sms.to);
      }, delay);
      timers.add(timer);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    get mode() {
      return state.mode;
    },
    set mode(m: StandInMode) {
      state.mode = m;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(f: (to: string | null) => number) {
      state.delayMs = f;
    },
    arrival(to, timeoutMs) {
      const arrived = messages.find((m) => m.to === to);
      if (arrived) return Promise.resolve(arrived);
      return new Promise<RecordedSms>((resolve, reject) => {
        const entry = {
          to,
          resolve: (m: RecordedSms) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          reject(new Error(`no message to ${to} reached the provider within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(entry);
      });
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The code inside a recorded message body. */
export function codeIn(sms: RecordedSms | undefined): string {
  const m = /\b(\d{4,8})\b/.exec(sms?.body ?? '');
  if (!m?.[1]) throw new Error(`no code in SMS body ${JSON.stringify(sms?.body)}`);
  return m[1];
}
