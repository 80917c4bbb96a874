/* Applicant portal (the guide's steps 1-6): shared pieces of apply_*.c. */
#ifndef EIMZA_WEB_APPLY_H
#define EIMZA_WEB_APPLY_H

#include "http/http.h"
#include "store/application.h"
#include "store/db.h"

/* The identity a session proved at login (step 1). */
struct applicant {
	const char *tckn, *ad, *soyad, *dogum_yeri, *dogum_tarihi, *sicil_no;
};

extern const struct route apply_routes[];
/* Builds the form route's field list from the form table; call once before
 * the routes serve (web_register_routes does). */
void apply_routes_init(void);

/* Fills `who` from the session. When nobody is logged in it redirects to
 * /basvuru and returns -1: the caller just returns. */
int apply_applicant_or_redirect(req *r, struct applicant *who);
/* This thread's database handle, or replies 503 and returns NULL. */
db *apply_db_or_reply(req *r);
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
/* 1 if the `captcha` field matches the CAPTCHA bound to this session by
 * /captcha.png and it has not expired; the CAPTCHA is single use (cleared
 * either way). Shared by the portal and NES Bireysel. */
int apply_captcha_ok(req *r);
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
void apply_cancel_post(req *r);

/* notBefore of the certificate for this application: a renewal starts when
 * the certificate it renews ends (now if that has passed); 0 = now. */
int64_t apply_new_not_before(db *d, const struct application *app);
/* Lets `eimza ca issue APPLICATION CSR` find applications and mark them
 * PRODUCED in the CA's transaction. */
void apply_register_pki_hooks(void);

#endif

/* ---- shared by several steps (apply_pki.c, apply_doc.c, apply_notify.c) ---- */
/* Kayıp/Çalıntı: revokes the applicant's valid certificates (keyCompromise)
 * inside the caller's transaction. 0 also when there is nothing to revoke. */
int apply_revoke_for_lost(req *r, db *d, const struct application *app);
/* After the commit of apply_revoke_for_lost: refresh the CRL and OCSP. */
void apply_after_revocation(db *d, const struct application *app);
/* Certificate history of a person for renewal rules; returns the count
 * (at most max) or -1. */
struct cert_summary;
int apply_cert_history(db *d, const char *tckn, struct cert_summary *out, size_t max);
/* The canonical application document (e-onay) in the request's arena. */
const char *apply_document_text(req *r, db *d, const struct application *app, size_t *len);
/* Queues the notices of a new application waiting for approval: to the
 * applicant (Bilgi Kanalı) and to the institution authority's address. Runs
 * inside the caller's transaction. */
int apply_notify_submitted(req *r, db *d, const struct application *app);
/* The authority unit's official e-mail and name (arena copies; "" if unknown). */
void apply_authority_contact(req *r, db *d, const char *unit, const char **email,
			     const char **name);
/* Serial (hex) of the person's newest valid, unrevoked certificate, or NULL. */
const char *apply_current_serial(req *r, db *d, const char *tckn);
