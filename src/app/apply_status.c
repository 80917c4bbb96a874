/* After submission: the applicant cancels their application. */
#include "app/apply.h"

enum uc_rc apply_cancel(struct uc_ctx *c, struct application *app)
{
	enum app_state to;
	unsigned flags;
	if (app_transition(app->state, (unsigned)app->flags, EV_CANCELLED, app->reason, 0, &to,
			   &flags) != 0)
		return uc_fail(c, UC_CONFLICT, NULL, "Bu aşamadaki bir başvuru iptal edilemez.");
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	rc = application_step(c, app,
			      &(struct uc_step){.ev = EV_CANCELLED,
						.action = "cancel",
						.note = "Başvuru sahibi tarafından iptal edildi",
						.notify = "cancelled"});
	return uc_end(c, rc);
}
