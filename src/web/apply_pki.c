/* Where the applicant portal meets the CA: a person's certificate history
 * (for the reasons offered and e-onay) and the revocation of a lost or
 * stolen certificate at the moment the new application is SMS-verified. */
#include <stdio.h>
#include <string.h>

#include "domain/application.h"
#include "domain/renewal.h"
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
	if (app_reason_parse(app->reason) != REASON_KAYIP_CALINTI || app->replaces_serial == NULL)
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
	if (app_reason_parse(app->reason) == REASON_KAYIP_CALINTI && app->replaces_serial != NULL)
		pki_after_revocation(d);
}
