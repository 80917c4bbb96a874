/* NES Bireysel: "Kurye Takip" (the holder's shipments), "İletişim
 * Bilgilerim" (e-posta, cep telefonu, bilgi kanalı on the holder record; a
 * new mobile number takes effect only after a code sent to it is entered)
 * and the PIN explanation page. */
#include <stdio.h>
#include <string.h>

#include "app/otp.h"
#include "domain/form.h"
#include "domain/date.h"
#include "domain/email.h"
#include "domain/phone.h"
#include "notify/outbox.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/bireysel.h"
#include "web/web.h"
#include "web/console.h"

/* ---- Kurye Takip ---- */

static const struct {
	const char *code, *label;
} ship_statuses[] = {{"yolda", "Yolda"},
		     {"dagitimda", "Dağıtımda"},
		     {"teslim", "Teslim edildi"},
		     {"iade", "İade edildi"}};

static const char *ship_label(const char *code)
{
	for (size_t i = 0; code != NULL && i < sizeof ship_statuses / sizeof ship_statuses[0];
	     i++)
		if (strcmp(code, ship_statuses[i].code) == 0)
			return ship_statuses[i].label;
	return code != NULL ? code : "";
}

void bireysel_courier_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	tpl *t = bireysel_tpl(r, &app, "Kurye Takip", "courier");
	db_stmt *st = db_prepare(d, "SELECT s.tracking_no, s.courier, s.status, s.shipped_at, "
				    "a.number FROM shipments s JOIN applications a "
				    "ON a.id = s.application_id WHERE a.tckn = $1 "
				    "ORDER BY s.shipped_at DESC, s.id DESC");
	if (st == NULL) {
		reply_error(r, 500, "Gönderileriniz okunamadı.");
		return;
	}
	db_bind_text(st, 1, app.tckn);
	int rc, n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		n++;
		tpl *row = tpl_add(t, "shipments");
		const char *no = db_col_text(st, 0);
		char when[17];
		date_format_tr_time(db_col_int64(st, 3), when);
		tpl_set(row, "tracking_no", no);
		tpl_set(row, "url", arena_printf(req_arena(r), "/kurye-takip?takip_no=%s",
						 http_url_encode(req_arena(r), no)));
		tpl_set(row, "courier", db_col_text(st, 1));
		tpl_set(row, "status", ship_label(db_col_text(st, 2)));
		tpl_set(row, "shipped", when);
		tpl_set(row, "application_no", db_col_text(st, 4));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		reply_error(r, 500, "Gönderileriniz okunamadı.");
		return;
	}
	tpl_set_int(t, "has_shipments", n);
	reply_page(r, 200, "bireysel_kurye.html", t);
}

/* ---- İletişim Bilgilerim ---- */

static const struct {
	const char *code, *label;
} channels[] = {{"EPOSTA", "E-posta"}, {"SMS", "SMS"}, {"IKISI", "E-posta ve SMS"}};

struct contact {
	const char *eposta, *cep_tel, *bilgi_kanali; /* cep_tel: 10 digits */
};

static void render_contact(req *r, int status, const struct application *app,
			   const struct contact *shown, const char *error, int code_sent)
{
	tpl *t = bireysel_tpl(r, app, "İletişim Bilgilerim", "contact");
	char masked[32];
	tpl_set(t, "eposta", shown->eposta);
	tpl_set(t, "cep_tel", shown->cep_tel);
	for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++) {
		tpl *o = tpl_add(t, "channels");
		tpl_set(o, "code", channels[i].code);
		tpl_set(o, "label", channels[i].label);
		if (shown->bilgi_kanali != NULL && strcmp(shown->bilgi_kanali, channels[i].code) == 0)
			tpl_set(o, "selected", "1");
	}
	tpl_set(t, "error", error);
	if (code_sent) {
		const char *pending = session_get(r, "bireysel_new_tel");
		phone_mask(pending != NULL ? pending : "", masked);
		tpl_set(t, "code_sent", "1");
		tpl_set(t, "new_masked", masked);
	}
	reply_page(r, status, "bireysel_iletisim.html", t);
}

static void clear_pending(req *r)
{
	session_set(r, "bireysel_new_eposta", NULL);
	session_set(r, "bireysel_new_tel", NULL);
	session_set(r, "bireysel_new_kanal", NULL);
}

void bireysel_contact_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	clear_pending(r);
	struct contact cur = {app.eposta, app.cep_tel, form_channel_name(app.channels)};
	render_contact(r, 200, &app, &cur, NULL, 0);
}

/* Validates the form into c (cep_tel normalised into tel). NULL if valid,
 * else the Turkish message. */
static const char *contact_check(req *r, struct contact *c, char tel[11])
{
	c->eposta = req_field(r, "eposta");
	c->bilgi_kanali = req_field(r, "bilgi_kanali");
	c->cep_tel = req_field(r, "cep_tel");
	if (!email_valid(c->eposta))
		return "E-posta adresi geçerli değil (ör. ad.soyad@meb.gov.tr).";
	if (phone_normalize_mobile(c->cep_tel, tel) != 0)
		return "Cep Telefonu 5XX XXX XX XX biçiminde bir cep telefonu numarası olmalıdır.";
	c->cep_tel = tel;
	for (size_t i = 0; i < sizeof channels / sizeof channels[0]; i++)
		if (c->bilgi_kanali != NULL && strcmp(c->bilgi_kanali, channels[i].code) == 0)
			return NULL;
	return "Bilgi Kanalı seçiniz.";
}

