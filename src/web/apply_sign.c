/* Step 5 (Adım 5): how the Application Form and the Certificate Holder
 * Undertaking are signed. Islak İmzalı: print the PDF, sign in blue ink, the
 * institution posts it with an official letter. E-Onaylı: a detached CMS
 * signature over the application document with the holder's valid
 * certificate, offered only when the rules allow it. */
#include <string.h>

#include "domain/application.h"
#include "domain/renewal.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/apply.h"

#define MAX_CERTS 16

static int load_for_signing(req *r, db **d, struct applicant *who, struct application *app)
{
	return apply_load_open_or_reply(r, d, who, app,
					1u << APP_SMS_VERIFIED | 1u << APP_SIGNING, "/basvuru/form");
}

/* 1 if this application may be signed with e-onay: the person holds a valid
 * certificate and the rules do not demand a wet signature. */
static int eapproval_allowed(db *d, const struct application *app)
{
	struct cert_summary certs[MAX_CERTS];
	int n = apply_cert_history(d, app->tckn, certs, MAX_CERTS);
	if (n <= 0)
		return 0;
	int64_t now = clock_now();
	int valid = 0;
	for (int i = 0; i < n; i++)
		if (!certs[i].revoked && certs[i].not_before <= now && now < certs[i].not_after)
			valid = 1;
	return valid && !renewal_requires_wet_signature(app->reason, certs,
							(size_t)n, now);
}

static void render_sign(req *r, int status, db *d, const struct application *app, tpl *t)
{
	tpl_set(t, "title", "İmza Yöntemi");
	tpl_set_int(t, "step", 5);
	tpl_set(t, "number", app->number);
	if (eapproval_allowed(d, app))
		tpl_set(t, "eapproval", "1");
	if ((int)app->state == APP_SIGNING)
		tpl_set(t, "signing", "1");
	reply_page(r, status, "basvuru_imza.html", t);
}

void apply_sign_get(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	if (load_for_signing(r, &d, &who, &app) != 0)
		return;
	render_sign(r, 200, d, &app, tpl_new(r));
}

/* Applies `ev` in one transaction with the audit record and, when the
 * application now waits for approval, the notices. */
static int apply_signing_event(req *r, db *d, const struct application *app, enum app_event ev,
			       enum sign_method method)
{
	enum app_state to;
	unsigned flags;
	enum app_reason reason = app->reason;
	int fee_due = app->fee_kurus > 0;
	if (app_transition((int)app->state, (unsigned)app->flags, ev, reason, fee_due,
			   &to, &flags) != 0)
		return 1;
	if (db_begin(d) != 0)
		return -1;
	int64_t now = clock_now();
	const char *note = method == SIGN_ISLAK ? "Islak imzalı başvuru seçildi"
		: ev == EV_SIGNING_STARTED ? "E-onaylı başvuru seçildi"
					   : "E-onay imzası doğrulandı";
	int rc = application_set_state(d, app->id, app->state, to, flags,
				       "Başvuru sahibi", note, now);
	if (rc == 0 && method != SIGN_NONE)
		rc = application_set_signing_method(d, app->id, method, now);
	if (rc == 0)
		rc = audit_append(d, &(struct audit_entry){
			.actor = arena_printf(req_arena(r), "basvuru:%s", app->tckn),
			.client_ip = req_client_ip(r),
			.object = arena_printf(req_arena(r), "application:%s", app->number),
			.action = app_event_name(ev), .before = app_state_name(app->state),
			.after = app_state_name(to), .detail = method != SIGN_NONE ? sign_method_name(method) : NULL});
	if (rc == 0 && to == APP_AWAITING_APPROVAL) {
		struct application now_app = *app;
		now_app.state = to;
		now_app.flags = flags;
		now_app.signing_method = method;
		rc = apply_notify_submitted(r, d, &now_app);
	}
	if (rc != 0) {
		db_rollback(d);
		return rc < 0 ? -1 : 1;
	}
	return db_commit(d) == 0 ? 0 : -1;
}

static void sign_again(req *r, db *d, const struct application *app, const char *field,
		       const char *message)
{
	tpl *t = tpl_new(r);
	tpl_set(t, field, message);
	render_sign(r, 400, d, app, t);
}

static void upload_signature(req *r, db *d, const struct application *app)
{
	size_t p7s_len = 0, doc_len = 0;
	const char *filename = NULL;
	const void *p7s = req_file(r, "imza", &p7s_len, &filename);
	if (p7s == NULL || p7s_len == 0) {
		sign_again(r, d, app, "imza_error", "İmza dosyasını (.p7s) seçiniz.");
		return;
	}
	const char *doc = apply_document_text(r, d, app, &doc_len);
	if (doc == NULL) {
		reply_error(r, 500, "Başvuru belgesi oluşturulamadı.");
		return;
	}
	char msg[256] = "";
	if (pki_verify_eapproval(d, p7s, p7s_len, doc, doc_len, app->tckn, clock_now(), msg,
				 sizeof msg) != 0) {
		sign_again(r, d, app, "imza_error", arena_strdup(req_arena(r), msg));
		return;
	}
	int rc = apply_signing_event(r, d, app, EV_SIGNING_CHOSEN_EAPPROVAL, SIGN_E_ONAY);
	if (rc != 0) {
		reply_error(r, rc < 0 ? 500 : 409, "Başvurunuzun durumu değişmiş; sayfayı yenileyin.");
		return;
	}
	reply_redirect(r, "/basvuru/durum");
}

void apply_sign_post(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	if (load_for_signing(r, &d, &who, &app) != 0)
		return;
	if ((int)app.state == APP_SIGNING && req_file(r, "imza", NULL, NULL) != NULL) {
		upload_signature(r, d, &app);
		return;
	}
	const char *method = req_field(r, "imza_yontemi");
	int rc;
	if (method != NULL && strcmp(method, "ISLAK") == 0) {
		rc = apply_signing_event(r, d, &app, EV_SIGNING_CHOSEN_WET, SIGN_ISLAK);
	} else if (method != NULL && strcmp(method, "E_ONAY") == 0) {
		if (!eapproval_allowed(d, &app)) {
			sign_again(r, d, &app, "imza_yontemi_error",
				   "E-onaylı başvuru için geçerli bir e-imza sertifikanız olmalıdır. "
				   "İlk başvuruda ve süresi geçmiş yenilemede ıslak imza zorunludur.");
			return;
		}
		if ((int)app.state == APP_SIGNING) {
			reply_redirect(r, "/basvuru/imza");
			return;
		}
		rc = apply_signing_event(r, d, &app, EV_SIGNING_STARTED, SIGN_NONE);
		if (rc == 0) {
			reply_redirect(r, "/basvuru/imza");
			return;
		}
	} else {
		sign_again(r, d, &app, "imza_yontemi_error", "Bir imzalama yöntemi seçiniz.");
		return;
	}
	if (rc != 0) {
		log_error("apply: signing step failed for %s", app.number);
		reply_error(r, rc < 0 ? 500 : 409, "Başvurunuzun durumu değişmiş; sayfayı yenileyin.");
		return;
	}
	reply_redirect(r, "/basvuru/durum");
}
