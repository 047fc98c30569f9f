// A small closed-loop HTTP loader: C connections, each sending the next
// request as soon as the previous answered, for a warm-up and then a timed
// window. Prints one JSON line: requests/s, p50/p99/max latency, failures.
//   node load.js URL BODY_KIND SECONDS CONNECTIONS WARMUP_SECONDS HEADER_JSON
'use strict';
const http = require('node:http');

const [url, kind, seconds, connections, warmup, headerJson] = process.argv.slice(2);
const target = new URL(url);
const headers = { 'content-type': 'application/json', ...JSON.parse(headerJson || '{}') };
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });

// reserve-atomic needs a free slot per request: 200 calendars, then the next
// half hour, so no two requests of a run meet (each is a fresh claim).
let seq = 0;
const base = Date.UTC(2032, 0, 5, 0, 0, 0);
const runTag = process.pid.toString(36);
function body() {
  const i = seq++;
  if (kind !== 'reserve') return '{"tenantId":"0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a","holdId":"00000000-0000-4000-8000-000000000000"}';
  return JSON.stringify({
    tenantId: '0a0a0a0a-1111-4111-8111-0a0a0a0a0a0a',
    slotId: new Date(base + Math.floor(i / 200) * 1_800_000).toISOString(),
    calendarId: `bench-${runTag}-${i % 200}`,
    patientPhone: '+15550100123',
    callId: `bench-${runTag}-${i}`,
  });
}

function once() {
  return new Promise((resolve) => {
    const payload = body();
    const started = process.hrtime.bigint();
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          const ok = res.statusCode === 200 && (kind !== 'reserve' || text.includes('"success":true'));
          resolve({ ok, us: Number(process.hrtime.bigint() - started) / 1000 });
        });
      },
    );
    req.on('error', () => resolve({ ok: false, us: Number(process.hrtime.bigint() - started) / 1000 }));
    req.end(payload);
  });
}

async function main() {
  const warmEnd = Date.now() + Number(warmup) * 1000;
  const end = warmEnd + Number(seconds) * 1000;
  const lat = [];
  let failures = 0;
  let measuredStart = 0;
  let measuredEnd = 0;
  async function worker() {
    while (Date.now() < end) {
      const r = await once();
      const now = Date.now();
      if (now >= warmEnd && now < end) {
        if (measuredStart === 0) measuredStart = now;
        measuredEnd = now;
        lat.push(r.us);
        if (!r.ok) failures++;
      }
    }
  }
  await Promise.all(Array.from({ length: Number(connections) }, worker));
  lat.sort((a, b) => a - b);
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] / 1000;
  const wall = (measuredEnd - measuredStart) / 1000 || Number(seconds);
  process.stdout.write(
    `${JSON.stringify({ requests: lat.length, rps: lat.length / wall, p50_ms: pct(0.5), p99_ms: pct(0.99), max_ms: lat[lat.length - 1] / 1000, failures })}\n`,
  );
  agent.destroy();
}

main();