/* The change on the holder record, its audit record and a notice through
 * the OLD contact details (so a hijacked session does not go unnoticed),
 * in one transaction. 0 or -1. */
static int contact_apply(req *r, db *d, const struct application *app, const struct contact *c)
{
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "name", arena_printf(req_arena(r), "%s %s", app->ad, app->soyad));
	char when[17];
	date_format_tr_time(clock_now(), when);
	notify_vars_set(&vars, "date", when);
	const char *changed = arena_printf(
		req_arena(r), "%s%s%s", strcmp(app->eposta, c->eposta) ? "eposta " : "",
		strcmp(app->cep_tel, c->cep_tel) ? "cep_tel " : "",
		strcmp(form_channel_name(app->channels), c->bilgi_kanali) ? "bilgi_kanali" : "");
	if (db_begin(d) != 0)
		return -1;
	db_stmt *st = db_prepare(d, "UPDATE applications SET eposta = $1, cep_tel = $2, "
				    "bilgi_kanali = $3, updated_at = $4 WHERE id = $5");
	int rc = -1;
	if (st != NULL) {
		db_bind_text(st, 1, c->eposta);
		db_bind_text(st, 2, c->cep_tel);
		db_bind_text(st, 3, c->bilgi_kanali);
		db_bind_int64(st, 4, clock_now());
		db_bind_int64(st, 5, app->id);
		rc = db_step(st) == DB_DONE ? 0 : -1;
		db_finalize(st);
	}
	if (rc != 0 ||
	    audit_append(d, &(struct audit_entry){
				    .actor = bireysel_actor(r, app), .client_ip = req_client_ip(r),
				    .object = arena_printf(req_arena(r), "application:%s",
							   app->number),
				    .action = "contact_update", .detail = changed}) != 0 ||
	    outbox_notify_applicant(d, app->channels, app->eposta, app->cep_tel,
				    "contact_changed", &vars, app->number) != 0 ||
	    db_commit(d) != 0) {
		db_rollback(d);
		log_error("bireysel: contact update of %s failed: %s", app->number, db_errmsg(d));
		return -1;
	}
	return 0;
}

static void contact_done(req *r, db *d, const struct application *app, const struct contact *c)
{
	clear_pending(r);
	if (contact_apply(r, d, app, c) != 0) {
		reply_error(r, 500, "İletişim bilgileriniz kaydedilemedi. Lütfen tekrar deneyin.");
		return;
	}
	session_set(r, "bireysel_flash", "İletişim bilgileriniz güncellendi.");
	reply_redirect(r, "/bireysel/iletisim");
}

void bireysel_contact_post(req *r)
{
	db *d;
	struct application app;
	struct contact c;
	char tel[11];
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	const char *error = contact_check(r, &c, tel);
	if (error != NULL) {
		struct contact shown = {req_field(r, "eposta"), req_field(r, "cep_tel"),
					req_field(r, "bilgi_kanali")};
		render_contact(r, 400, &app, &shown, error, 0);
		return;
	}
	if (strcmp(c.cep_tel, app.cep_tel) == 0) {
		contact_done(r, d, &app, &c);
		return;
	}
	/* A new number: it must receive a code first. */
	session_set(r, "bireysel_new_eposta", c.eposta);
	session_set(r, "bireysel_new_tel", c.cep_tel);
	session_set(r, "bireysel_new_kanal", c.bilgi_kanali);
	struct uc_ctx uc;
	bireysel_uc_ctx(r, &uc, &app);
	enum uc_rc rc = otp_send(&uc, &app, OTP_CONTACT_CHANGE, c.cep_tel, 1);
	if (rc != UC_OK && rc != UC_LIMITED) {
		reply_error(r, 500, "SMS kodu gönderilemedi. Lütfen tekrar deneyin.");
		return;
	}
	render_contact(r, rc == UC_OK ? 200 : 400, &app, &c, uc.message, 1);
}

void bireysel_contact_sms_post(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	struct contact c = {session_get(r, "bireysel_new_eposta"),
			    session_get(r, "bireysel_new_tel"),
			    session_get(r, "bireysel_new_kanal")};
	if (c.eposta == NULL || c.cep_tel == NULL || c.bilgi_kanali == NULL) {
		reply_redirect(r, "/bireysel/iletisim");
		return;
	}
	struct uc_ctx uc;
	const char *action = req_field(r, "islem");
	int resend = action != NULL && strcmp(action, "gonder") == 0;
	enum uc_rc rc;
	bireysel_uc_ctx(r, &uc, &app);
	if (resend)
		rc = otp_send(&uc, &app, OTP_CONTACT_CHANGE, c.cep_tel, 0);
	else
		rc = otp_check(&uc, &app, OTP_CONTACT_CHANGE, req_field(r, "sms_kodu"));
	if (rc == UC_OK && !resend) {
		contact_done(r, d, &app, &c);
		return;
	}
	if (rc != UC_OK && rc != UC_INVALID && rc != UC_LIMITED) {
		web_reply_uc(r, &uc, rc);
		return;
	}
	render_contact(r, rc == UC_OK ? 200 : 400, &app, &c, uc.message, 1);
}

/* ---- PIN ---- */

void bireysel_pin_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	reply_page(r, 200, "bireysel_pin.html", bireysel_tpl(r, &app, "PIN İşlemleri", "pin"));
}
