/* "Sertifikalarım": the holder's certificates with their status, and the
 * holder's own suspension (certificateHold), release of a hold and
 * revocation. Each action is one transaction: pki_revoke_tx (hold = reason
 * 6, release = reason 8), the audit record and the notice to the holder;
 * after the commit pki_after_revocation() refreshes the CRL and OCSP. Only
 * the holder's own certificates can be named: any other serial is a 404. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "notify/outbox.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/bireysel.h"

/* The reasons a holder may give for revocation (the form's `neden`). */
enum holder_reason {
	HR_ANAHTAR,
	HR_KAYIP_CALINTI,
	HR_BILGI_DEGISTI,
	HR_KULLANIM_SONA_ERDI,
	HR__MAX
};

static const struct {
	const char *code, *label;
	int pki_reason;
} holder_reasons[HR__MAX] = {
	[HR_ANAHTAR] = {"ANAHTAR", "Anahtar ele geçirildi", PKI_REASON_KEY_COMPROMISE},
	[HR_KAYIP_CALINTI] = {"KAYIP_CALINTI", "Kayıp/Çalıntı", PKI_REASON_KEY_COMPROMISE},
	[HR_BILGI_DEGISTI] = {"BILGI_DEGISTI", "Bilgiler değişti",
			      PKI_REASON_AFFILIATION_CHANGED},
	[HR_KULLANIM_SONA_ERDI] = {"KULLANIM_SONA_ERDI", "Kullanım sona erdi",
				   PKI_REASON_CESSATION},
};

static int holder_reason_parse(const char *s)
{
	for (int i = 0; s != NULL && i < HR__MAX; i++)
		if (strcmp(s, holder_reasons[i].code) == 0)
			return i;
	return -1;
}

/* What the holder sees of a certificate's state. */
enum cert_view { CV_GOOD, CV_HOLD, CV_REVOKED, CV_EXPIRED, CV__MAX };
static const char *const cert_view_codes[CV__MAX] = {"gecerli", "askida", "iptal",
						     "suresi_doldu"};
static const char *const cert_view_labels[CV__MAX] = {"Geçerli", "Askıda", "İptal edildi",
						      "Süresi doldu"};

static enum cert_view cert_view_of(enum pki_cert_status st, int64_t not_after, int64_t now)
{
	if (st == PKI_REVOKED)
		return CV_REVOKED;
	if (not_after <= now)
		return CV_EXPIRED;
	return st == PKI_HOLD ? CV_HOLD : CV_GOOD;
}

static const char *reason_label_tr(int reason)
{
	switch (reason) {
	case PKI_REASON_KEY_COMPROMISE:
		return "Anahtar ele geçirildi / Kayıp-Çalıntı";
	case PKI_REASON_AFFILIATION_CHANGED:
		return "Bilgiler değişti";
	case PKI_REASON_SUPERSEDED:
		return "Yerine yenisi verildi";
	case PKI_REASON_CESSATION:
		return "Kullanım sona erdi";
	case PKI_REASON_PRIVILEGE_WITHDRAWN:
		return "Yetki geri alındı";
	default:
		return "Belirtilmedi";
	}
}

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
	enum cert_view v = cert_view_of(c->status, c->not_after, x->now);
	tpl *row = tpl_add(x->t, "certs");
	tpl_set(row, "serial", c->serial_hex);
	tpl_set(row, "not_before", day_tr(x->r, c->not_before));
	tpl_set(row, "not_after", day_tr(x->r, c->not_after));
	tpl_set(row, "status_code", cert_view_codes[v]);
	tpl_set(row, "status", cert_view_labels[v]);
	if (v == CV_REVOKED)
		tpl_setf(row, "status_detail", "%s, %s", reason_label_tr(c->reason),
			 day_tr(x->r, c->revoked_at));
	if (v == CV_GOOD)
		tpl_set(row, "can_hold", "1");
	if (v == CV_HOLD)
		tpl_set(row, "can_release", "1");
	if (v == CV_GOOD || v == CV_HOLD)
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

/* ---- one certificate of the holder ---- */

struct own_cert {
	const char *serial;
	enum cert_view view;
};

