/* /kurum-onayi: the page of the institution's one-time endorsement link
 * (app/endorse.h). GET shows the application and the form, POST (with the
 * CSRF token of the page) records the principal's name and title. A forged
 * link answers 404, a used or expired one (or one whose application no
 * longer waits) 409, each with its Turkish explanation. */
#include "app/endorse.h"
#include "domain/date.h"
#include "web/apply.h"
#include "web/web.h"

/* The token travels in the URL: the page is not cached (the site's
 * Referrer-Policy, same-origin, already keeps it from other sites). */
static void private_page(req *r)
{
	reply_header(r, "Cache-Control", "no-store");
}

static void render(req *r, int status, const char *token, const struct endorse_view *v,
		   const struct uc_ctx *c)
{
	char until[11];
	tpl *t = tpl_new(r);
	tpl_set(t, "title", "Kurum Onayı");
	tpl_set(t, "token", token);
	tpl_set(t, "number", v->number);
	tpl_set(t, "name", v->name);
	/* The staff member's title under its own key: "title" is the page's. */
	tpl_set(t, "staff_title", v->title);
	tpl_set(t, "institution", v->institution);
	tpl_set(t, "email", v->email);
	date_format_tr(v->expires_at, until);
	tpl_set(t, "expires", until);
	if (c != NULL && c->message != NULL) {
		tpl_set(t, "error", c->message);
		if (c->field != NULL)
			tpl_setf(t, c->field[0] == 'a' ? "ad_soyad_error" : "unvan_error", "%s",
				 c->message);
		const char *n = req_field(r, "ad_soyad"), *u = req_field(r, "unvan");
		tpl_set(t, "ad_soyad", n ? n : "");
		tpl_set(t, "unvan", u ? u : "");
	}
	private_page(r);
	reply_page(r, status, "kurum_onayi.html", t);
}

static void endorse_get(req *r)
{
	struct uc_ctx c;
	struct endorse_view v;
	const char *token = req_field(r, "t");
	if (web_uc_ctx(r, &c, "kurum", "Kurum") == NULL) {
		web_reply_uc(r, NULL, UC_UNAVAILABLE);
		return;
	}
	enum uc_rc rc = endorse_check(&c, token, &v);
	private_page(r);
	if (rc != UC_OK) {
		web_reply_uc(r, &c, rc);
		return;
	}
	render(r, 200, token, &v, NULL);
}

static void endorse_post(req *r)
{
	struct uc_ctx c;
	struct endorse_view v;
	const char *token = req_field(r, "t");
	if (web_uc_ctx(r, &c, "kurum", "Kurum") == NULL) {
		web_reply_uc(r, NULL, UC_UNAVAILABLE);
		return;
	}
	enum uc_rc rc = endorse_record(&c, token, req_field(r, "ad_soyad"), req_field(r, "unvan"),
				       &v);
	if (rc == UC_INVALID) {
		render(r, 400, token, &v, &c);
		return;
	}
	private_page(r);
	if (rc != UC_OK) {
		web_reply_uc(r, &c, rc);
		return;
	}
	tpl *t = tpl_new(r);
	tpl_set(t, "title", "Kurum Onayı");
	tpl_set(t, "done", "1");
	tpl_set(t, "number", v.number);
	tpl_setf(t, "principal", "%s, %s", req_field(r, "ad_soyad"), req_field(r, "unvan"));
	reply_page(r, 200, "kurum_onayi.html", t);
}

static const struct field_spec get_fields[] = {
	{"t", FIELD_TOKEN, 128},
	{NULL, 0, 0},
};

static const struct field_spec post_fields[] = {
	{"t", FIELD_TOKEN, 128},
	{"ad_soyad", FIELD_TEXT, 400},
	{"unvan", FIELD_TEXT, 400},
	{NULL, 0, 0},
};

const struct route endorse_routes[] = {
	{"GET", "/kurum-onayi", endorse_get, get_fields, 0, NULL},
	{"POST", "/kurum-onayi", endorse_post, post_fields, 0, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
