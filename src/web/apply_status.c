/* Step 6 (Adım 6) and after: the application's state and history, the
 * "Kurum yetkiliniz ile irtibata geçin" notice with the guide's sample
 * e-mail filled in while the authority has not decided, the decision
 * afterwards. Cancellation is a proof page (web/apply_proof.c). */
#include <stdio.h>
#include <string.h>

#include "app/apply.h"
#include "app/endorse.h"
#include "app/payinfo.h"
#include "domain/application.h"
#include "domain/date.h"
#include "domain/progress.h"
#include "domain/renewal.h"
#include "util/config.h"
#include "web/apply.h"
#include "web/web.h"

/* The guide's sample e-mail, filled in for this application (the same
 * text the institution's endorsement message carries, app/endorse.h). */
static const char *sample_email(req *r, const struct application *app)
{
	return endorse_sample_text(req_arena(r), app);
}

struct history_ctx {
	req *r;
	tpl *t;
};

static void add_event(void *ctx, const struct application_event *e)
{
	struct history_ctx *h = ctx;
	tpl *item = tpl_add(h->t, "history");
	char when[17];
	date_format_tr_time(e->at, when);
	tpl_set(item, "when", when);
	int st = app_state_parse(e->to_state);
	/* The stored state does not say whether the authority has decided
	 * (flags are not kept per event): the row's note does, so the
	 * applicant's history never reads "Kurum onayı bekleniyor" beside
	 * "Kurum yetkilisi onayladı". */
	if (st == APP_AWAITING_APPROVAL)
		tpl_set(item, "state", "Onay sürecinde");
	else
		tpl_set(item, "state", st >= 0 ? app_state_label_tr(st) : e->to_state);
	tpl_set(item, "actor", e->actor);
	tpl_set(item, "note", e->note ? e->note : "");
}

static void set_contact(req *r, tpl *t, const struct application *app)
{
	const char *email = "", *name = "";
	struct uc_ctx c;
	web_uc_ctx(r, &c, NULL, NULL);
	apply_authority_contact(&c, app, &email, &name);
	const char *subject = arena_printf(req_arena(r), "e-İmza başvuru onayı: %s %s (%s)",
					   app->ad, app->soyad, app->number);
	const char *body = sample_email(r, app);
	tpl_set(t, "authority_email", email);
	tpl_set(t, "authority_name", name);
	tpl_set(t, "sample_email", body);
	if (*email)
		tpl_setf(t, "mailto", "mailto:%s?subject=%s&body=%s", email,
			 http_url_encode(req_arena(r), subject),
			 http_url_encode(req_arena(r), body));
}

static void set_pending(req *r, tpl *t, const struct application *app)
{
	if (app->flags & APP_NEEDS_APPROVAL)
		tpl_set(t, "needs_approval", "1");
	if (app->flags & APP_NEEDS_PAPERWORK) {
		tpl_set(t, "needs_paperwork", "1");
		tpl_set(t, "postal_address", config_get("contact.postal_address"));
	}
	if (app->flags & APP_NEEDS_PAYMENT) {
		char fee[32];
		fee_format_tl((long)app->fee_kurus, fee);
		tpl_set(t, "needs_payment", "1");
		tpl_set(t, "fee", fee);
		tpl_set(t, "payment", payinfo_text(req_arena(r), app));
	}
	(void)r;
}

/* The institution's endorsement, once received (app/endorse.h). */
static void set_endorsed(req *r, tpl *t, const struct application *app)
{
	struct uc_ctx c;
	web_uc_ctx(r, &c, NULL, NULL);
	if (endorse_received(&c, app->id) == 1)
		tpl_set(t, "endorsed", "1");
	else if (endorse_offered(&c, app->id) == 1)
		tpl_set(t, "endorse_offered", "1");
}

/* What the page says and offers in app's state: one text per step
 * (domain/progress.c), the authority's contact only while its decision is
 * pending, the decision's reason, a new application after a rejection or a
 * cancellation, and the form's documents only for the session that owns
 * the application (web/apply_proof.c). */
static void set_progress(req *r, tpl *t, const struct application *app)
{
	int st = (int)app->state;
	int owns = apply_session_owns(r, app);
	enum progress_step step = progress_of(app->state, (unsigned)app->flags);
	const struct progress_text *pt = progress_text(step);
	tpl_set(t, "step_name", progress_name(step));
	tpl_set(t, "state_label", pt ? pt->heading : app_state_label_tr(app->state));
	tpl_set(t, "progress_text", pt ? pt->text : "");
	if (pt != NULL && pt->restart)
		tpl_set(t, "restart", "1");
	if (app_state_is_open(st)) {
		tpl_set(t, "open", "1");
		if (st == APP_FORM_CONFIRMED || st == APP_SMS_VERIFIED || st == APP_SIGNING)
			tpl_set(t, "continue_url",
				owns ? apply_next_step(app) : "/basvuru/dogrula");
		if (!owns)
			tpl_set(t, "not_owned", "1");
	}
	if (st == APP_AWAITING_APPROVAL) {
		if (app->flags & APP_NEEDS_APPROVAL) {
			tpl_set(t, "awaiting_approval", "1");
			set_contact(r, t, app);
		}
		set_pending(r, t, app);
		set_endorsed(r, t, app);
	}
	if (app->signing_method == SIGN_ISLAK && owns)
		tpl_set(t, "wet", "1");
}

void apply_status_get(req *r)
{
	struct applicant who;
	if (apply_applicant_or_redirect(r, &who) != 0)
		return;
	db *d = web_db_or_reply(r);
	if (d == NULL)
		return;
	struct application app;
	int rc = application_load_latest_for_tckn(d, req_arena(r), who.tckn, &app);
	if (rc < 0) {
		reply_error(r, 500, "Başvurunuz okunamadı.");
		return;
	}
	if (rc == 1) {
		reply_redirect(r, "/basvuru/form");
		return;
	}
	tpl *t = tpl_new(r);
	tpl_set(t, "title", "Başvuru Durumu");
	tpl_set(t, "number", app.number);
	tpl_set(t, "state", app_state_name(app.state));
	tpl_set(t, "reason_label", app_reason_label_tr(app.reason));
	tpl_setf(t, "name", "%s %s", app.ad, app.soyad);
	if (app.reject_reason)
		tpl_set(t, "reject_reason", app.reject_reason);
	set_progress(r, t, &app);
	struct history_ctx h = {r, t};
	application_events(d, app.id, add_event, &h);
	reply_page(r, 200, "basvuru_durum.html", t);
}