/* Finds `seri` among the holder's certificates. 0 found; otherwise it
 * replies (404 for a serial that is not the holder's, 500) and returns -1. */
static int own_cert_or_reply(req *r, db *d, const struct application *app,
			     struct own_cert *c)
{
	const char *given = req_field(r, "seri");
	char serial[81];
	size_t n = given != NULL ? strlen(given) : 0;
	if (n == 0 || n >= sizeof serial) {
		reply_error(r, 404, "Bu seri numarasıyla size ait bir sertifika bulunamadı.");
		return -1;
	}
	for (size_t i = 0; i <= n; i++)
		serial[i] = (char)toupper((unsigned char)given[i]);
	db_stmt *st = db_prepare(d, "SELECT status, not_after FROM certificates "
				    "WHERE serial_hex = $1 AND tckn = $2");
	if (st == NULL) {
		reply_error(r, 500, "Sertifikanız okunamadı.");
		return -1;
	}
	db_bind_text(st, 1, serial);
	db_bind_text(st, 2, app->tckn);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *s = db_col_text(st, 0);
		enum pki_cert_status ps = PKI_GOOD;
		for (int i = 0; s != NULL && i < PKI_CERT_STATUS__MAX; i++)
			if (strcmp(s, pki_cert_status_names[i]) == 0)
				ps = (enum pki_cert_status)i;
		c->view = cert_view_of(ps, db_col_int64(st, 1), clock_now());
		c->serial = arena_strdup(req_arena(r), serial);
	}
	db_finalize(st);
	if (rc == DB_ROW)
		return 0;
	if (rc == DB_DONE)
		reply_error(r, 404, "Bu seri numarasıyla size ait bir sertifika bulunamadı.");
	else
		reply_error(r, 500, "Sertifikanız okunamadı.");
	return -1;
}

/* One status change of a holder's certificate. */
struct cert_action {
	int pki_reason;       /* for pki_revoke_tx */
	const char *action;   /* audit action */
	const char *before, *after;
	const char *msg_tpl;  /* templates/msg/<name>.txt */
	const char *reason_tr; /* revocation reason shown in the notice, or NULL */
	const char *flash;    /* shown on the list afterwards */
};

/* The change in one transaction, then the CRL/OCSP refresh. 0 done, 1
 * refused by the CA (message in err), -1 error. */
static int run_action(req *r, db *d, const struct application *app, const char *serial,
		      const struct cert_action *a, char *err, size_t n)
{
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "name", arena_printf(req_arena(r), "%s %s", app->ad, app->soyad));
	notify_vars_set(&vars, "serial", serial);
	notify_vars_set(&vars, "date", day_tr(r, clock_now()));
	if (a->reason_tr != NULL)
		notify_vars_set(&vars, "reason", a->reason_tr);
	if (db_begin(d) != 0) {
		snprintf(err, n, "Veritabanı meşgul.");
		return -1;
	}
	if (pki_revoke_tx(d, serial, a->pki_reason, 0, err, n) != 0) {
		db_rollback(d);
		return 1;
	}
	const char *reason = pki_reason_name(a->pki_reason);
	if (audit_append(d, &(struct audit_entry){
		    .actor = bireysel_actor(r, app), .client_ip = req_client_ip(r),
		    .object = arena_printf(req_arena(r), "certificate:%s", serial),
		    .action = a->action, .before = a->before, .after = a->after,
		    .detail = arena_printf(req_arena(r), "%s (NES Bireysel%s%s)", reason,
					   a->reason_tr ? ": " : "",
					   a->reason_tr ? a->reason_tr : "")}) != 0 ||
	    outbox_notify_applicant(d, app->channels, app->eposta, app->cep_tel, a->msg_tpl,
				    &vars, app->number) != 0 ||
	    db_commit(d) != 0) {
		db_rollback(d);
		snprintf(err, n, "İşlem kaydedilemedi.");
		return -1;
	}
	log_info("bireysel: %s %s by the holder", serial, reason);
	pki_after_revocation(d);
	return 0;
}

