// What the send-otp tool needs from an SMS provider. A provider never logs
// the message body: it carries the code.
import type { FastifyBaseLogger } from 'fastify';

export interface SmsMessage {
  to: string;
  body: string;
}

export interface SmsSender {
  readonly name: string;
  /** Resolves once the provider accepted the message; rejects with SmsError otherwise. */
  send(message: SmsMessage, log: FastifyBaseLogger): Promise<void>;
}

/** A provider's refusal or silence, with what may be logged about it (never the body). */
export class SmsError extends Error {
  constructor(
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A phone number as logs and answers may show it: its last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 2 ? '**' : `…${digits.slice(-2)}`;
}

export function renderSms(template: string, code: string): string {
  return template.split('{code}').join(code);
}
