// Retell signs each request with the account's API key, as its SDK's
// verify() checks it: x-retell-signature is "v=<unix ms>,d=<hex digest>",
// the digest an HMAC-SHA256 under the key of the raw body followed by the
// timestamp, and a timestamp more than five minutes from now is refused
// (a replayed request). Compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

const WINDOW_MS = 5 * 60 * 1000;

function matches(expectedHex: string, givenHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'hex');
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && timingSafeEqual(expected, given);
}

/** Whether signature is one of the keys' over rawBody, made within the window around now. */
export function retellSignatureValid(rawBody: string, signature: string | undefined, keys: readonly string[], now = Date.now()): boolean {
  const m = /^v=(\d+),d=([0-9a-f]+)$/i.exec(signature ?? '');
  if (!m?.[1] || !m[2]) return false;
  const stamp = m[1];
  if (Math.abs(now - Number(stamp)) > WINDOW_MS) return false;
  return keys.some((key) => matches(createHmac('sha256', key).update(rawBody + stamp).digest('hex'), m[2] as string));
}

/** The header Retell would send for rawBody at stamp (tests, and a client checking its setup). */
export function retellSignature(rawBody: string, key: string, stamp = Date.now()): string {
  return `v=${stamp},d=${createHmac('sha256', key).update(rawBody + stamp).digest('hex')}`;
}
