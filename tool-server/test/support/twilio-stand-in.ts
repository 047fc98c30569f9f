// A local stand-in for Twilio's Messages API on loopback: it records what
// the server sent (To, From, Body, the Basic credentials) and answers as
// told: accepted, a provider error, or never.
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
  close(): Promise<void>;
}

export async function startTwilioStandIn(): Promise<TwilioStandIn> {
  const messages: RecordedSms[] = [];
  const hanging: ServerResponse[] = [];
  const state = { mode: 'accept' as StandInMode };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const [user = '', password = ''] = Buffer.from(auth, 'base64').toString('utf8').split(':');
      messages.push({
        path: req.url ?? '',
        to: form.get('To'),
        from: form.get('From'),
        messagingServiceSid: form.get('MessagingServiceSid'),
        body: form.get('Body'),
        user,
        password,
        contentType: req.headers['content-type'],
      });
      if (state.mode === 'hang') {
        hanging.push(res);
        return;
      }
      res.setHeader('content-type', 'application/json');
      if (state.mode === 'fail') {
        res.statusCode = 500;
        res.end(JSON.stringify({ code: 20500, message: `Internal error sending to ${form.get('To')}`, more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 }));
        return;
      }
      res.statusCode = 201;
      res.end(JSON.stringify({ sid: `SM${messages.length.toString().padStart(32, '0')}`, status: 'queued' }));
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
    async close() {
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