/* Runs `a` on the named certificate and goes back to the list. */
static void action_and_reply(req *r, unsigned allowed_views, const struct cert_action *a)
{
	db *d;
	struct application app;
	struct own_cert c;
	char err[256] = "";
	if (bireysel_holder_or_redirect(r, &d, &app) != 0 || own_cert_or_reply(r, d, &app, &c) != 0)
		return;
	if (!(allowed_views & (1u << c.view))) {
		session_set(r, "bireysel_flash", arena_printf(req_arena(r),
			    "Bu işlem sertifikanın şimdiki durumunda (%s) yapılamaz.",
			    cert_view_labels[c.view]));
		reply_redirect(r, "/bireysel/sertifikalar");
		return;
	}
	int rc = run_action(r, d, &app, c.serial, a, err, sizeof err);
	if (rc < 0) {
		log_error("bireysel: %s on %s failed: %s (%s)", a->action, c.serial, err,
			  db_errmsg(d));
		reply_error(r, 500, "İşlem tamamlanamadı. Lütfen tekrar deneyin.");
		return;
	}
	session_set(r, "bireysel_flash", rc == 0 ? a->flash : err);
	reply_redirect(r, "/bireysel/sertifikalar");
}

void bireysel_hold_post(req *r)
{
	static const struct cert_action a = {
		PKI_REASON_HOLD, "hold", "good", "hold", "cert_hold", NULL,
		"Sertifikanız askıya alındı. Askıda iken imza için kullanılamaz."};
	action_and_reply(r, 1u << CV_GOOD, &a);
}

void bireysel_release_post(req *r)
{
	static const struct cert_action a = {
		PKI_REASON_REMOVE_FROM_CRL, "release", "hold", "good", "cert_released", NULL,
		"Sertifikanız askıdan kaldırıldı ve yeniden geçerli."};
	action_and_reply(r, 1u << CV_HOLD, &a);
}

/* ---- revocation with a confirmation step ---- */

static void render_revoke(req *r, int status, const struct application *app,
			  const struct own_cert *c, const char *error)
{
	tpl *t = bireysel_tpl(r, app, "Sertifika İptali", "certs");
	tpl_set(t, "serial", c->serial);
	tpl_set(t, "status", cert_view_labels[c->view]);
	tpl_set(t, "error", error);
	const char *chosen = req_field(r, "neden");
	for (int i = 0; i < HR__MAX; i++) {
		tpl *o = tpl_add(t, "reasons");
		tpl_set(o, "code", holder_reasons[i].code);
		tpl_set(o, "label", holder_reasons[i].label);
		if (chosen != NULL && strcmp(chosen, holder_reasons[i].code) == 0)
			tpl_set(o, "selected", "1");
	}
	reply_page(r, status, "bireysel_iptal.html", t);
}

void bireysel_revoke_get(req *r)
{
	db *d;
	struct application app;
	struct own_cert c;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0 || own_cert_or_reply(r, d, &app, &c) != 0)
		return;
	if (c.view != CV_GOOD && c.view != CV_HOLD) {
		reply_redirect(r, "/bireysel/sertifikalar");
		return;
	}
	render_revoke(r, 200, &app, &c, NULL);
}

void bireysel_revoke_post(req *r)
{
	db *d;
	struct application app;
	struct own_cert c;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0 || own_cert_or_reply(r, d, &app, &c) != 0)
		return;
	int hr = holder_reason_parse(req_field(r, "neden"));
	const char *onay = req_field(r, "onay");
	if (hr < 0 || onay == NULL || strcmp(onay, "1") != 0) {
		render_revoke(r, 400, &app, &c, hr < 0 ? "İptal nedenini seçiniz."
						       : "İptal işlemini onaylamanız gerekir.");
		return;
	}
	struct cert_action a = {
		holder_reasons[hr].pki_reason, "revoke",
		c.view == CV_HOLD ? "hold" : "good", "revoked", "cert_revoked",
		holder_reasons[hr].label,
		hr == HR_KAYIP_CALINTI
			? "Sertifikanız iptal edildi. Yeni sertifika için Kayıp/Çalıntı "
			  "nedeniyle başvurabilirsiniz."
			: "Sertifikanız iptal edildi. Bu işlem geri alınamaz."};
	action_and_reply(r, (1u << CV_GOOD) | (1u << CV_HOLD), &a);
}
