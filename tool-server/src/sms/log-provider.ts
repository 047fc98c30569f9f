// For local demos: says that a code went out, and to which number's last
// digits, without delivering it and without ever printing it.
import { maskPhone, type SmsSender } from './sender';

export function logSender(): SmsSender {
  return {
    name: 'log',
    async send(message, log) {
      log.info({ sms: { provider: 'log', to: maskPhone(message.to) } }, 'sms code sent (log provider: not delivered)');
    },
  };
}
