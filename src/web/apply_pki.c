/* Where the applicant portal meets the CA: a person's certificate history
 * (for the reasons offered and e-onay) and the revocation of a lost or
 * stolen certificate at the moment the new application is SMS-verified. */
#include <stdio.h>
#include <string.h>

#include "domain/application.h"
#include "domain/renewal.h"
#include "domain/trcase.h"
#include "notify/outbox.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/apply.h"

int apply_cert_history(db *d, const char *tckn, struct cert_summary *out, size_t max)
{
	db_stmt *st = db_prepare(d, "SELECT not_before, not_after, status FROM certificates "
				    "WHERE tckn = $1 ORDER BY not_after DESC");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, tckn);
	size_t n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW && n < max) {
		const char *status = db_col_text(st, 2);
		out[n].not_before = db_col_int64(st, 0);
		out[n].not_after = db_col_int64(st, 1);
		/* A suspended certificate is not usable; count it as revoked here. */
		out[n].revoked = status == NULL || strcmp(status, "good") != 0;
		n++;
	}
	db_finalize(st);
	return rc == DB_ERR ? -1 : (int)n;
}

const char *apply_current_serial(req *r, db *d, const char *tckn)
{
	db_stmt *st = db_prepare(d, "SELECT serial_hex FROM certificates WHERE tckn = $1 AND "
				    "status = 'good' AND not_before <= $2 AND not_after > $2 "
				    "ORDER BY not_after DESC LIMIT 1");
	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, tckn);
	db_bind_int64(st, 2, clock_now());
	const char *serial = NULL;
	if (db_step(st) == DB_ROW)
		serial = arena_strdup(req_arena(r), db_col_text(st, 0));
	db_finalize(st);
	return serial;
}

int apply_revoke_for_lost(req *r, db *d, const struct application *app)
{
	if (app->reason != REASON_KAYIP_CALINTI || app->replaces_serial == NULL)
		return 0;
	char err[256] = "";
	if (pki_revoke_tx(d, app->replaces_serial, PKI_REASON_KEY_COMPROMISE, clock_now(), err,
			     sizeof err) != 0) {
		log_error("apply: revoking %s for %s failed: %s", app->replaces_serial, app->number,
			  err);
		return -1;
	}
	return audit_append(d, &(struct audit_entry){
		.actor = arena_printf(req_arena(r), "basvuru:%s", app->tckn),
		.client_ip = req_client_ip(r),
		.object = arena_printf(req_arena(r), "certificate:%s", app->replaces_serial),
		.action = "revoke", .before = "good", .after = "revoked",
		.detail = arena_printf(req_arena(r), "keyCompromise (Kayıp/Çalıntı, başvuru %s)",
				       app->number)});
}

void apply_after_revocation(db *d, const struct application *app)
{
	if (app->reason == REASON_KAYIP_CALINTI && app->replaces_serial != NULL)
		pki_after_revocation(d);
}

int64_t apply_new_not_before(db *d, const struct application *app)
{
	if (app->reason != REASON_YENILEME || app->replaces_serial == NULL)
		return 0;
	db_stmt *st = db_prepare(d, "SELECT not_before, not_after, status FROM certificates "
				    "WHERE serial_hex = $1");
	if (st == NULL)
		return 0;
	db_bind_text(st, 1, app->replaces_serial);
	int64_t nb = 0;
	if (db_step(st) == DB_ROW) {
		struct cert_summary cur = {
			.not_before = db_col_int64(st, 0), .not_after = db_col_int64(st, 1),
			.revoked = strcmp(db_col_text(st, 2), "good") != 0,
		};
		nb = renewal_new_not_before(&cur, clock_now());
	}
	db_finalize(st);
	return nb;
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
	if ((int)app.state != APP_APPROVED) {
		snprintf(err, n, "Başvuru %s üretime hazır değil (durum: %s).", app.number,
			 app_state_label_tr((int)app.state));
		goto out;
	}
	memset(info, 0, sizeof *info);
	snprintf(info->tckn, sizeof info->tckn, "%s", app.tckn);
	if (trcase_upper(app.ad, info->given_name, sizeof info->given_name) != 0 ||
	    trcase_upper(app.soyad, info->surname, sizeof info->surname) != 0) {
		snprintf(err, n, "Ad ya da soyad sertifikaya yazılamadı.");
		goto out;
	}
	snprintf(info->email, sizeof info->email, "%s", app.eposta);
	info->years = (int)app.years;
	info->not_before = apply_new_not_before(d, &app);
	rc = 0;
out:
	arena_free(a);
	return rc;
}

/* Inside the CA's transaction: the application becomes PRODUCED, with its
 * history, audit record and the holder's notice. */
static int hook_issued(db *d, int64_t id, const struct pki_issued *c, char *err, size_t n)
{
	arena *a = arena_new(0);
	struct application app;
	enum app_state to;
	unsigned flags;
	int rc = -1;
	if (a == NULL)
		return -1;
	if (application_load(d, a, id, &app) != 0 ||
	    app_transition((int)app.state, (unsigned)app.flags, EV_PRODUCED,
			   app.reason, 0, &to, &flags) != 0) {
		snprintf(err, n, "Başvuru %lld üretildi durumuna geçirilemez.", (long long)id);
		goto out;
	}
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "name", arena_printf(a, "%s %s", app.ad, app.soyad));
	notify_vars_set(&vars, "application_no", app.number);
	const char *note = arena_printf(a, "Sertifika üretildi (seri %s)", c->serial_hex);
	if (application_set_state(d, id, app.state, to, flags, "SM (komut satırı)",
				  note, clock_now()) != 0 ||
	    audit_append(d, &(struct audit_entry){
				    .actor = "sistem:ca-cli",
				    .object = arena_printf(a, "application:%s", app.number),
				    .action = "produced", .before = app_state_name(app.state),
				    .after = app_state_name(to), .detail = note}) != 0 ||
	    outbox_notify_applicant(d, app.channels, app.eposta, app.cep_tel, "produced",
				    &vars, app.number) != 0) {
		snprintf(err, n, "Başvuru kaydı güncellenemedi: %s", db_errmsg(d));
		goto out;
	}
	rc = 0;
out:
	arena_free(a);
	return rc;
}

static const struct pki_app_hooks app_hooks = {hook_lookup, hook_issued};

void apply_register_pki_hooks(void)
{
	pki_set_application_hook(&app_hooks);
}
