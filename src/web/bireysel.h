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

#include "app/app.h"
#include "http/http.h"
#include "store/application.h"
#include "store/db.h"

extern const struct route bireysel_routes[];

/* The logged-in holder (after the SMS step): the holder application is
 * loaded into `app` (strings in the request's arena). Not logged in:
 * redirects to /bireysel and returns -1; the caller just returns. */
int bireysel_holder_or_redirect(req *r, db **d, struct application *app);
/* The holder record of the T.C. Kimlik No kept in session key `key`: 0
 * loaded (and *d set); 1 no such key or no holder record (nothing replied:
 * the caller decides); -1 replied 503 or 500, the caller just returns. */
int bireysel_session_holder_or_reply(req *r, const char *key, db **d, struct application *app);
/* The holder record of `tckn` (store/holder.h holder_load: the newest
 * application in PRODUCED, SHIPPED or DELIVERED, strings in ar) and, when
 * hash is not NULL, its security word hash (arena copy). 0 found, 1 none,
 * -1 error (logged). */
int bireysel_holder_load(db *d, arena *ar, const char *tckn, struct application *app,
			 const char **hash);
/* "bireysel:<tckn>" for audit records (arena). */
const char *bireysel_actor(req *r, const struct application *app);
/* A page with the NES Bireysel menu: sets title, the holder's name and
 * which menu item is current. */
tpl *bireysel_tpl(req *r, const struct application *app, const char *title, const char *current);

/* A use-case context acting as this holder ("bireysel:<tckn>"); NULL
 * database: the caller replies web_reply_uc(r, c, UC_UNAVAILABLE). SMS codes
 * go through app/otp.h (OTP_HOLDER_LOGIN, OTP_CONTACT_CHANGE). */
db *bireysel_uc_ctx(req *r, struct uc_ctx *c, const struct application *app);

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
/* bireysel_edevlet.c: e-Devlet sign-in and the card PIN (issue 14). */
void bireysel_pin_get(req *r);
void bireysel_pin_post(req *r);
void bireysel_pin_challenge_get(req *r);
void bireysel_pin_signature_post(req *r);
void bireysel_edevlet_get(req *r);
void bireysel_edevlet_return(req *r);
void kart_pin_api_post(req *r);

#endif
