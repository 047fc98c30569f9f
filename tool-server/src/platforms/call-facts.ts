// What a voice platform knows about the call a tool runs in, and the one
// place it fills the tool's arguments the model does not give: the call's id
// is the hold's and the waitlist entry's caller_ref, the caller's number the
// patient's phone when the arguments have none, and a key made from the call
// and the request makes a retried booking book once and answer as the first
// did. Vapi, Retell and ElevenLabs differ only in where they carry these.
import { createHash } from 'node:crypto';
import { PHONE } from '../formats';
import type { Tool } from '../tools/tool';

export type Platform = 'vapi' | 'retell' | 'elevenlabs';

export interface CallFacts {
  platform: Platform;
  /** The platform's id of the call (Vapi's call.id, Retell's call_id, ElevenLabs' conversation id). */
  callId?: string;
  /** The number the caller is calling from, as the platform saw it. */
  callerPhone?: string;
  /** The platform's own id of this one tool request, when it has one (Vapi's tool call id). */
  requestId?: string;
}

// The extension keeps keys and caller_refs to 200 characters.
const MAX_KEY = 200;

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 32);

/**
 * The key a retry of this request carries too: the platform's request id, or
 * else the tool and its arguments, within the call. Undefined without a call.
 */
export function retryKey(facts: CallFacts, toolName: string, args: Record<string, unknown>): string | undefined {
  if (facts.callId === undefined || facts.callId === '') return undefined;
  const key = facts.requestId
    ? `${facts.platform}:${facts.callId}:${facts.requestId}`
    : `${facts.platform}:${facts.callId}:${toolName}:${digest(canonicalJson(args))}`;
  return key.length <= MAX_KEY ? key : `${facts.platform}:${digest(key)}`;
}

/** A caller's number fit for patientPhone, or undefined (a web call's "anonymous", an empty field). */
export function phoneOf(value: unknown): string | undefined {
  return typeof value === 'string' && PHONE.test(value.trim()) ? value.trim() : undefined;
}

function takes(tool: Tool, field: string): boolean {
  const properties = (tool.body as { properties?: Record<string, unknown> }).properties ?? {};
  return field in properties;
}

/**
 * The arguments with what the call supplies filled in where the tool takes
 * it and the arguments leave it out; what the arguments say always wins.
 * A field the model sent as null or "" is left out: models fill optional
 * parameters that way, and a platform may send every parameter it defines.
 */
export function withCallFacts(tool: Tool, args: Record<string, unknown>, facts: CallFacts): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null && v !== ''));
  const absent = (field: string): boolean => takes(tool, field) && out[field] === undefined;
  if (absent('callId') && facts.callId) out.callId = facts.callId.slice(0, MAX_KEY);
  const phone = phoneOf(facts.callerPhone);
  if (absent('patientPhone') && phone !== undefined) out.patientPhone = phone;
  if (absent('idempotencyKey')) {
    const key = retryKey(facts, tool.name, args);
    if (key !== undefined) out.idempotencyKey = key;
  }
  return out;
}
