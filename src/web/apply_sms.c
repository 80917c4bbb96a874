/* Steps 3 and 4 (Adım 3-4): the SMS code. The rules of codes (lifetime,
 * tries, resend limits) live in app/otp.c. */
#include <string.h>

#include "app/apply.h"
#include "app/lost.h"
#include "app/otp.h"
#include "domain/application.h"
#include "domain/phone.h"
#include "util/clock.h"
#include "web/apply.h"
#include "web/error_summary.h"
#include "web/web.h"

/* The SMS steps serve only an application waiting for its code. */
static int load_for_sms(req *r, db **d, struct applicant *who, struct application *app)
{
	return apply_load_own_or_reply(r, d, who, app, 1u << APP_FORM_CONFIRMED, "/basvuru/form");
}

static void render_sms(req *r, int status, const struct application *app, tpl *t)
{
	char masked[32];
	phone_mask(app->form[FF_CEP_TEL], masked);
	int64_t now = clock_now();
	int sent = app->otp_last_sent_at > 0;
	tpl_set(t, "title", sent ? "SMS Doğrulama Kodu" : "SMS Onay Kodu");
	tpl_set_int(t, "step", sent ? 4 : 3);
	tpl_set(t, "masked_phone", masked);
	tpl_set(t, "number", app->number);
	if (sent)
		tpl_set(t, "code_sent", "1");
	if (sent && otp_seconds_left(app, now) > 0)
		tpl_set_int(t, "seconds_left", otp_seconds_left(app, now));
	if (sent && otp_resend_wait(app, now) > 0)
		tpl_set_int(t, "resend_wait", otp_resend_wait(app, now));
	reply_page(r, status, "basvuru_sms.html", t);
}

void apply_sms_get(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	if (load_for_sms(r, &d, &who, &app) != 0)
		return;
	render_sms(r, 200, &app, tpl_new(r));
}

void apply_sms_post(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	struct uc_ctx c;
	if (load_for_sms(r, &d, &who, &app) != 0)
		return;
	web_uc_ctx(r, &c, apply_actor(r, &who), "Başvuru sahibi");
	const char *action = req_field(r, "islem");
	enum uc_rc rc;
	if (action != NULL && strcmp(action, "gonder") == 0) {
		rc = otp_send(&c, &app, OTP_APPLY, app.form[FF_CEP_TEL], 0);
		if (rc == UC_OK) {
			reply_redirect(r, "/basvuru/sms");
			return;
		}
	} else {
		rc = otp_check(&c, &app, OTP_APPLY, req_field(r, "sms_kodu"));
		if (rc == UC_OK)
			rc = apply_sms_verified(&c, &app);
		if (rc == UC_OK) {
			/* Kayıp/Çalıntı: the holder may suspend the certificate now. */
			reply_redirect(r, lost_may_hold(&c, &app) ? "/basvuru/kayip"
								  : "/basvuru/imza");
			return;
		}
	}
	if (rc != UC_INVALID && rc != UC_LIMITED) {
		web_reply_uc(r, &c, rc);
		return;
	}
	/* Reload so the page shows the attempts and times as stored now. */
	if (application_load(d, req_arena(r), app.id, &app) != 0) {
		web_reply_uc(r, &c, UC_ERROR);
		return;
	}
	tpl *t = tpl_new(r);
	error_summary_sms(t, action != NULL && strcmp(action, "gonder") == 0, c.message);
	render_sms(r, 400, &app, t);
}
