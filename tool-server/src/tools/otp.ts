// Verifying the caller: issue_otp plus the SMS that delivers its code, and
// verify_otp, which confirms the hold on a match.
import { toolAnswer } from '../answers';
import { BOUND_ORG, Rollback, TENANT_BINDING } from '../db/tenant-transaction';
import { maskPhone, renderSms, SmsError } from '../sms/sender';
import { body, text, uuid } from './schema';
import type { Tool } from './tool';

interface SendBody {
  holdId: string;
}

// The code and the destination are for the SMS alone.
const SECRET_KEYS = ['code', 'patientPhone'] as const;

export const sendOtp: Tool<SendBody> = {
  path: 'send-otp',
  name: 'send_otp',
  description:
    'Text a verification code to the phone number of the held slot. Tell the caller a code is on its way and ask them to read it out. ' +
    'If it answers action RETRY, wait a moment and call it again; ESCALATE_TO_HUMAN means hand over to staff.',
  body: body(['holdId'], { holdId: uuid('The hold from reserve_slot.') }),
  async run({ db, sms, smsTemplate, smsTimeoutMs, metrics }, ctx, b) {
    // The code's hash is committed only once the provider took the message:
    // a failed send leaves no code, no counted send and no resend wait, so
    // the agent's RETRY really is a retry.
    return db.inTenant(
      ctx.orgId,
      async (tx) => {
        const a = await tx.answer({
          name: 'tool_issue_otp',
          text: 'SELECT booking.issue_otp(org_id => $1, hold_id => $2) AS answer',
          values: [ctx.orgId, b.holdId],
        });
        if (a.success !== true) return toolAnswer(a, '', SECRET_KEYS);
        const code = a.code;
        const phone = a.patient_phone;
        if (typeof code !== 'string' || code === '') throw new Error('issue_otp answered success without a code');
        if (typeof phone !== 'string' || phone.trim() === '') {
          throw new Rollback({
            success: false,
            error: 'no_phone',
            action: 'ESCALATE_TO_HUMAN',
            message: 'this hold has no phone number to text a code to; no code was sent',
          });
        }
        try {
          await sms.send({ to: phone, body: renderSms(smsTemplate, code) }, ctx.log);
          metrics.smsResult(sms.name, 'sent');
        } catch (e) {
          metrics.smsResult(sms.name, 'failed');
          const detail = e instanceof SmsError ? { reason: e.message, ...e.detail } : { reason: 'unexpected error' };
          ctx.log.warn({ sms: { provider: sms.name, to: maskPhone(phone), ...detail } }, 'sms not sent');
          throw new Rollback({
            success: false,
            error: 'sms_failed',
            action: 'RETRY',
            message: 'the text message could not be sent; no code was issued, try again',
          });
        }
        return {
          success: true,
          holdId: a.hold_id,
          sendsLeft: a.sends_left,
          expiresAt: a.expires_at,
          // How many digits to expect when the caller reads it out.
          ...(typeof a.digits === 'number' ? { digits: a.digits } : {}),
          message: `Code sent by SMS to the number ending in ${maskPhone(phone).replace('…', '')}. Ask the caller to read it out.`,
        };
      },
      // The transaction waits for the provider, so it may idle that long.
      { idleTimeoutMs: smsTimeoutMs + 5_000 },
    );
  },
};

interface VerifyBody {
  holdId: string;
  providedOTP: string;
  contactId?: string;
}

export const verifyOtp: Tool<VerifyBody> = {
  path: 'verify-otp',
  name: 'verify_otp',
  description:
    'Check the code the caller read out (pass it exactly as heard, e.g. "4 2 7 1"). On success the appointment is confirmed. ' +
    'RETRY: ask again (attemptsLeft says how many tries remain); RESEND_OTP: send a new code; ESCALATE_TO_HUMAN: hand over to staff.',
  body: body(['holdId', 'providedOTP'], {
    holdId: uuid('The hold from reserve_slot.'),
    providedOTP: text('The code as the caller said it; spaces, dashes and dots are fine.', { maxLength: 64 }),
    contactId: uuid('The caller\'s contact record, if known.'),
  }),
  async run({ db }, ctx, b) {
    const a = await db.answer(ctx.orgId, {
      name: 'tool_verify_otp',
      text: `SELECT booking.verify_otp(org_id => ${BOUND_ORG}, hold_id => $2, code => $3, contact_id => $4) AS answer FROM ${TENANT_BINDING}`,
      values: [b.holdId, b.providedOTP, b.contactId ?? null],
    });
    return toolAnswer(a, 'Code verified. The appointment is confirmed.');
  },
};
