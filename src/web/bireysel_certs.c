/* "Sertifikalarım": the holder's certificates with their status, and the
 * holder's own suspension (certificateHold), release of a hold and
 * revocation. The rules and the transaction of each action are in
 * app/holder.c; here the pages, the flash messages and the redirects. Only
 * the holder's own certificates can be named: any other serial is a 404. */
#include <string.h>

#include "app/holder.h"
#include "domain/certificate.h"
#include "domain/date.h"
#include "pki/pki.h"
#include "util/clock.h"
#include "web/bireysel.h"
#include "web/web.h"

/* "GG.AA.YYYY" in Türkiye time (arena). */
static const char *day_tr(req *r, int64_t t)
{
	char out[11];
	date_format_tr(t + DATE_TR_OFFSET, out);
	return arena_strdup(req_arena(r), out);
}

/* ---- the list ---- */

struct list_ctx {
	req *r;
	tpl *t;
	int64_t now;
};

static void add_cert(const struct pki_cert_summary *c, void *arg)
{
	struct list_ctx *x = arg;
	enum holder_cert_view v = holder_cert_view_of(c->status, c->not_after, x->now);
	tpl *row = tpl_add(x->t, "certs");
	tpl_set(row, "serial", c->serial_hex);
	tpl_set(row, "not_before", day_tr(x->r, c->not_before));
	tpl_set(row, "not_after", day_tr(x->r, c->not_after));
	tpl_set(row, "status_code", holder_cert_view_code(v));
	tpl_set(row, "status", holder_cert_view_label(v));
	if (v == HCV_REVOKED)
		tpl_setf(row, "status_detail", "%s, %s", cert_reason_label_tr(c->reason),
			 day_tr(x->r, c->revoked_at));
	if (v == HCV_GOOD)
		tpl_set(row, "can_hold", "1");
	if (v == HCV_HOLD)
		tpl_set(row, "can_release", "1");
	if (v == HCV_GOOD || v == HCV_HOLD)
		tpl_set(row, "can_revoke", "1");
}

void bireysel_certs_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	tpl *t = bireysel_tpl(r, &app, "Sertifikalarım", "certs");
	struct list_ctx x = {r, t, clock_now()};
	int n = pki_cert_list_for_tckn(d, app.tckn, add_cert, &x);
	if (n < 0) {
		reply_error(r, 500, "Sertifikalarınız okunamadı. Lütfen tekrar deneyin.");
		return;
	}
	tpl_set_int(t, "has_certs", n);
	reply_page(r, 200, "bireysel_sertifikalar.html", t);
}

/* ---- hold and release ---- */

/* Back to the list with `flash` on success or the use case's reason for a
 * refusal; any other result is an error page. */
static void after_action(req *r, const struct uc_ctx *c, enum uc_rc rc, const char *flash)
{
	if (rc != UC_OK && rc != UC_CONFLICT) {
		web_reply_uc(r, c, rc);
		return;
	}
	session_set(r, "bireysel_flash", rc == UC_OK ? flash : c->message);
	reply_redirect(r, "/bireysel/sertifikalar");
}

void bireysel_hold_post(req *r)
{
	db *d;
	struct application app;
	struct uc_ctx c;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	bireysel_uc_ctx(r, &c, &app);
	after_action(r, &c, holder_cert_hold(&c, &app, req_field(r, "seri")),
		     "Sertifikanız askıya alındı. Askıda iken imza için kullanılamaz.");
}

void bireysel_release_post(req *r)
{
	db *d;
	struct application app;
	struct uc_ctx c;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	bireysel_uc_ctx(r, &c, &app);
	after_action(r, &c, holder_cert_release(&c, &app, req_field(r, "seri")),
		     "Sertifikanız askıdan kaldırıldı ve yeniden geçerli.");
}

/* ---- revocation with a confirmation step ---- */

static void render_revoke(req *r, int status, const struct application *app,
			  const struct holder_cert *cert, const char *error)
{
	tpl *t = bireysel_tpl(r, app, "Sertifika İptali", "certs");
	tpl_set(t, "serial", cert->serial);
	tpl_set(t, "status", holder_cert_view_label(cert->view));
	tpl_set(t, "error", error);
	const char *chosen = req_field(r, "neden");
	for (int i = 0; i < HRR__MAX; i++) {
		tpl *o = tpl_add(t, "reasons");
		const char *code = holder_revoke_reason_code((enum holder_revoke_reason)i);
		tpl_set(o, "code", code);
		tpl_set(o, "label", holder_revoke_reason_label((enum holder_revoke_reason)i));
		if (chosen != NULL && strcmp(chosen, code) == 0)
			tpl_set(o, "selected", "1");
	}
	reply_page(r, status, "bireysel_iptal.html", t);
}

/* The holder and the named certificate of the holder; otherwise it has
 * replied (redirect, 404, 500) and returns -1. */
static int holder_cert_or_reply(req *r, struct application *app, struct uc_ctx *c,
				struct holder_cert *cert)
{
	db *d;
	if (bireysel_holder_or_redirect(r, &d, app) != 0)
		return -1;
	bireysel_uc_ctx(r, c, app);
	enum uc_rc rc = holder_cert_find(c, app, req_field(r, "seri"), cert);
	if (rc != UC_OK) {
		web_reply_uc(r, c, rc);
		return -1;
	}
	return 0;
}

void bireysel_revoke_get(req *r)
{
	struct application app;
	struct uc_ctx c;
	struct holder_cert cert;
	if (holder_cert_or_reply(r, &app, &c, &cert) != 0)
		return;
	if (cert.view != HCV_GOOD && cert.view != HCV_HOLD) {
		reply_redirect(r, "/bireysel/sertifikalar");
		return;
	}
	render_revoke(r, 200, &app, &cert, NULL);
}

void bireysel_revoke_post(req *r)
{
	struct application app;
	struct uc_ctx c;
	struct holder_cert cert;
	if (holder_cert_or_reply(r, &app, &c, &cert) != 0)
		return;
	int why = holder_revoke_reason_parse(req_field(r, "neden"));
	const char *onay = req_field(r, "onay");
	if (why < 0 || onay == NULL || strcmp(onay, "1") != 0) {
		render_revoke(r, 400, &app, &cert,
			      why < 0 ? "İptal nedenini seçiniz."
				      : "İptal işlemini onaylamanız gerekir.");
		return;
	}
	enum uc_rc rc = holder_cert_revoke(&c, &app, cert.serial, (enum holder_revoke_reason)why);
	after_action(r, &c, rc,
		     why == HRR_KAYIP_CALINTI
			     ? "Sertifikanız iptal edildi. Yeni sertifika için Kayıp/Çalıntı "
			       "nedeniyle başvurabilirsiniz."
			     : "Sertifikanız iptal edildi. Bu işlem geri alınamaz.");
}
