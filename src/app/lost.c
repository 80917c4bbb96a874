/* Kayıp/Çalıntı: hold by proof, revocation on approval (see lost.h). */
#include "app/lost.h"

#include "app/onrecord.h"
#include "domain/date.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "store/certificate.h"
#include "util/log.h"

/* 1 when app replaces a certificate as a Kayıp/Çalıntı application. */
static int replaces_lost(const struct application *app)
{
	return app->reason == REASON_KAYIP_CALINTI && app->replaces_serial != NULL;
}

/* The replaced certificate's stored status: 0, 1 not found, -1 error. */
static int replaced_status(struct uc_ctx *c, const struct application *app,
			   enum cert_status *status)
{
	struct certificate cert;
	int rc = certificate_load_of_holder(c->d, c->a, app->replaces_serial, app->tckn, &cert);
	if (rc < 0)
		log_error("%s: reading certificate %s failed: %s", c->actor, app->replaces_serial,
			  db_errmsg(c->d));
	if (rc == 0)
		*status = cert.status;
	return rc;
}

int lost_may_hold(struct uc_ctx *c, const struct application *app)
{
	enum cert_status st;
	return replaces_lost(app) && replaced_status(c, app, &st) == 0 && st == CERT_GOOD;
}

/* "GG.AA.YYYY SS:DD" in Türkiye time (arena). */
static const char *when_tr(struct uc_ctx *c)
{
	char out[17];
	date_format_tr_time(c->now, out);
	return arena_strdup(c->a, out);
}

/* The status change of app's certificate with its audit record and the
 * notice to the contacts on record, inside the open transaction. */
static enum uc_rc change(struct uc_ctx *c, const struct application *app, enum cert_status before,
			 int reason, const char *after, const char *detail, const char *notice)
{
	char err[256] = "";
	struct notify_vars vars = {0};
	if (pki_revoke_tx(c->d, app->replaces_serial, reason, c->now, err, sizeof err) != 0)
		return uc_fail(c, UC_CONFLICT, NULL, arena_strdup(c->a, err));
	notify_vars_set(&vars, "serial", app->replaces_serial);
	notify_vars_set(&vars, "date", when_tr(c));
	notify_vars_set(&vars, "application_no", app->number);
	if (audit_append(c->d, &(struct audit_entry){.actor = c->actor,
						     .client_ip = c->client_ip,
						     .object = arena_printf(c->a, "certificate:%s",
									    app->replaces_serial),
						     .action = reason == PKI_REASON_HOLD ? "hold"
											 : "revoke",
						     .before = cert_status_name(before),
						     .after = after,
						     .detail = detail}) != 0 ||
	    onrecord_notify(c, app->tckn, notice, &vars) != 0) {
		log_error("%s: %s of %s failed: %s", c->actor, after, app->replaces_serial,
			  db_errmsg(c->d));
		return UC_ERROR;
	}
	return UC_OK;
}

enum uc_rc lost_hold(struct uc_ctx *c, const struct application *app, const char *how)
{
	enum cert_status st;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	int found = replaces_lost(app) ? replaced_status(c, app, &st) : 1;
	if (found < 0)
		rc = UC_ERROR;
	else if (found == 1 || st != CERT_GOOD)
		rc = uc_fail(c, UC_CONFLICT, NULL,
			     "Sertifikanız geçerli durumda değil; askıya alınacak bir sertifika "
			     "yok.");
	else
		rc = change(c, app, st, PKI_REASON_HOLD, "hold",
			    arena_printf(c->a,
					 "certificateHold (Kayıp/Çalıntı başvurusu %s; kanıt: %s)",
					 app->number, how),
			    "lost_hold");
	rc = uc_end(c, rc);
	if (rc != UC_OK)
		return rc;
	log_info("%s: %s held for lost/stolen application %s", c->actor, app->replaces_serial,
		 app->number);
	pki_after_revocation(c->d);
	return UC_OK;
}

enum uc_rc lost_revoke_on_approval(struct uc_ctx *c, const struct application *app, int *revoked)
{
	enum cert_status st;
	*revoked = 0;
	if (!replaces_lost(app))
		return UC_OK;
	int found = replaced_status(c, app, &st);
	if (found < 0)
		return UC_ERROR;
	if (found == 1 || st == CERT_REVOKED)
		return UC_OK;
	enum uc_rc rc = change(c, app, st, PKI_REASON_KEY_COMPROMISE, "revoked",
			       arena_printf(c->a,
					    "keyCompromise (Kayıp/Çalıntı başvurusu %s kurum "
					    "yetkilisince onaylandı)",
					    app->number),
			       "lost_revoked");
	if (rc == UC_CONFLICT) {
		log_error("%s: revoking %s for %s refused: %s", c->actor, app->replaces_serial,
			  app->number, c->message);
		rc = UC_ERROR;
	}
	*revoked = rc == UC_OK;
	return rc;
}
