// The extension answers in snake_case jsonb; the agent's tools speak
// camelCase, like seed 000's endpoints. Values are passed through untouched
// (error codes and actions stay as the extension spells them).
import type { Answer } from './db/tenant-transaction';

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export function camelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[camel(k)] = camelCase(v);
    return out;
  }
  return value;
}

/**
 * The extension's answer in camelCase, without the keys named in `omit`,
 * with `message` filled in for a success (the extension words only failures).
 */
export function toolAnswer(answer: Answer, successMessage: string, omit: readonly string[] = []): Answer {
  const all = camelCase(answer) as Answer;
  for (const k of omit) delete all[k];
  const { success, error, action, message, ...rest } = all;
  const words = typeof message === 'string' ? message : success === true ? successMessage : String(error ?? 'the call did not succeed');
  // An agent reads these four first; jsonb would have sorted them by length.
  return {
    success,
    ...(error !== undefined ? { error } : {}),
    ...(action !== undefined ? { action } : {}),
    message: words,
    ...rest,
  };
}

/** `success` and the given keys first (seed 000's answer shape), then the rest. */
export function leading(answer: Answer, first: Record<string, unknown>): Answer {
  const { success, ...rest } = answer;
  return { success, ...first, ...rest };
}
