/* Shared pieces of the applicant portal. */
#include <string.h>

#include "domain/application.h"
#include "util/log.h"
#include "web/apply.h"
#include "web/web.h"

int apply_applicant_or_redirect(req *r, struct applicant *who)
{
	memset(who, 0, sizeof *who);
	who->tckn = session_get(r, "tckn");
	if (who->tckn == NULL) {
		reply_redirect(r, "/basvuru");
		return -1;
	}
	who->ad = session_get(r, "ad");
	who->soyad = session_get(r, "soyad");
	who->dogum_yeri = session_get(r, "dogum_yeri");
	who->dogum_tarihi = session_get(r, "dogum_tarihi");
	who->sicil_no = session_get(r, "sicil_no");
	if (!who->ad || !who->soyad || !who->dogum_yeri || !who->dogum_tarihi || !who->sicil_no) {
		session_destroy(r);
		reply_redirect(r, "/basvuru");
		return -1;
	}
	return 0;
}

int apply_open_application_or_reply(req *r, db *d, const struct applicant *who,
				    struct application *app)
{
	int rc = application_load_open_for_tckn(d, req_arena(r), who->tckn, app);
	if (rc < 0) {
		log_error("apply: loading application failed: %s", db_errmsg(d));
		reply_error(r, 500, "Başvurunuz okunamadı.");
	}
	return rc;
}

const char *apply_actor(req *r, const struct applicant *who)
{
	return arena_printf(req_arena(r), "basvuru:%s", who->tckn);
}

const char *apply_next_step(const struct application *app)
{
	int st = (int)app->state;
	switch (st) {
	case APP_FORM_CONFIRMED: return "/basvuru/sms";
	case APP_SMS_VERIFIED:
	case APP_SIGNING: return "/basvuru/imza";
	default: return "/basvuru/durum";
	}
}

int apply_load_open_or_reply(req *r, db **d, struct applicant *who, struct application *app,
			     unsigned states, const char *if_none)
{
	if (apply_applicant_or_redirect(r, who) != 0)
		return -1;
	if ((*d = web_db_or_reply(r)) == NULL)
		return -1;
	int rc = apply_open_application_or_reply(r, *d, who, app);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		reply_redirect(r, if_none);
		return -1;
	}
	int st = (int)app->state;
	if (states != 0 && (st < 0 || !(states & (1u << st)))) {
		reply_redirect(r, apply_next_step(app));
		return -1;
	}
	return 0;
}

int apply_load_own_or_reply(req *r, db **d, struct applicant *who, struct application *app,
			    unsigned states, const char *if_none)
{
	if (apply_load_open_or_reply(r, d, who, app, states, if_none) != 0)
		return -1;
	if (!apply_session_owns(r, app)) {
		reply_redirect(r, "/basvuru/dogrula");
		return -1;
	}
	return 0;
}
