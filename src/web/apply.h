/* Applicant portal (the guide's steps 1-6): shared pieces of apply_*.c. */
#ifndef EIMZA_WEB_APPLY_H
#define EIMZA_WEB_APPLY_H

#include "app/apply.h"
#include "http/http.h"
#include "web/web.h"
#include "store/application.h"
#include "store/db.h"

extern const struct route apply_routes[];
/* /kurum-onayi: the institution's endorsement link (web/endorse.c). */
extern const struct route endorse_routes[];
/* Builds the form route's field list from the form table; call once before
 * the routes serve (web_register_routes does). */
void apply_routes_init(void);

/* Fills `who` from the session. When nobody is logged in it redirects to
 * /basvuru and returns -1: the caller just returns. */
int apply_applicant_or_redirect(req *r, struct applicant *who);
/* Loads the applicant's open application; 0 found, 1 none, -1 replied 500. */
int apply_open_application_or_reply(req *r, db *d, const struct applicant *who,
				    struct application *app);
/* The common start of a step: the logged-in applicant, this thread's
 * database and their open application, which must be in one of `states`
 * (a mask of 1u << enum app_state; 0 = any). Otherwise it replies — to
 * `if_none` when there is no open application, to the application's own
 * step when it is elsewhere — and returns -1: the caller just returns. */
int apply_load_open_or_reply(req *r, db **d, struct applicant *who, struct application *app,
			     unsigned states, const char *if_none);
/* The same, and the session must own the application
 * (apply_session_owns); otherwise it redirects to /basvuru/dogrula. */
int apply_load_own_or_reply(req *r, db **d, struct applicant *who, struct application *app,
			    unsigned states, const char *if_none);
/* "basvuru:<tckn>" for history and audit records. */
const char *apply_actor(req *r, const struct applicant *who);
/* Where an open application in its state continues (/basvuru/sms, ...). */
const char *apply_next_step(const struct application *app);

/* Handlers, one per route. */
void apply_login_get(req *r);
void apply_login_post(req *r);
void apply_logout(req *r);
void apply_captcha_png(req *r);
void apply_dev_captcha(req *r);
void apply_captcha_wav(req *r);
/* 1 if the `captcha` field matches the CAPTCHA bound to this session by
 * /captcha.png and it has not expired; the CAPTCHA is single use (cleared
 * either way). Shared by the portal and NES Bireysel. */
int apply_captcha_ok(req *r);
/* 1 if the login was posted by "Yeni resim" (islem=resim): the page comes
 * back with what was typed and a new image, and nothing is checked. */
int apply_new_picture_requested(req *r);
void apply_form_get(req *r);
void apply_form_post(req *r);
void apply_districts_json(req *r);
void apply_sms_get(req *r);
void apply_sms_post(req *r);
void apply_sign_get(req *r);
void apply_sign_post(req *r);
void apply_document(req *r);
void apply_form_pdf(req *r);
void apply_status_get(req *r);
/* GET /basvuru/eposta-onay?t=...: the e-mail confirmation link (issue 10). */
void apply_email_confirm(req *r);
/* The proof pages (web/apply_proof.c): Kayıp/Çalıntı hold, the maker of an
 * application made in another session, cancellation. */
void apply_lost_get(req *r);
void apply_lost_post(req *r);
void apply_owner_get(req *r);
void apply_owner_post(req *r);
void apply_cancel_get(req *r);
void apply_cancel_post(req *r);
/* 1 when this session made app (Form Onayla) or proved itself its maker
 * (/basvuru/dogrula): only then do the pages show what app's form holds
 * (contact data, the PDF, the SMS step's masked number). */
int apply_session_owns(req *r, const struct application *app);
/* Marks app as made or proved by this session. */
void apply_session_take(req *r, const struct application *app);

/* The start of the portal and NES Bireysel logins, before any identity is
 * checked: a locked pair of k (app/signin.h) gets again(r, 429, t, "Çok
 * fazla hatalı deneme...") and a wrong CAPTCHA is counted for the address
 * and gets again(r, 400, t, NULL) with captcha_error set on t. Either way it
 * returns -1 and the caller just returns; 0 when the login may go on.
 * "Yeni resim" (apply_new_picture_requested) gets again(r, 200, t, NULL)
 * before anything is checked or counted. again() renders the login page keeping what was typed. */
struct signin_keys;
struct uc_ctx;
int apply_signin_gate_or_reply(req *r, struct uc_ctx *c, const struct signin_keys *k, tpl *t,
			       void (*again)(req *r, int status, tpl *t, const char *message));

#endif
