// Each clinic's secret and the organisation it names. The key decides the
// tenant: nothing in a request body can choose another one.
import { createHash, timingSafeEqual } from 'node:crypto';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Shorter secrets are accepted (local demos) but reported at start.
const MIN_KEY_LENGTH = 24;

interface Entry {
  orgId: string;
  digest: Buffer;
}

export interface KeyRing {
  readonly size: number;
  readonly orgs: ReadonlySet<string>;
  readonly warnings: readonly string[];
  /** The organisation a presented key belongs to, or undefined. */
  lookup(presented: string): string | undefined;
}

// Comparing fixed-length digests lets timingSafeEqual run on every entry
// whatever the presented key's length, and visiting every entry without an
// early exit keeps the time independent of which key (if any) matched.
function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Parses `org_uuid=key,org_uuid=key`. One organisation may have several keys (rotation). */
export function parseKeys(spec: string): KeyRing {
  const entries: Entry[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, string>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const orgId = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const key = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (!UUID_RE.test(orgId)) {
      throw new Error(`TOOL_SERVER_KEYS: "${orgId.slice(0, 40)}" is not an organisation uuid (expected org_uuid=key)`);
    }
    if (key === '') throw new Error(`TOOL_SERVER_KEYS: the key of ${orgId} is empty`);
    const previous = seen.get(key);
    if (previous !== undefined && previous !== orgId) {
      throw new Error(`TOOL_SERVER_KEYS: one key is given to ${previous} and ${orgId}; every clinic needs its own`);
    }
    seen.set(key, orgId);
    if (key.length < MIN_KEY_LENGTH) {
      warnings.push(`TOOL_SERVER_KEYS: the key of ${orgId} has ${key.length} characters; use at least ${MIN_KEY_LENGTH} random ones (openssl rand -hex 32)`);
    }
    entries.push({ orgId, digest: digestOf(key) });
  }
  const orgs = new Set(entries.map((e) => e.orgId));
  return {
    size: entries.length,
    orgs,
    warnings,
    lookup(presented: string): string | undefined {
      const d = digestOf(presented);
      let found: string | undefined;
      for (const e of entries) {
        if (timingSafeEqual(d, e.digest) && found === undefined) found = e.orgId;
      }
      return found;
    },
  };
}
