// The key decides the tenant. Both checks run before any database work:
// a request without a valid key, or naming another organisation, is
// refused without a connection ever being taken from the pool.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from './errors/http-error';
import type { KeyRing } from './keys';

// Vapi sends a server URL secret as x-vapi-secret; a Bearer credential as
// Authorization.
function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const secret = headers['x-vapi-secret'];
  if (typeof secret === 'string' && secret !== '') return secret;
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m?.[1]) return m[1];
  }
  return undefined;
}

export function keyAuth(keys: KeyRing): onRequestAsyncHookHandler {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const presented = presentedKey(request.headers);
    const orgId = presented === undefined ? undefined : keys.lookup(presented);
    if (orgId === undefined) {
      reply.header('www-authenticate', 'Bearer realm="booking-tools"');
      throw new HttpError(401, {
        success: false,
        error: 'unauthorized',
        message: presented === undefined ? 'no key: send it as x-vapi-secret or Authorization: Bearer' : 'the key is not valid',
      });
    }
    request.orgId = orgId;
  };
}

/** Refuses a body that names an organisation other than the key's. */
export function requireSameTenant(orgId: string, tenantId: unknown): void {
  if (tenantId === undefined || tenantId === null) return;
  if (typeof tenantId === 'string' && tenantId.toLowerCase() === orgId) return;
  throw new HttpError(403, {
    success: false,
    error: 'forbidden',
    message: 'tenantId names another organisation than the key\'s',
  });
}
