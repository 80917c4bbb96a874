/* Security notices to the contacts on record (see onrecord.h). */
#include "app/onrecord.h"

#include "notify/outbox.h"
#include "store/holder.h"
#include "util/log.h"

int onrecord_notify_holder(struct uc_ctx *c, const struct application *holder,
			   const char *template_name, struct notify_vars *vars)
{
	notify_vars_set(vars, "name", arena_printf(c->a, "%s %s", holder->ad, holder->soyad));
	return outbox_notify_applicant(c->d, OUTBOX_TO_EMAIL | OUTBOX_TO_SMS,
				       holder->form[FF_EPOSTA], holder->form[FF_CEP_TEL],
				       template_name, vars, holder->number);
}

int onrecord_notify(struct uc_ctx *c, const char *tckn, const char *template_name,
		    struct notify_vars *vars)
{
	struct application holder;
	int rc = holder_load(c->d, c->a, tckn, &holder, NULL);
	if (rc == 1)
		return 0;
	if (rc != 0) {
		log_error("%s: reading the holder record failed: %s", c->actor, db_errmsg(c->d));
		return -1;
	}
	return onrecord_notify_holder(c, &holder, template_name, vars);
}
