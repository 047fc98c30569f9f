// The provider SMS_PROVIDER names.
import type { Config } from '../config';
import { logSender } from './log-provider';
import type { SmsSender } from './sender';
import { twilioSender } from './twilio';

export function createSmsSender(config: Config): SmsSender {
  if (config.sms.provider === 'twilio') {
    if (!config.sms.twilio) throw new Error('SMS_PROVIDER=twilio without Twilio settings');
    return twilioSender(config.sms.twilio, config.sms.timeoutMs);
  }
  return logSender();
}
