// A slow SMS provider, measured from outside the tool server (issue 21 §5):
// a stand-in for Twilio's Messages API that answers every message after
// DELAY_MS, SENDS send-otp calls in flight at once, and meanwhile a closed
// loop of reserve-atomic calls (LOOPERS connections), a verify-otp and a
// release of holds whose codes are on their way. Prints one JSON line.
//   node slow_sms.js TOOLS_URL KEY SMS_PORT DELAY_MS SENDS LOOPERS
'use strict';
const http = require('node:http');

const [toolsUrl, key, smsPort, delayArg, sendsArg, loopersArg] = process.argv.slice(2);
const DELAY_MS = Number(delayArg);
const SENDS = Number(sendsArg);
const LOOPERS = Number(loopersArg);
const ORG = '0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a';
const agent = new http.Agent({ keepAlive: true, maxSockets: SENDS + LOOPERS + 8 });
const runTag = process.pid.toString(36);

// The stand-in: records each message's To and Body as it arrives, answers
// 201 after DELAY_MS.
const arrived = new Map();
const standIn = http.createServer((req, res) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    const form = new URLSearchParams(raw);
    const to = form.get('To');
    arrived.set(to, form.get('Body'));
    setTimeout(() => {
      res.statusCode = 201;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ sid: 'SM' + '0'.repeat(32), status: 'queued' }));
    }, DELAY_MS);
  });
});

function post(tool, body) {
  const payload = JSON.stringify(body);
  const target = new URL(`${toolsUrl}/api/vapi/tools/booking/${tool}`);
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-vapi-secret': key, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          let json = {};
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, body: json, ms: Number(process.hrtime.bigint() - started) / 1e6 });
        });
      },
    );
    req.on('error', () => resolve({ status: 0, body: {}, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    req.end(payload);
  });
}

let slot = 0;
const base = Date.UTC(2033, 0, 3, 0, 0, 0);
function claimBody(phone, calendar) {
  slot += 1;
  return {
    tenantId: ORG,
    slotId: new Date(base + slot * 3_600_000).toISOString(),
    calendarId: calendar,
    patientPhone: phone,
    callId: `slow-${runTag}-${slot}`,
  };
}

const pct = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const round = (x) => (x === null ? null : Math.round(x * 10) / 10);

async function main() {
  await new Promise((resolve) => standIn.listen(Number(smsPort), '127.0.0.1', resolve));
  const phones = Array.from({ length: SENDS }, (_, i) => `+1555040${(1000 + i).toString()}`);
  const holds = [];
  for (const p of phones) {
    const r = await post('reserve-atomic', claimBody(p, `slow-${runTag}`));
    if (r.body.success !== true) throw new Error(`claim failed: ${JSON.stringify(r.body)}`);
    holds.push(r.body.holdId);
  }

  const started = Date.now();
  const sends = holds.map((holdId) => post('send-otp', { tenantId: ORG, holdId }));

  // The closed loop of claims, for as long as the provider takes.
  const claims = [];
  const loopUntil = started + DELAY_MS + 500;
  const loopers = Array.from({ length: LOOPERS }, async (_, n) => {
    while (Date.now() < loopUntil) claims.push(await post('reserve-atomic', claimBody('+15550409999', `loop-${runTag}-${n}`)));
  });

  // A verification and a release, at once, of the first two holds whose
  // codes reached the provider (on a server that queues sends for
  // connections, not every one does at once).
  const firstTwo = new Promise((resolve) => {
    const check = setInterval(() => {
      if (arrived.size >= 2 || Date.now() - started > 1_000) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  await firstTwo;
  const underway = [...arrived.keys()].slice(0, 2).map((to) => phones.indexOf(to));
  const [v, l] = [underway[0] ?? 0, underway[1] ?? 1];
  const code = /\b(\d{4,8})\b/.exec(arrived.get(phones[v]) ?? '')?.[1] ?? '00000000';
  const [verify, release] = await Promise.all([
    post('verify-otp', { tenantId: ORG, holdId: holds[v], providedOTP: code }),
    post('release', { tenantId: ORG, holdId: holds[l], reason: 'bench' }),
  ]);

  const done = await Promise.all(sends);
  await Promise.all(loopers);
  standIn.close();
  agent.destroy();

  const claimMs = claims.map((c) => c.ms).sort((a, b) => a - b);
  const statuses = {};
  for (const d of done) statuses[d.status] = (statuses[d.status] ?? 0) + 1;
  console.log(
    JSON.stringify({
      delay_ms: DELAY_MS,
      sends: SENDS,
      sends_by_status: statuses,
      sends_succeeded: done.filter((d) => d.body.success === true).length,
      reached_provider: arrived.size,
      claims: claims.length,
      claims_failed: claims.filter((c) => c.status !== 200 || c.body.success !== true).length,
      claim_p50_ms: round(pct(claimMs, 50)),
      claim_p99_ms: round(pct(claimMs, 99)),
      claim_max_ms: round(claimMs.at(-1) ?? null),
      verify_ms: round(verify.ms),
      verify: verify.status === 200 ? (verify.body.success === true ? 'confirmed' : verify.body.error) : `HTTP ${verify.status}`,
      release_ms: round(release.ms),
      release: release.status === 200 ? (release.body.status ?? release.body.error) : `HTTP ${release.status}`,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
