/* Notices of the applicant portal that go to more than one party. */
#include <string.h>

#include "domain/application.h"
#include "notify/outbox.h"
#include "util/config.h"
#include "util/log.h"
#include "web/apply.h"

void apply_authority_contact(req *r, db *d, const char *unit, const char **email,
			     const char **name)
{
	*email = "";
	*name = "";
	db_stmt *st = db_prepare(d, "SELECT eposta, name FROM authority_units WHERE code = $1");
	if (st == NULL)
		return;
	db_bind_text(st, 1, unit);
	if (db_step(st) == DB_ROW) {
		const char *e = db_col_text(st, 0), *n = db_col_text(st, 1);
		*email = arena_strdup(req_arena(r), e ? e : "");
		*name = arena_strdup(req_arena(r), n ? n : "");
	}
	db_finalize(st);
}

int apply_notify_submitted(req *r, db *d, const struct application *app)
{
	struct notify_vars vars = {0};
	const char *name = arena_printf(req_arena(r), "%s %s", app->ad, app->soyad);
	const char *email = "", *unit_name = "";
	apply_authority_contact(r, d, app->yetki_birimi, &email, &unit_name);
	notify_vars_set(&vars, "application_no", app->number);
	notify_vars_set(&vars, "name", name);
	notify_vars_set(&vars, "institution", app->kurum_adi);
	notify_vars_set(&vars, "authority", unit_name);
	notify_vars_set(&vars, "authority_email", email);
	notify_vars_set(&vars, "reason", app_reason_label_tr(app->reason));
	notify_vars_set(&vars, "method", app->signing_method == SIGN_ISLAK ? "Islak imzalı"
									    : "E-onaylı");
	notify_vars_set(&vars, "console_url",
			arena_printf(req_arena(r), "%s/konsol", config_get("server.base_url")));
	notify_vars_set(&vars, "status_url",
			arena_printf(req_arena(r), "%s/basvuru/durum", config_get("server.base_url")));
	if (outbox_notify_applicant(d, app->channels, app->eposta, app->cep_tel,
				    "application_received", &vars, app->number) != 0)
		return -1;
	if (*email == '\0') {
		log_warn("apply: authority unit %s has no e-mail; %s not announced",
			 app->yetki_birimi, app->number);
		return 0;
	}
	return outbox_enqueue_template(d, NOTIFY_EMAIL, email, "authority_new_application", &vars,
				       app->number);
}
