// The stable codes of the SQL contract. Callers (and their agents) branch on
// these strings; they change only with a major version.
#pragma once

namespace booking::core::codes {

// "error" values
constexpr const char *kSlotUnavailable = "slot_unavailable";
constexpr const char *kSlotInPast = "slot_in_past";
constexpr const char *kBusy = "busy";
constexpr const char *kOutsideWorkingHours = "outside_working_hours";
constexpr const char *kTooSoon = "too_soon";
constexpr const char *kTooFarAhead = "too_far_ahead";
constexpr const char *kTooLateToChange = "too_late_to_change";
constexpr const char *kLimitReached = "limit_reached";
constexpr const char *kHoldNotFound = "hold_not_found";
constexpr const char *kHoldExpired = "hold_expired";
constexpr const char *kHoldNotActive = "hold_not_active";
constexpr const char *kAppointmentNotFound = "appointment_not_found";
constexpr const char *kAppointmentNotActive = "appointment_not_active";
constexpr const char *kIdempotencyKeyReused = "idempotency_key_reused";
constexpr const char *kOtpLocked = "otp_locked";
constexpr const char *kOtpMismatch = "otp_mismatch";
constexpr const char *kOtpExpired = "otp_expired";
constexpr const char *kOtpNotIssued = "otp_not_issued";
constexpr const char *kOtpInvalidFormat = "otp_invalid_format";
constexpr const char *kOtpSendLimit = "otp_send_limit";
constexpr const char *kOtpTooSoon = "otp_too_soon";
constexpr const char *kOtpReplaced = "otp_replaced";
constexpr const char *kOtpPhoneLimit = "otp_phone_limit";
constexpr const char *kContactLimitReached = "contact_limit_reached";
constexpr const char *kConsumerNotFound = "consumer_not_found";
constexpr const char *kSeriesNotFound = "series_not_found";
constexpr const char *kWaitlistNotFound = "waitlist_not_found";
constexpr const char *kWaitlistNotActive = "waitlist_not_active";

// "action" values: what an agent should do next
constexpr const char *kOfferAlternatives = "OFFER_ALTERNATIVES";
constexpr const char *kRetry = "RETRY";
constexpr const char *kResendOtp = "RESEND_OTP";
constexpr const char *kEscalateToHuman = "ESCALATE_TO_HUMAN";

}  // namespace booking::core::codes
