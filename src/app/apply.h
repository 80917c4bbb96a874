/* The applicant portal's use cases (the guide's steps 2-6), and the CA's
 * hook that marks an application PRODUCED. Each changes an application
 * through application_step() in one transaction; the handlers in
 * web/apply_*.c only read the request, call one of these and render. */
#ifndef EIMZA_APP_APPLY_H
#define EIMZA_APP_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "domain/form.h"
#include "identity/personnel.h"

/* The identity a session proved at login (step 1). */
struct applicant {
	const char *tckn, *ad, *soyad, *dogum_yeri, *dogum_tarihi, *sicil_no;
};

/* ---- step 2: the form (app/apply_submit.c) ---- */

/* The reasons (mask of 1u << enum app_reason) the person may apply with
 * now, from their certificate history; REASON_ILK alone when the history
 * cannot be read. */
unsigned apply_allowed_reasons(struct uc_ctx *c, const char *tckn);

/* Stores the application of `who` (whose personnel record is pr) from the
 * submitted form `in`, in one transaction: the form is validated here
 * (allowed reasons, districts), the security word is hashed (Argon2id; the
 * word itself is never copied), the fee of the reason and the serial the
 * new certificate replaces are set, and the audit record "form_confirmed"
 * is written. in->allowed_reasons, district_ok and district_ctx are filled
 * here. Returns:
 *   UC_OK          *out is the stored application (strings in c->a);
 *   UC_INVALID     err holds one message per failing field, c->message the
 *                  page's summary;
 *   UC_CONFLICT    the person already has an open application;
 *   UC_UNAVAILABLE hashing failed for lack of memory (c->message says the
 *                  server is busy);
 *   UC_ERROR. */
enum uc_rc apply_submit(struct uc_ctx *c, const struct applicant *who,
			const struct personnel_record *pr, struct app_form *in,
			struct form_errors *err, struct application *out);

/* ---- step 4: SMS verified (app/apply_pki.c) ---- */

/* The code was right (otp_check gave UC_OK): moves app to SMS_VERIFIED
 * ("sms_verified"). A Kayıp/Çalıntı application does nothing to the
 * certificate here: a hold needs the holder's proof (app/lost.h), a
 * revocation the authority's approval. UC_CONFLICT when app is not in
 * FORM_CONFIRMED (any more). */
enum uc_rc apply_sms_verified(struct uc_ctx *c, struct application *app);

/* ---- step 5: signing method (app/apply_sign.c) ---- */

/* 1 if app may be signed with e-onay: the person holds a currently valid
 * certificate and the rules do not demand a wet signature. */
int apply_eapproval_allowed(struct uc_ctx *c, const struct application *app);

/* The applicant chose a signing method:
 *   SIGN_ISLAK   -> AWAITING_APPROVAL with the paperwork (and fee) pending,
 *                   the applicant and the authority notified;
 *   SIGN_E_ONAY  -> SIGNING (waiting for the .p7s upload); UC_OK with no
 *                   change when app is already SIGNING; UC_INVALID (field
 *                   "imza_yontemi") when e-onay is not allowed for it;
 *   SIGN_NONE    -> UC_INVALID (field "imza_yontemi").
 * UC_CONFLICT when app's state does not allow the step. */
enum uc_rc apply_choose_signing(struct uc_ctx *c, struct application *app, enum sign_method m);

/* The e-onay upload: p7s must be a detached CMS signature over app's
 * document (apply_doc_text) by the applicant's own valid certificate. On
 * success app moves to AWAITING_APPROVAL (signing method E_ONAY) and the
 * applicant and the authority are notified. UC_INVALID (field "imza",
 * Turkish c->message) for a missing or refused signature. */
enum uc_rc apply_eapproval_upload(struct uc_ctx *c, struct application *app, const void *p7s,
				  size_t p7s_len);

/* ---- after submission (app/apply_status.c) ---- */

/* The applicant cancels app: any open state -> CANCELLED ("cancel"), with
 * the "cancelled" notice. UC_CONFLICT (c->message) from PRODUCED on. */
enum uc_rc apply_cancel(struct uc_ctx *c, struct application *app);

/* The authority unit's official e-mail address and name for app (arena
 * copies in c->a; "" when unknown). */
void apply_authority_contact(struct uc_ctx *c, const struct application *app, const char **email,
			     const char **name);

/* ---- documents (app/apply_doc.c) ---- */

/* The canonical application document an e-onay signs, and the PDF of the
 * Application Form + Undertaking for the wet signature; both from the same
 * values. Bytes in c->a, NULL on failure. */
const char *apply_doc_text(struct uc_ctx *c, const struct application *app, size_t *len);
const char *apply_doc_pdf(struct uc_ctx *c, const struct application *app, size_t *len);

/* ---- the CA (app/apply_pki.c) ---- */

/* `eimza ca issue APPLICATION CSR` stored the certificate `serial_hex` for
 * application `id`: inside the CA's transaction (no begin/commit here),
 * moves it APPROVED -> PRODUCED ("produced") with the holder's notice.
 * UC_NOT_FOUND, UC_CONFLICT (not APPROVED), UC_ERROR. */
enum uc_rc apply_produced(struct uc_ctx *c, int64_t id, const char *serial_hex);

/* notBefore of the certificate for app: a renewal starts when the
 * certificate it renews ends (now if that has passed); 0 = now. */
int64_t apply_new_not_before(db *d, const struct application *app);

/* Lets `eimza ca issue APPLICATION CSR` find applications and mark them
 * PRODUCED in the CA's transaction. */
void apply_register_pki_hooks(void);

#endif
