/* SMS codes: the one implementation behind the portal's Adım 3-4, the NES
 * Bireysel login and the confirmation of a new mobile number.
 *
 * A code is 6 digits, stored only as a keyed hash (SECRET_OTP) on the
 * application record it belongs to, valid OTP_TTL seconds, dead after
 * OTP_MAX_TRIES wrong tries; a new one no sooner than OTP_RESEND_AFTER
 * seconds after the last and at most OTP_MAX_PER_HOUR an hour per record.
 * A try is used up before the comparison, in one conditional UPDATE, so
 * parallel guesses cannot share a try; a right code is consumed by one
 * conditional UPDATE too, so it works once. */
#ifndef EIMZA_APP_OTP_H
#define EIMZA_APP_OTP_H

#include "app/app.h"

#define OTP_TTL 180
#define OTP_MAX_TRIES 3
#define OTP_RESEND_AFTER 60
#define OTP_MAX_PER_HOUR 5

/* What a code is for: its hash domain, SMS template, audit action and the
 * name of the page's "send" button in messages. */
enum otp_purpose {
	OTP_APPLY,	    /* Adım 3-4 of the portal */
	OTP_HOLDER_LOGIN,   /* NES Bireysel login */
	OTP_CONTACT_CHANGE, /* NES Bireysel: a new mobile number */
	OTP_HOLD_PROOF,	    /* portal, Kayıp/Çalıntı: the holder's number on record */
	OTP_APP_PROOF,	    /* portal: the maker of an application (app/proof.h) */
	OTP__MAX
};

/* "apply", "login", "contact", "hold", "owner"; "?" if bad. */
const char *otp_purpose_name(enum otp_purpose p);

/* Sends a new code for app's record to mobile10 (10 digits) in one
 * transaction: limits checked, hash stored, SMS queued, audit record.
 * skip_wait: a first code to a number just typed (the 60 s wait is about
 * resending to the same number). UC_LIMITED with c->message when too soon
 * or too many this hour. */
enum uc_rc otp_send(struct uc_ctx *c, const struct application *app, enum otp_purpose p,
		    const char *mobile10, int skip_wait);

/* Checks `given` against app's current code. UC_OK consumes the code;
 * UC_INVALID (c->message, c->field = "sms_kodu") for a malformed, wrong,
 * expired or used-up code. Reads app's stored code state afresh. */
enum uc_rc otp_check(struct uc_ctx *c, const struct application *app, enum otp_purpose p,
		     const char *given);

/* Seconds the code of app is still valid (0: none or expired) and seconds
 * until another may be sent (0: now), for the page. */
int64_t otp_seconds_left(const struct application *app, int64_t now);
int64_t otp_resend_wait(const struct application *app, int64_t now);

#endif
