/* The one place where an application changes state: transition rule,
 * stored state, history, audit record and notice together. */
#include "app/app.h"

#include <string.h>

#include "notify/outbox.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"

static const char *const uc_rc_names[UC__MAX] = {
	[UC_OK] = "ok",
	[UC_INVALID] = "invalid",
	[UC_NOT_FOUND] = "not_found",
	[UC_FORBIDDEN] = "forbidden",
	[UC_CONFLICT] = "conflict",
	[UC_LIMITED] = "limited",
	[UC_UNAVAILABLE] = "unavailable",
	[UC_ERROR] = "error",
};

const char *uc_rc_name(enum uc_rc rc)
{
	return (unsigned)rc < UC__MAX ? uc_rc_names[rc] : "?";
}

void uc_ctx_init(struct uc_ctx *c, db *d, arena *a, const char *actor, const char *actor_label,
		 const char *client_ip)
{
	memset(c, 0, sizeof *c);
	c->d = d;
	c->a = a;
	c->actor = actor;
	c->actor_label = actor_label;
	c->client_ip = client_ip;
	c->now = clock_now();
}

enum uc_rc uc_fail(struct uc_ctx *c, enum uc_rc rc, const char *field, const char *message)
{
	c->field = field;
	c->message = message;
	return rc;
}

enum uc_rc uc_begin(struct uc_ctx *c)
{
	if (db_begin(c->d) == 0)
		return UC_OK;
	log_error("%s: begin failed: %s", c->actor, db_errmsg(c->d));
	return UC_ERROR;
}

enum uc_rc uc_end(struct uc_ctx *c, enum uc_rc rc)
{
	if (rc == UC_OK && db_commit(c->d) == 0)
		return UC_OK;
	if (rc == UC_OK) {
		log_error("%s: commit failed: %s", c->actor, db_errmsg(c->d));
		rc = UC_ERROR;
	}
	db_rollback(c->d);
	return rc;
}

const char *uc_application_object(struct uc_ctx *c, const struct application *app)
{
	return arena_printf(c->a, "application:%s", app->number);
}

enum uc_rc application_step(struct uc_ctx *c, struct application *app, const struct uc_step *s)
{
	enum app_state to;
	unsigned flags;
	if (app_transition(app->state, (unsigned)app->flags, s->ev, app->reason, s->fee_due, &to,
			   &flags) != 0)
		return uc_fail(c, UC_CONFLICT, NULL,
			       "Başvurunun durumu bu işleme uygun değil; sayfayı yenileyin.");
	int rc = application_set_state(c->d, app->id, app->state, to, flags, c->actor_label,
				       s->note, c->now);
	if (rc == 1)
		return uc_fail(c, UC_CONFLICT, NULL,
			       "Başvurunun durumu bu arada değişti; sayfayı yenileyin.");
	const char *action = s->action ? s->action : app_event_name(s->ev);
	if (rc == 0)
		rc = audit_append(c->d,
				  &(struct audit_entry){.actor = c->actor,
							.client_ip = c->client_ip,
							.object = uc_application_object(c, app),
							.action = action,
							.before = app_state_name(app->state),
							.after = app_state_name(to),
							.detail = s->detail ? s->detail : s->note});
	if (rc == 0 && s->notify != NULL) {
		struct notify_vars none = {0}, *vars = s->vars ? s->vars : &none;
		notify_vars_set(vars, "name", arena_printf(c->a, "%s %s", app->ad, app->soyad));
		notify_vars_set(vars, "application_no", app->number);
		rc = outbox_notify_applicant(c->d, app->channels, app->form[FF_EPOSTA],
					     app->form[FF_CEP_TEL], s->notify, vars, app->number);
	}
	if (rc != 0) {
		log_error("%s: %s of %s failed: %s", c->actor, action, app->number,
			  db_errmsg(c->d));
		return UC_ERROR;
	}
	log_info("%s %s %s: %s -> %s", c->actor, action, app->number, app_state_name(app->state),
		 app_state_name(to));
	app->state = to;
	app->flags = flags;
	return UC_OK;
}
