/* Decision notices to the institution's official address (see
 * institution_notice.h). */
#include "app/institution_notice.h"

#include <string.h>

#include "notify/outbox.h"
#include "store/endorsement.h"
#include "util/log.h"

enum uc_rc institution_notify_decision(struct uc_ctx *c, const struct application *app,
				       enum institution_decision d, const char *reason)
{
	const char *email = "";
	if (endorsement_institution_email(c->d, c->a, app->kurum_kodu, &email) < 0) {
		log_error("%s: reading institution %s failed: %s", c->actor, app->kurum_kodu,
			  db_errmsg(c->d));
		return UC_ERROR;
	}
	if (*email == '\0') {
		log_warn("%s: institution %s has no official address; decision on %s not told",
			 c->actor, app->kurum_kodu, app->number);
		return UC_OK;
	}
	size_t tl = app->tckn ? strlen(app->tckn) : 0;
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "application_no", app->number);
	notify_vars_set(&vars, "name", arena_printf(c->a, "%s %s", app->ad, app->soyad));
	notify_vars_set(&vars, "title", app->form[FF_UNVAN] ? app->form[FF_UNVAN] : "");
	/* The official mailbox is read by several people: the number only
	 * to tell two staff members of the same name apart. */
	notify_vars_set(&vars, "tckn_tail", tl >= 4 ? app->tckn + tl - 4 : "");
	notify_vars_set(&vars, "institution", app->kurum_adi);
	notify_vars_set(&vars, "decision", d == INSTITUTION_APPROVED ? "ONAYLANDI" : "REDDEDİLDİ");
	notify_vars_set(&vars, "reason_line",
			d == INSTITUTION_REJECTED && reason != NULL
				? arena_printf(c->a, "Ret gerekçesi: %s\n", reason)
				: "");
	notify_vars_set(&vars, "decider", c->actor_label ? c->actor_label : c->actor);
	if (outbox_enqueue_template(c->d, NOTIFY_EMAIL, email, "institution_decision", &vars,
				    app->number) != 0)
		return UC_ERROR;
	return UC_OK;
}
