// Twilio's Messages API over Node's own fetch: Basic auth with the account
// SID and token, a form-encoded To/From/Body, a bounded wait.
import type { TwilioConfig } from '../config';
import { maskPhone, SmsError, type SmsSender } from './sender';

export function twilioSender(cfg: TwilioConfig, timeoutMs: number): SmsSender {
  const url = `${cfg.apiBase}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}`;
  // A Messaging Service (MG…) picks the sending number itself.
  const fromField = /^MG[0-9a-f]{32}$/i.test(cfg.from) ? 'MessagingServiceSid' : 'From';

  return {
    name: 'twilio',
    async send(message, log) {
      const form = new URLSearchParams();
      // Twilio wants E.164; a number read out on a call arrives with separators.
      form.set('To', message.to.replace(/[\s().-]/g, ''));
      form.set(fromField, cfg.from);
      form.set('Body', message.body);
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            Authorization: authorization,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: form,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const err = e as Error;
        const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
        throw new SmsError(timedOut ? `twilio did not answer within ${timeoutMs} ms` : 'twilio could not be reached', {
          cause: timedOut ? 'timeout' : String((err as { cause?: { code?: string } }).cause?.code ?? err.message),
        });
      }
      // Read the whole answer either way, so the connection can be reused.
      const text = await res.text().catch(() => '');
      let json: { sid?: unknown; code?: unknown; more_info?: unknown } = {};
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        // Not JSON (a proxy's error page): the status says enough.
      }
      if (!res.ok) {
        // Twilio's own message may quote the destination number; its numeric
        // code and documentation link say the same without it.
        throw new SmsError(`twilio answered ${res.status}`, {
          status: res.status,
          ...(json.code !== undefined ? { twilioCode: json.code } : {}),
          ...(typeof json.more_info === 'string' ? { moreInfo: json.more_info } : {}),
        });
      }
      log.info({ sms: { provider: 'twilio', to: maskPhone(message.to), sid: json.sid } }, 'sms accepted by twilio');
    },
  };
}
