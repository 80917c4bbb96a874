/* Step 5 (Adım 5): how the Application Form and the Certificate Holder
 * Undertaking are signed, and the notices of an application that now waits
 * for its institution's approval. */
#include <string.h>

#include "app/apply.h"
#include "app/endorse.h"
#include "app/payinfo.h"
#include "domain/renewal.h"
#include "notify/outbox.h"
#include "pki/pki.h"
#include "store/certificate.h"
#include "store/institution.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define MAX_CERTS 16

static const char *const changed = "Başvurunuzun durumu değişmiş; sayfayı yenileyin.";

int apply_eapproval_allowed(struct uc_ctx *c, const struct application *app)
{
	struct cert_summary certs[MAX_CERTS];
	int n = certificate_history(c->d, app->tckn, certs, MAX_CERTS);
	if (n <= 0)
		return 0;
	int valid = 0;
	for (int i = 0; i < n; i++)
		if (!certs[i].revoked && certs[i].not_before <= c->now &&
		    c->now < certs[i].not_after)
			valid = 1;
	return valid && !renewal_requires_wet_signature(app->reason, certs, (size_t)n, c->now);
}

void apply_authority_contact(struct uc_ctx *c, const struct application *app, const char **email,
			     const char **name)
{
	if (authority_unit_contact(c->d, c->a, app->yetki_birimi, email, name) < 0)
		log_error("apply: reading authority unit %s failed: %s", app->yetki_birimi,
			  db_errmsg(c->d));
}

/* The values of the "application_received" and "authority_new_application"
 * templates. */
static void submitted_vars(struct uc_ctx *c, const struct application *app, enum sign_method m,
			   const char *email, const char *unit_name, struct notify_vars *vars)
{
	const char *base = config_get("server.base_url");
	notify_vars_set(vars, "application_no", app->number);
	notify_vars_set(vars, "name", arena_printf(c->a, "%s %s", app->ad, app->soyad));
	notify_vars_set(vars, "institution", app->kurum_adi);
	notify_vars_set(vars, "authority", unit_name);
	notify_vars_set(vars, "authority_email", email);
	notify_vars_set(vars, "reason", app_reason_label_tr(app->reason));
	notify_vars_set(vars, "method", m == SIGN_ISLAK ? "Islak imzalı" : "E-onaylı");
	notify_vars_set(vars, "console_url", arena_printf(c->a, "%s/konsol", base));
	notify_vars_set(vars, "status_url", arena_printf(c->a, "%s/basvuru/durum", base));
	const char *pay = payinfo_text(c->a, app);
	notify_vars_set(vars, "payment", *pay ? arena_printf(c->a, "\n%s\n", pay) : "");
}

/* One signing step in one transaction: the method is stored, then the
 * state step; when the application now waits for approval the applicant
 * (through the step) and the authority unit's address are notified. */
static enum uc_rc signing_step(struct uc_ctx *c, struct application *app, enum app_event ev,
			       enum sign_method m, const char *note)
{
	const char *email = "", *unit_name = "";
	struct notify_vars vars = {0};
	int awaiting = ev != EV_SIGNING_STARTED;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	if (awaiting) {
		apply_authority_contact(c, app, &email, &unit_name);
		submitted_vars(c, app, m, email, unit_name, &vars);
	}
	if (m != SIGN_NONE && application_set_signing_method(c->d, app->id, m, c->now) != 0)
		rc = UC_ERROR;
	if (rc == UC_OK)
		rc = application_step(
			c, app,
			&(struct uc_step){.ev = ev,
					  .fee_due = app->fee_kurus > 0,
					  .note = note != NULL	    ? note
						  : m == SIGN_ISLAK ? "Islak imzalı başvuru seçildi"
								    : "E-onaylı başvuru seçildi",
					  .detail = m != SIGN_NONE ? sign_method_name(m) : NULL,
					  .notify = awaiting ? "application_received" : NULL,
					  .vars = &vars});
	if (rc == UC_OK && awaiting && *email == '\0')
		log_warn("apply: authority unit %s has no e-mail; %s not announced",
			 app->yetki_birimi, app->number);
	else if (rc == UC_OK && awaiting &&
		 outbox_enqueue_template(c->d, NOTIFY_EMAIL, email, "authority_new_application",
					 &vars, app->number) != 0)
		rc = UC_ERROR;
	/* The institution's official address is asked to endorse (endorse.h). */
	if (rc == UC_OK && awaiting)
		rc = endorse_offer(c, app);
	if (rc == UC_OK && m != SIGN_NONE)
		app->signing_method = m;
	if (rc == UC_CONFLICT)
		c->message = changed;
	return uc_end(c, rc);
}

enum uc_rc apply_choose_signing(struct uc_ctx *c, struct application *app, enum sign_method m)
{
	switch (m) {
	case SIGN_ISLAK: return signing_step(c, app, EV_SIGNING_CHOSEN_WET, SIGN_ISLAK, NULL);
	case SIGN_E_ONAY:
		if (!apply_eapproval_allowed(c, app))
			return uc_fail(c, UC_INVALID, "imza_yontemi",
				       "E-onaylı başvuru için geçerli bir e-imza sertifikanız "
				       "olmalıdır. İlk başvuruda ve süresi geçmiş yenilemede ıslak "
				       "imza zorunludur.");
		if (app->state == APP_SIGNING)
			return UC_OK;
		return signing_step(c, app, EV_SIGNING_STARTED, SIGN_NONE, NULL);
	default: return uc_fail(c, UC_INVALID, "imza_yontemi", "Bir imzalama yöntemi seçiniz.");
	}
}

/* The validation report of an accepted e-onay signature, as the history
 * note the applicant and the console see: who signed, with which
 * certificate, which digest, when it was signed and when it was checked. */
static const char *eapproval_report_note(struct uc_ctx *c, const struct pki_eapproval_report *r)
{
	char signed_at[21], checked_at[21];
	clock_format_iso(r->signing_time, signed_at);
	clock_format_iso(r->checked_at, checked_at);
	return arena_printf(c->a,
			    "E-onay imzası doğrulandı. Doğrulama raporu: imzalayan %s; sertifika "
			    "seri no %s; özet algoritması %s; imza zamanı %s; doğrulama zamanı "
			    "%s; sertifika bu SM'nin kayıtlarına göre geçerli (iptal ya da askıda "
			    "değil).",
			    r->signer, r->serial_hex, r->digest, signed_at, checked_at);
}

enum uc_rc apply_eapproval_upload(struct uc_ctx *c, struct application *app, const void *p7s,
				  size_t p7s_len)
{
	if (p7s == NULL || p7s_len == 0)
		return uc_fail(c, UC_INVALID, "imza", "İmza dosyasını (.p7s) seçiniz.");
	if (app->state != APP_SIGNING)
		return uc_fail(c, UC_CONFLICT, NULL, changed);
	size_t doc_len = 0;
	const char *doc = apply_doc_text(c, app, &doc_len);
	if (doc == NULL) {
		log_error("apply: document of %s could not be built", app->number);
		return UC_ERROR;
	}
	char msg[256] = "";
	struct pki_eapproval_report rep;
	if (pki_verify_eapproval(c->d, p7s, p7s_len, doc, doc_len, app->tckn, c->now, &rep, msg,
				 sizeof msg) != 0)
		return uc_fail(c, UC_INVALID, "imza", arena_strdup(c->a, msg));
	return signing_step(c, app, EV_SIGNING_CHOSEN_EAPPROVAL, SIGN_E_ONAY,
			    eapproval_report_note(c, &rep));
}
