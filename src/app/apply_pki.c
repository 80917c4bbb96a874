/* Where the applicant portal meets the CA: the SMS-verified step (which,
 * for Kayıp/Çalıntı, does nothing to the certificate: see app/lost.h), the
 * start of a renewal certificate, and `eimza ca issue APPLICATION CSR`
 * marking the application PRODUCED. */
#include <stdio.h>
#include <string.h>

#include "app/apply.h"
#include "app/email_confirm.h"
#include "app/onrecord.h"
#include "domain/certificate.h"
#include "domain/date.h"
#include "domain/renewal.h"
#include "domain/trcase.h"
#include "pki/pki.h"
#include "store/certificate.h"
#include "util/clock.h"
#include "util/log.h"

enum uc_rc apply_sms_verified(struct uc_ctx *c, struct application *app)
{
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	rc = application_step(c, app,
			      &(struct uc_step){.ev = EV_SMS_VERIFIED,
						.action = "sms_verified",
						.note = "SMS kodu doğrulandı"});
	return uc_end(c, rc);
}

int64_t apply_new_not_before(db *d, const struct application *app)
{
	if (app->reason != REASON_YENILEME || app->replaces_serial == NULL)
		return 0;
	struct cert_summary cur;
	if (certificate_validity(d, app->replaces_serial, &cur) != 0)
		return 0;
	return renewal_new_not_before(&cur, clock_now());
}

enum uc_rc apply_produced(struct uc_ctx *c, int64_t id, const char *serial_hex)
{
	struct application app;
	int rc = application_load(c->d, c->a, id, &app);
	if (rc != 0)
		return rc > 0 ? uc_fail(c, UC_NOT_FOUND, NULL, "Başvuru bulunamadı.") : UC_ERROR;
	return application_step(c, &app,
				&(struct uc_step){
					.ev = EV_PRODUCED,
					.action = "produced",
					.note = arena_printf(c->a, "Sertifika üretildi (seri %s)",
							     serial_hex),
					.notify = "produced"});
}

/* `eimza ca issue APPLICATION CSR`: what the CA needs of an application. */
static int hook_lookup(db *d, int64_t id, struct pki_app_info *info, char *err, size_t n)
{
	arena *a = arena_new(0);
	struct application app;
	int rc = -1;
	if (a == NULL)
		return -1;
	if (application_load(d, a, id, &app) != 0) {
		snprintf(err, n, "Başvuru %lld bulunamadı.", (long long)id);
		goto out;
	}
	if (app.state != APP_APPROVED) {
		snprintf(err, n, "Başvuru %s üretime hazır değil (durum: %s).", app.number,
			 app_state_label_tr(app.state));
		goto out;
	}
	memset(info, 0, sizeof *info);
	snprintf(info->tckn, sizeof info->tckn, "%s", app.tckn);
	if (trcase_upper(app.ad, info->given_name, sizeof info->given_name) != 0 ||
	    trcase_upper(app.soyad, info->surname, sizeof info->surname) != 0) {
		snprintf(err, n, "Ad ya da soyad sertifikaya yazılamadı.");
		goto out;
	}
	/* only an address the applicant proved (app/email_confirm.h) */
	const char *email = email_confirm_for_cert(d, &app);
	snprintf(info->email, sizeof info->email, "%s", email ? email : "");
	info->years = (int)application_form_int(&app, FF_SERTIFIKA_SURESI);
	/* A renewal of a certificate that has not ended starts at its end (the
	 * signer checks the renewal window); after its end it is a new one. */
	struct cert_summary cur;
	if (app.reason == REASON_YENILEME && app.replaces_serial != NULL &&
	    certificate_validity(d, app.replaces_serial, &cur) == 0 && cur.not_after > clock_now())
		snprintf(info->renews, sizeof info->renews, "%s", app.replaces_serial);
	snprintf(info->number, sizeof info->number, "%s", app.number);
	rc = 0;
out:
	arena_free(a);
	return rc;
}

/* Inside the CA's transaction: apply_produced. */
static int hook_issued(db *d, int64_t id, const struct pki_issued *cert, char *err, size_t n)
{
	arena *a = arena_new(0);
	if (a == NULL)
		return -1;
	struct uc_ctx c;
	uc_ctx_init(&c, d, a, "sistem:ca-cli", "SM (komut satırı)", NULL);
	enum uc_rc rc = apply_produced(&c, id, cert->serial_hex);
	if (rc == UC_NOT_FOUND || rc == UC_CONFLICT)
		snprintf(err, n, "Başvuru %lld üretildi durumuna geçirilemez.", (long long)id);
	else if (rc != UC_OK)
		snprintf(err, n, "Başvuru kaydı güncellenemedi: %s", db_errmsg(d));
	arena_free(a);
	return rc == UC_OK ? 0 : -1;
}

/* The notice of a status change made by the CA's operator on the command
 * line, to the contacts on record of the certificate's holder (issue 11:
 * every hold, release and revocation is told at once). */
static const char *const ca_notices[] = {"cert_hold_ca", "cert_released_ca", "cert_revoked_ca"};

static int hook_status_changed(db *d, const char *serial_hex, int reason, char *err, size_t n)
{
	arena *a = arena_new(0);
	struct certificate cert;
	int rc = -1;
	if (a == NULL)
		return -1;
	int found = certificate_load(d, a, serial_hex, &cert);
	if (found == 0) {
		struct uc_ctx c;
		struct notify_vars vars = {0};
		char day[11];
		uc_ctx_init(&c, d, a, "sistem:ca-cli", "SM (komut satırı)", NULL);
		date_format_tr(c.now + DATE_TR_OFFSET, day);
		notify_vars_set(&vars, "serial", cert.serial_hex);
		notify_vars_set(&vars, "date", day);
		notify_vars_set(&vars, "reason", cert_reason_label_tr(reason));
		const char *notice = reason == PKI_REASON_HOLD		    ? ca_notices[0]
				     : reason == PKI_REASON_REMOVE_FROM_CRL ? ca_notices[1]
									    : ca_notices[2];
		rc = onrecord_notify(&c, cert.tckn, notice, &vars);
	}
	if (rc != 0)
		snprintf(err, n, "Sertifika sahibine bildirim kuyruğa alınamadı: %s", db_errmsg(d));
	arena_free(a);
	return rc;
}

static const struct pki_app_hooks app_hooks = {hook_lookup, hook_issued, hook_status_changed};

void apply_register_pki_hooks(void)
{
	pki_set_application_hook(&app_hooks);
}
