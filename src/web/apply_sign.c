/* Step 5 (Adım 5): how the Application Form and the Certificate Holder
 * Undertaking are signed. Islak İmzalı: print the PDF, sign in blue ink, the
 * institution posts it with an official letter. E-Onaylı: a detached CMS
 * signature over the application document with the holder's valid
 * certificate, offered only when the rules allow it (app/apply_sign.c). */
#include <string.h>

#include "app/apply.h"
#include "app/lost.h"
#include "domain/application.h"
#include "domain/guidance.h"
#include "web/apply.h"
#include "web/web.h"

static int load_for_signing(req *r, db **d, struct applicant *who, struct application *app)
{
	return apply_load_own_or_reply(r, d, who, app, 1u << APP_SMS_VERIFIED | 1u << APP_SIGNING,
				       "/basvuru/form");
}

static void render_sign(req *r, int status, struct uc_ctx *c, const struct application *app, tpl *t)
{
	tpl_set(t, "title", "İmza Yöntemi");
	tpl_set_int(t, "step", 5);
	tpl_set(t, "number", app->number);
	if (apply_eapproval_allowed(c, app))
		tpl_set(t, "eapproval", "1");
	if (app->state == APP_SIGNING)
		tpl_set(t, "signing", "1");
	if (lost_may_hold(c, app))
		tpl_set(t, "lost_hold", "1");
	/* The guide's responsibility notice, on the step that ends the
	 * application and not only in the PDF. */
	tpl_set(t, "law_5070", guidance_law_5070());
	reply_page(r, status, "basvuru_imza.html", t);
}

void apply_sign_get(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	struct uc_ctx c;
	if (load_for_signing(r, &d, &who, &app) != 0)
		return;
	web_uc_ctx(r, &c, apply_actor(r, &who), "Başvuru sahibi");
	render_sign(r, 200, &c, &app, tpl_new(r));
}

/* A refused choice or upload: the page again with the message beside the
 * field; any other result through the common table. */
static void sign_failed(req *r, struct uc_ctx *c, const struct application *app, enum uc_rc rc)
{
	if (rc != UC_INVALID || c->field == NULL) {
		web_reply_uc(r, c, rc);
		return;
	}
	tpl *t = tpl_new(r);
	tpl_set(t, arena_printf(req_arena(r), "%s_error", c->field), c->message);
	render_sign(r, 400, c, app, t);
}

void apply_sign_post(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	struct uc_ctx c;
	if (load_for_signing(r, &d, &who, &app) != 0)
		return;
	web_uc_ctx(r, &c, apply_actor(r, &who), "Başvuru sahibi");
	enum uc_rc rc;
	if (app.state == APP_SIGNING && req_file(r, "imza", NULL, NULL) != NULL) {
		size_t len = 0;
		const void *p7s = req_file(r, "imza", &len, NULL);
		rc = apply_eapproval_upload(&c, &app, p7s, len);
	} else {
		int m = sign_method_parse(req_field(r, "imza_yontemi"));
		rc = apply_choose_signing(&c, &app, m > 0 ? (enum sign_method)m : SIGN_NONE);
	}
	if (rc != UC_OK) {
		sign_failed(r, &c, &app, rc);
		return;
	}
	reply_redirect(r, app.state == APP_SIGNING ? "/basvuru/imza" : "/basvuru/durum");
}
