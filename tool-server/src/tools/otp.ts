// Verifying the caller: issue_otp plus the SMS that delivers its code (and
// withdraw_otp when the SMS could not be sent), and verify_otp, which
// confirms the hold on a match.
import type { FastifyBaseLogger } from 'fastify';
import { toolAnswer } from '../answers';
import { BOUND_ORG, TENANT_BINDING, type TenantDatabase } from '../db/tenant-transaction';
import { maskPhone, renderSms, SmsError } from '../sms/sender';
import { body, text, uuid } from './schema';
import type { Tool } from './tool';

interface SendBody {
  holdId: string;
}

// The code and the destination are for the SMS alone.
const SECRET_KEYS = ['code', 'patientPhone'] as const;

/**
 * Takes back a code nobody received (withdraw_otp), in a short transaction
 * of its own: the code is gone and its send given back, so a retry is not
 * "too soon". Answers what became of it, for the log (never the code);
 * true when it was withdrawn.
 */
async function withdraw(
  db: TenantDatabase,
  orgId: string,
  holdId: string,
  code: string,
  log: FastifyBaseLogger,
): Promise<{ withdrawn: boolean; outcome: string }> {
  try {
    const w = await db.answer(orgId, {
      name: 'tool_withdraw_otp',
      text: `SELECT booking.withdraw_otp(org_id => ${BOUND_ORG}, hold_id => $2, code => $3) AS answer FROM ${TENANT_BINDING}`,
      values: [holdId, code],
    });
    // Not withdrawn: a verification, a resend or a release came first, and
    // the extension left it as it was (hold_not_active, otp_replaced, ...).
    return w.success === true ? { withdrawn: true, outcome: 'withdrawn' } : { withdrawn: false, outcome: String(w.error) };
  } catch (e) {
    // The send stays counted (the agent's retry may hear otp_too_soon);
    // the caller is told the SMS failed either way.
    const err = e as { code?: unknown; message?: unknown };
    log.error({ dbError: { sqlstate: err.code, message: String(err.message) } }, 'code not withdrawn after a failed sms');
    return { withdrawn: false, outcome: 'error' };
  }
}

export const sendOtp: Tool<SendBody> = {
  path: 'send-otp',
  name: 'send_otp',
  description:
    'Text a verification code to the phone number of the held slot. Tell the caller a code is on its way and ask them to read it out. ' +
    'If it answers action RETRY, wait a moment and call it again; ESCALATE_TO_HUMAN (e.g. otp_phone_limit: this number had ' +
    'too many codes this hour) means hand over to staff.',
  body: body(['holdId'], { holdId: uuid('The hold from reserve_slot.') }),
  async run({ db, sms, smsTemplate, metrics }, ctx, b) {
    // Nothing is held while the provider answers: the code is issued and
    // committed by one statement (its connection back in the pool at once),
    // the SMS goes out with no connection, transaction or row lock held, and
    // a send that failed is withdrawn by a second short statement. So a slow
    // provider keeps no pooled connection from other tools and clinics, nor
    // the hold from verify-otp and release, and a failed send still costs
    // the caller nothing: no usable code, no counted send, no resend wait.
    const a = await db.answer(ctx.orgId, {
      name: 'tool_issue_otp',
      text: `SELECT booking.issue_otp(org_id => ${BOUND_ORG}, hold_id => $2) AS answer FROM ${TENANT_BINDING}`,
      values: [b.holdId],
    });
    if (a.success !== true) return toolAnswer(a, '', SECRET_KEYS);
    const code = a.code;
    const phone = a.patient_phone;
    if (typeof code !== 'string' || code === '') throw new Error('issue_otp answered success without a code');
    if (typeof phone !== 'string' || phone.trim() === '') {
      const w = await withdraw(db, ctx.orgId, b.holdId, code, ctx.log);
      if (!w.withdrawn) ctx.log.warn({ withdrawal: w.outcome }, 'code of a hold without a phone not withdrawn');
      return {
        success: false,
        error: 'no_phone',
        action: 'ESCALATE_TO_HUMAN',
        message: 'this hold has no phone number to text a code to; no code was sent',
      };
    }
    try {
      await sms.send({ to: phone, body: renderSms(smsTemplate, code) }, ctx.log);
      metrics.smsResult(sms.name, 'sent');
    } catch (e) {
      metrics.smsResult(sms.name, 'failed');
      const detail = e instanceof SmsError ? { reason: e.message, ...e.detail } : { reason: 'unexpected error' };
      const w = await withdraw(db, ctx.orgId, b.holdId, code, ctx.log);
      ctx.log.warn({ sms: { provider: sms.name, to: maskPhone(phone), ...detail }, withdrawal: w.outcome }, 'sms not sent');
      return {
        success: false,
        error: 'sms_failed',
        action: 'RETRY',
        message: w.withdrawn
          ? 'the text message could not be sent; no code was issued, try again'
          : 'the text message could not be sent; try again',
      };
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
