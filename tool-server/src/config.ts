// The server's settings, read once from the environment. Every problem is
// collected and reported together, so a misconfigured deploy fails at start
// with one message naming each variable, not at the first request.
import { parseKeys, type KeyRing } from './keys';

export type SmsProviderName = 'twilio' | 'log';

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  from: string;
  apiBase: string;
}

export interface Config {
  databaseUrl: string;
  host: string;
  port: number;
  logLevel: string;
  keys: KeyRing;
  sms: {
    provider: SmsProviderName;
    timeoutMs: number;
    template: string;
    twilio?: TwilioConfig;
  };
  db: {
    poolMax: number;
    statementTimeoutMs: number;
    connectTimeoutMs: number;
  };
  trustProxy: boolean;
  retell: {
    /** Retell API keys whose x-retell-signature the Retell routes require; none: not checked. */
    signingKeys: string[];
  };
  warnings: string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

const DEFAULT_TWILIO_API_BASE = 'https://api.twilio.com';
const DEFAULT_SMS_TEMPLATE = 'Your appointment verification code is {code}. Do not share it.';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const warnings: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };

  const databaseUrl = env.DATABASE_URL ?? '';
  if (databaseUrl === '') problems.push('DATABASE_URL is required (a libpq URI, e.g. postgres://tool_server@db/app)');

  let keys: KeyRing = parseKeys('');
  try {
    keys = parseKeys(env.TOOL_SERVER_KEYS ?? '');
    if (keys.size === 0) problems.push('TOOL_SERVER_KEYS is required: org_uuid=key[,org_uuid=key...]');
    for (const w of keys.warnings) warnings.push(w);
  } catch (e) {
    problems.push((e as Error).message);
  }

  let provider: SmsProviderName = 'log';
  const rawProvider = (env.SMS_PROVIDER ?? '').trim().toLowerCase();
  if (rawProvider === '') {
    warnings.push('SMS_PROVIDER is not set: codes are not delivered, only logged as sent (SMS_PROVIDER=log)');
  } else if (rawProvider === 'twilio' || rawProvider === 'log') {
    provider = rawProvider;
  } else {
    problems.push(`SMS_PROVIDER must be "twilio" or "log" (got "${env.SMS_PROVIDER}")`);
  }

  let twilio: TwilioConfig | undefined;
  if (provider === 'twilio') {
    const need = (name: string): string => {
      const v = (env[name] ?? '').trim();
      if (v === '') problems.push(`${name} is required with SMS_PROVIDER=twilio`);
      return v;
    };
    const apiBase = (env.TWILIO_API_BASE ?? '').trim() || DEFAULT_TWILIO_API_BASE;
    if (!/^https?:\/\/[^/]+/.test(apiBase)) problems.push(`TWILIO_API_BASE must be an http(s) URL (got "${apiBase}")`);
    twilio = {
      accountSid: need('TWILIO_ACCOUNT_SID'),
      authToken: need('TWILIO_AUTH_TOKEN'),
      from: need('TWILIO_FROM'),
      apiBase: apiBase.replace(/\/+$/, ''),
    };
  }

  const template = env.SMS_TEMPLATE ?? DEFAULT_SMS_TEMPLATE;
  if (!template.includes('{code}')) problems.push('SMS_TEMPLATE must contain {code}');

  const logLevel = (env.LOG_LEVEL ?? 'info').trim();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  }

  // One key per Retell account whose agents call this server, comma-separated;
  // unset, Retell's requests are bound to a tenant by the tool server key alone.
  const retellKeys = (env.RETELL_API_KEY ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');

  const config: Config = {
    databaseUrl,
    host: (env.HOST ?? '').trim() || '0.0.0.0',
    port: int('PORT', 3000, 0, 65535),
    logLevel,
    keys,
    sms: {
      provider,
      timeoutMs: int('SMS_TIMEOUT_MS', 10_000, 100, 60_000),
      template,
      ...(twilio ? { twilio } : {}),
    },
    db: {
      poolMax: int('DB_POOL_MAX', 10, 1, 1000),
      statementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', 5_000, 100, 600_000),
      connectTimeoutMs: int('DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    },
    trustProxy: /^(1|true|yes)$/i.test(env.TRUST_PROXY ?? ''),
    retell: { signingKeys: retellKeys },
    warnings,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
