/* NES Bireysel (/bireysel): the certificate holder's individual operations
 * (DESIGN.md "The flow" step 9). Login with CAPTCHA + T.C. Kimlik No +
 * Güvenlik Sözcüğü, then an SMS code; certificates with hold / release /
 * revoke, courier tracking, contact details and a PIN explanation.
 *
 * The holder's record is the newest application of the person that reached
 * PRODUCED or later: its security word logs in, its cep_tel gets the SMS
 * codes (the application's otp_* columns, unused by the portal once an
 * application is past FORM_CONFIRMED) and "İletişim Bilgilerim" updates its
 * eposta / cep_tel / bilgi_kanali. Session keys are prefixed "bireysel_" so
 * that a portal login in the same browser does not mix with this one. */
#ifndef EIMZA_WEB_BIREYSEL_H
#define EIMZA_WEB_BIREYSEL_H

#include <stdint.h>

#include "http/http.h"
#include "store/application.h"
#include "store/db.h"

extern const struct route bireysel_routes[];

/* What an SMS code is for: the hash binds it, so one kind cannot be used
 * as another. */
enum bireysel_otp_purpose { BIREYSEL_OTP_LOGIN, BIREYSEL_OTP_CONTACT, BIREYSEL_OTP__MAX };
extern const char *const bireysel_otp_purpose_names[BIREYSEL_OTP__MAX];

/* The logged-in holder (after the SMS step): the holder application is
 * loaded into `app` (strings in the request's arena). Not logged in:
 * redirects to /bireysel and returns -1; the caller just returns. */
int bireysel_holder_or_redirect(req *r, db **d, struct application *app);
/* The newest application of `tckn` in PRODUCED, SHIPPED or DELIVERED (into
 * app, strings in ar) and, when hash is not NULL, its security word hash
 * (arena copy). 0 found, 1 none, -1 error. */
int bireysel_holder_load(db *d, arena *ar, const char *tckn, struct application *app,
			 const char **hash);
/* "bireysel:<tckn>" for audit records (arena). */
const char *bireysel_actor(req *r, const struct application *app);
/* A page with the NES Bireysel menu: sets title, the holder's name and
 * which menu item is current. */
tpl *bireysel_tpl(req *r, const struct application *app, const char *title,
		  const char *current);

/* Sends a new 6-digit code to mobile10 (normalised 10 digits) for `purpose`
 * in one transaction: the keyed hash on the application, the SMS through
 * the outbox and the audit record. 0 sent; 1 refused by the limits (no new
 * code within 60 s of the last unless new_number is set, because the code
 * goes to a number just typed; never more than 5 an hour) with a Turkish
 * message in *error; -1 error. */
int bireysel_otp_send(req *r, db *d, const struct application *app,
		      enum bireysel_otp_purpose purpose, const char *mobile10, int new_number,
		      const char **error);
/* Checks a code for `purpose`: 0 right (the code is then used up), 1 wrong,
 * expired or out of tries (message in *error), -1 error. */
int bireysel_otp_check(req *r, db *d, const struct application *app,
		       enum bireysel_otp_purpose purpose, const char *given,
		       const char **error);

/* Handlers, one per route (bireysel_login.c, bireysel_certs.c,
 * bireysel_contact.c). */
void bireysel_login_get(req *r);
void bireysel_login_post(req *r);
void bireysel_sms_get(req *r);
void bireysel_sms_post(req *r);
void bireysel_logout(req *r);
void bireysel_certs_get(req *r);
void bireysel_hold_post(req *r);
void bireysel_release_post(req *r);
void bireysel_revoke_get(req *r);
void bireysel_revoke_post(req *r);
void bireysel_courier_get(req *r);
void bireysel_contact_get(req *r);
void bireysel_contact_post(req *r);
void bireysel_contact_sms_post(req *r);
void bireysel_pin_get(req *r);

#endif
