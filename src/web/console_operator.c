/* CA operator (SM Operatörü): wet-signature paperwork, fees, production
 * (issue through the PKI layer), courier hand-over, delivery and returns.
 * Every step is one transaction: state change with the from-state check,
 * the row it records, the audit record and the applicant's notice. */
#include <stdio.h>
#include <string.h>

#include "domain/application.h"
#include "domain/date.h"
#include "domain/renewal.h"
#include "domain/trcase.h"
#include "notify/outbox.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "web/apply.h"
#include "web/console.h"

#define LIST_MAX 200

static const char *fmt_time(req *r, int64_t t)
{
	char d[17];
	if (t <= 0)
		return "";
	date_format_tr_time(t, d);
	return arena_strdup(req_arena(r), d);
}

static const char *field_or_empty(req *r, const char *name)
{
	const char *v = req_field(r, name);
	return v ? v : "";
}

/* Loads the application named by the `id` field for an operator. */
static int operator_app_or_reply(req *r, db *d, struct staff *who, struct application *app)
{
	if (console_staff_or_reply(r, d, CONSOLE_OPERATOR, who) != 0)
		return -1;
	return console_application_or_reply(r, d, who, console_parse_id(req_field(r, "id")), app);
}

static void back_to(req *r, const struct application *app, const char *flash)
{
	if (flash)
		console_flash(r, flash);
	reply_redirect(r, arena_printf(req_arena(r), "/konsol/basvuru/%lld", (long long)app->id));
}

/* Common ending of a step: 0 done, 1 refused, -1 failed. */
static void step_reply(req *r, const struct application *app, int rc, const char *done)
{
	if (rc < 0)
		reply_error(r, 500, "İşlem tamamlanamadı.");
	else if (rc == 1)
		reply_error(r, 409, "Bu işlem başvurunun şu anki durumunda yapılamaz.");
	else
		back_to(r, app, done);
}

/* ---- the facts shown on an application page ---- */

struct shipment {
	int64_t id, shipped_at, delivered_at, returned_at;
	const char *courier, *tracking_no, *status, *note;
};

static const char *shipment_status_tr(const char *s)
{
	static const struct {
		const char *code, *label;
	} m[] = {{"yolda", "Yolda"}, {"dagitimda", "Dağıtımda"}, {"teslim", "Teslim edildi"},
		 {"iade", "İade edildi"}};
	for (size_t i = 0; s && i < sizeof m / sizeof m[0]; i++)
		if (strcmp(s, m[i].code) == 0)
			return m[i].label;
	return s ? s : "";
}

/* The newest shipment of an application; 0 found, 1 none, -1 error. */
static int latest_shipment(req *r, db *d, int64_t app_id, struct shipment *s)
{
	arena *a = req_arena(r);
	memset(s, 0, sizeof *s);
	db_stmt *st = db_prepare(d, "SELECT id, courier, tracking_no, status, shipped_at, "
				    "delivered_at, returned_at, note FROM shipments "
				    "WHERE application_id = $1 ORDER BY id DESC LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, app_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->id = db_col_int64(st, 0);
		s->courier = arena_strdup(a, db_col_text(st, 1));
		s->tracking_no = arena_strdup(a, db_col_text(st, 2));
		s->status = arena_strdup(a, db_col_text(st, 3));
		s->shipped_at = db_col_int64(st, 4);
		s->delivered_at = db_col_int64(st, 5);
		s->returned_at = db_col_int64(st, 6);
		s->note = db_col_text(st, 7) ? arena_strdup(a, db_col_text(st, 7)) : "";
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

void console_operator_facts(req *r, db *d, tpl *t, const struct application *app)
{
	db_stmt *st = db_prepare(d, "SELECT dys_no, dys_date, post_no, recorded_by, recorded_at "
				    "FROM paperwork WHERE application_id = $1");
	if (st != NULL) {
		db_bind_int64(st, 1, app->id);
		if (db_step(st) == DB_ROW) {
			tpl_set(t, "paperwork", "1");
			tpl_set(t, "pw_dys_no", db_col_text(st, 0));
			tpl_set(t, "pw_dys_date", db_col_text(st, 1));
			tpl_set(t, "pw_post_no", db_col_text(st, 2));
			tpl_set(t, "pw_by", db_col_text(st, 3));
			tpl_set(t, "pw_at", fmt_time(r, db_col_int64(st, 4)));
		}
		db_finalize(st);
	}
	st = db_prepare(d, "SELECT amount_kurus, receipt_no, recorded_by, recorded_at "
			   "FROM payments WHERE application_id = $1");
	if (st != NULL) {
		db_bind_int64(st, 1, app->id);
		if (db_step(st) == DB_ROW) {
			char amount[32];
			fee_format_tl((long)db_col_int64(st, 0), amount);
			tpl_set(t, "payment", "1");
			tpl_set(t, "pay_amount", amount);
			tpl_set(t, "pay_receipt", db_col_text(st, 1));
			tpl_set(t, "pay_by", db_col_text(st, 2));
			tpl_set(t, "pay_at", fmt_time(r, db_col_int64(st, 3)));
		}
		db_finalize(st);
	}
	struct shipment s;
	if (latest_shipment(r, d, app->id, &s) == 0) {
		tpl_set(t, "shipment", "1");
		tpl_set(t, "sh_courier", s.courier);
		tpl_set(t, "sh_tracking", s.tracking_no);
		tpl_set(t, "sh_status", shipment_status_tr(s.status));
		tpl_set(t, "sh_shipped", fmt_time(r, s.shipped_at));
		tpl_set(t, "sh_delivered", fmt_time(r, s.delivered_at));
		tpl_set(t, "sh_returned", fmt_time(r, s.returned_at));
		tpl_set(t, "sh_note", s.note);
		tpl_set(t, "sh_url", arena_printf(req_arena(r), "/kurye-takip?takip_no=%s",
						  http_url_encode(req_arena(r), s.tracking_no)));
	}
}

void console_operator_detail(req *r, db *d, tpl *t, const struct application *app)
{
	console_operator_facts(r, d, t, app);
	int st = (int)app->state;
	if (st == APP_AWAITING_APPROVAL && (app->flags & APP_NEEDS_PAPERWORK))
		tpl_set(t, "can_paperwork", "1");
	if (st == APP_AWAITING_APPROVAL && (app->flags & APP_NEEDS_PAYMENT))
		tpl_set(t, "can_payment", "1");
	if (st == APP_APPROVED)
		tpl_set(t, "can_issue", "1");
	struct shipment s;
	int has = latest_shipment(r, d, app->id, &s);
	if (st == APP_PRODUCED || (st == APP_SHIPPED && has == 0 && strcmp(s.status, "iade") == 0))
		tpl_set(t, "can_ship", "1");
	if (st == APP_SHIPPED && has == 0 && strcmp(s.status, "iade") != 0)
		tpl_set(t, "can_deliver", "1");
}

/* ---- the operator's queues ---- */

static const struct {
	const char *code, *title, *where;
} lists[] = {
	{"evrak", "Islak imzalı evrak bekleyenler",
	 "state = 'AWAITING_APPROVAL' AND (flags / 2) % 2 = 1"},
	{"odeme", "Ücret ödemesi bekleyenler", "state = 'AWAITING_APPROVAL' AND (flags / 4) % 2 = 1"},
	{"uretim", "Üretim kuyruğu (onaylananlar)", "state = 'APPROVED'"},
	{"kargo", "Kargoya verilecekler (üretilenler)", "state = 'PRODUCED'"},
	{"yolda", "Kargodakiler", "state = 'SHIPPED'"},
};
#define NLISTS (sizeof lists / sizeof lists[0])

void console_operator_get(req *r)
{
	struct staff who;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_OPERATOR | CONSOLE_ADMIN, &who) != 0)
		return;
	const char *which = field_or_empty(r, "liste");
	size_t k = 0;
	for (size_t i = 0; i < NLISTS; i++)
		if (strcmp(which, lists[i].code) == 0)
			k = i;
	/* The WHERE clauses are constants of this file, never request text. */
	const char *sql = arena_printf(req_arena(r),
				       "SELECT id, number, tckn, ad, soyad, kurum_adi, fee_kurus, "
				       "updated_at FROM applications WHERE %s "
				       "ORDER BY updated_at, id LIMIT $1", lists[k].where);
	db_stmt *st = db_prepare(d, sql);
	if (st == NULL) {
		reply_error(r, 500, "Liste okunamadı.");
		return;
	}
	db_bind_int64(st, 1, LIST_MAX);
	int csv = console_want_csv(r), n = 0;
	buf b;
	static const char *const head[] = {"Başvuru No", "T.C. Kimlik No", "Ad", "Soyad",
					   "Kurum", "Ücret", "Son İşlem"};
	tpl *t = console_tpl(r, &who, "SM Operatör İşlemleri");
	if (csv) {
		console_csv_start(&b);
		console_csv_row(&b, head, 7);
	}
	while (db_step(st) == DB_ROW) {
		char fee[32];
		fee_format_tl((long)db_col_int64(st, 6), fee);
		if (csv) {
			const char *cells[7] = {db_col_text(st, 1), db_col_text(st, 2),
						db_col_text(st, 3), db_col_text(st, 4),
						db_col_text(st, 5), fee,
						fmt_time(r, db_col_int64(st, 7))};
			console_csv_row(&b, cells, 7);
			continue;
		}
		tpl *item = tpl_add(t, "rows");
		tpl_set_int(item, "id", db_col_int64(st, 0));
		tpl_set(item, "number", db_col_text(st, 1));
		tpl_set(item, "tckn", db_col_text(st, 2));
		tpl_setf(item, "name", "%s %s", db_col_text(st, 3), db_col_text(st, 4));
		tpl_set(item, "kurum", db_col_text(st, 5));
		tpl_set(item, "fee", fee);
		tpl_set(item, "updated", fmt_time(r, db_col_int64(st, 7)));
		n++;
	}
	db_finalize(st);
	if (csv) {
		console_csv_reply(r, &b, arena_printf(req_arena(r), "%s.csv", lists[k].code));
		return;
	}
	for (size_t i = 0; i < NLISTS; i++) {
		tpl *tab = tpl_add(t, "tabs");
		tpl_setf(tab, "url", "/konsol/operator?liste=%s", lists[i].code);
		tpl_set(tab, "label", lists[i].title);
		if (i == k)
			tpl_set(tab, "current", "1");
	}
	tpl_set(t, "list_title", lists[k].title);
	tpl_setf(t, "csv_url", "/konsol/operator?liste=%s&bicim=csv", lists[k].code);
	if (n == 0)
		tpl_set(t, "empty", "1");
	reply_page(r, 200, "konsol_operator.html", t);
}

/* ---- paperwork ---- */

struct paperwork {
	int64_t app_id;
	const char *dys_no, *dys_date, *post_no, *by;
};

static int insert_paperwork(db *d, void *ctx)
{
	const struct paperwork *p = ctx;
	db_stmt *st = db_prepare(d, "INSERT INTO paperwork (application_id, dys_no, dys_date, "
				    "post_no, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, p->app_id);
	db_bind_text(st, 2, p->dys_no);
	db_bind_text(st, 3, p->dys_date);
	db_bind_text(st, 4, p->post_no);
	db_bind_text(st, 5, p->by);
	db_bind_int64(st, 6, clock_now());
	int rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

void console_paperwork_post(req *r)
{
	struct staff who;
	struct application app;
	struct notify_vars vars = {0};
	db *d = console_db_or_reply(r);
	if (d == NULL || operator_app_or_reply(r, d, &who, &app) != 0)
		return;
	struct paperwork p = {app.id, field_or_empty(r, "dys_no"), field_or_empty(r, "dys_tarihi"),
			      field_or_empty(r, "posta_no"), who.actor};
	int y, m, dd;
	if (*p.dys_no == '\0' || *p.post_no == '\0' || date_parse(p.dys_date, &y, &m, &dd) != 0) {
		back_to(r, &app, "Evrak kaydı için DYS sayısı, DYS tarihi (GG.AA.YYYY) ve iadeli "
				 "taahhütlü posta numarası zorunludur.");
		return;
	}
	p.dys_date = arena_printf(req_arena(r), "%04d-%02d-%02d", y, m, dd);
	if (!(app.flags & APP_NEEDS_PAPERWORK)) {
		reply_error(r, 409, "Bu başvuru ıslak imzalı evrak beklemiyor.");
		return;
	}
	const char *note = arena_printf(req_arena(r), "Islak imzalı evrak alındı (DYS %s, %s; "
						      "posta %s)", p.dys_no, p.dys_date, p.post_no);
	int rc = console_apply_event(r, d, &who, &app, EV_PAPERWORK_RECEIVED, "paperwork_received",
				     note, "paperwork_received", &vars, insert_paperwork, &p);
	step_reply(r, &app, rc, "Evrak kaydedildi.");
}

/* ---- payments ---- */

struct payment {
	int64_t app_id, amount;
	const char *receipt, *by;
};

static int insert_payment(db *d, void *ctx)
{
	const struct payment *p = ctx;
	db_stmt *st = db_prepare(d, "INSERT INTO payments (application_id, amount_kurus, "
				    "receipt_no, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, p->app_id);
	db_bind_int64(st, 2, p->amount);
	db_bind_text(st, 3, p->receipt);
	db_bind_text(st, 4, p->by);
	db_bind_int64(st, 5, clock_now());
	int rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

void console_payment_post(req *r)
{
	struct staff who;
	struct application app;
	struct notify_vars vars = {0};
	db *d = console_db_or_reply(r);
	if (d == NULL || operator_app_or_reply(r, d, &who, &app) != 0)
		return;
	long kurus = -1;
	char due[32], paid[32];
	const char *receipt = field_or_empty(r, "makbuz_no");
	fee_format_tl((long)app.fee_kurus, due);
	if (fee_parse_tl(field_or_empty(r, "tutar"), &kurus) != 0 || kurus != app.fee_kurus ||
	    *receipt == '\0') {
		back_to(r, &app, arena_printf(req_arena(r), "Ödeme kaydedilemedi: tutar başvurunun "
							    "ücretine (%s) eşit olmalı ve makbuz "
							    "numarası girilmelidir.", due));
		return;
	}
	if (!(app.flags & APP_NEEDS_PAYMENT)) {
		reply_error(r, 409, "Bu başvuru ücret ödemesi beklemiyor.");
		return;
	}
	fee_format_tl(kurus, paid);
	notify_vars_set(&vars, "amount", paid);
	struct payment p = {app.id, kurus, receipt, who.actor};
	const char *note = arena_printf(req_arena(r), "Ücret ödendi: %s (makbuz %s)", paid, receipt);
	int rc = console_apply_event(r, d, &who, &app, EV_PAYMENT_RECEIVED, "payment_received",
				     note, "payment_received", &vars, insert_payment, &p);
	step_reply(r, &app, rc, "Ödeme kaydedildi.");
}

/* ---- production ---- */

struct issue_ctx {
	req *r;
	const struct application *app;
	const char *csr;
	char serial[81];
	char err[256];
};

static int issue_certificate(db *d, void *ctx)
{
	struct issue_ctx *c = ctx;
	char given[256], sur[256];
	struct pki_issued out;
	memset(&out, 0, sizeof out);
	if (trcase_upper(c->app->ad, given, sizeof given) != 0 ||
	    trcase_upper(c->app->soyad, sur, sizeof sur) != 0) {
		snprintf(c->err, sizeof c->err, "Ad ya da soyad sertifikaya yazılamadı.");
		return -1;
	}
	struct pki_issue_req rq = {
		.csr_pem = c->csr, .tckn = c->app->tckn, .given_name = given, .surname = sur,
		.years = (int)c->app->years, .application_id = c->app->id, .email = c->app->eposta,
		.not_before = apply_new_not_before(d, c->app)};
	if (pki_issue(d, &rq, &out, c->err, sizeof c->err) != 0)
		return -1;
	snprintf(c->serial, sizeof c->serial, "%s", out.serial_hex);
	pki_issued_free(&out);
	return 0;
}

void console_issue_post(req *r)
{
	struct staff who;
	struct application app;
	struct notify_vars vars = {0};
	db *d = console_db_or_reply(r);
	if (d == NULL || operator_app_or_reply(r, d, &who, &app) != 0)
		return;
	struct issue_ctx c = {.r = r, .app = &app, .csr = field_or_empty(r, "csr")};
	if (strstr(c.csr, "-----BEGIN CERTIFICATE REQUEST-----") == NULL) {
		back_to(r, &app, "Sertifika üretimi için kartta üretilen anahtarın sertifika "
				 "isteğini (PKCS#10, PEM) yapıştırınız.");
		return;
	}
	int rc = console_apply_event(r, d, &who, &app, EV_PRODUCED, "produced",
				     "Sertifika ve kart üretildi", "produced", &vars,
				     issue_certificate, &c);
	if (rc < 0 && c.err[0]) {
		back_to(r, &app, arena_printf(req_arena(r), "Sertifika üretilemedi: %s", c.err));
		return;
	}
	step_reply(r, &app, rc, arena_printf(req_arena(r), "Sertifika üretildi (seri %s).",
					     c.serial));
}

/* ---- courier ---- */

struct ship_ctx {
	int64_t app_id;
	const char *courier, *tracking_no;
	int dup; /* the tracking number is taken */
};

static int insert_shipment(db *d, void *ctx)
{
	struct ship_ctx *s = ctx;
	int64_t now = clock_now(), id = 0;
	db_stmt *st = db_prepare(d, "INSERT INTO shipments (application_id, courier, tracking_no, "
				    "status, shipped_at) VALUES ($1, $2, $3, 'yolda', $4) "
				    "RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, s->app_id);
	db_bind_text(st, 2, s->courier);
	db_bind_text(st, 3, s->tracking_no);
	db_bind_int64(st, 4, now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		id = db_col_int64(st, 0);
	db_finalize(st);
	if (rc == DB_CONSTRAINT)
		s->dup = 1;
	if (id <= 0)
		return -1;
	st = db_prepare(d, "INSERT INTO shipment_events (shipment_id, at, status, location, note) "
			   "VALUES ($1, $2, 'yolda', NULL, $3)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, "Gönderi kuryeye teslim edildi");
	rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

/* A tracking number: 4..40 of [A-Za-z0-9-]. */
static int tracking_no_valid(const char *s)
{
	size_t n = strlen(s);
	if (n < 4 || n > 40)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Ships again after a return: no state change, one transaction. */
static int reship(req *r, db *d, const struct staff *who, const struct application *app,
		  struct ship_ctx *s, struct notify_vars *vars)
{
	arena *a = req_arena(r);
	notify_vars_set(vars, "name", arena_printf(a, "%s %s", app->ad, app->soyad));
	notify_vars_set(vars, "application_no", app->number);
	if (db_begin(d) != 0)
		return -1;
	int rc = insert_shipment(d, s);
	if (rc == 0)
		rc = audit_append(d, &(struct audit_entry){
			.actor = who->actor, .client_ip = req_client_ip(r),
			.object = arena_printf(a, "application:%s", app->number),
			.action = "reshipped", .before = app_state_name(app->state), .after = app_state_name(app->state),
			.detail = arena_printf(a, "%s %s", s->courier, s->tracking_no)});
	if (rc == 0)
		rc = outbox_notify_applicant(d, app->channels, app->eposta, app->cep_tel,
					     "shipped", vars, app->number);
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		return -1;
	}
	return 0;
}

void console_ship_post(req *r)
{
	struct staff who;
	struct application app;
	struct notify_vars vars = {0};
	struct shipment last;
	db *d = console_db_or_reply(r);
	if (d == NULL || operator_app_or_reply(r, d, &who, &app) != 0)
		return;
	struct ship_ctx s = {app.id, field_or_empty(r, "kurye"), field_or_empty(r, "takip_no"), 0};
	if (*s.courier == '\0' || !tracking_no_valid(s.tracking_no)) {
		back_to(r, &app, "Kurye firması ve takip numarası (4-40 harf, rakam ya da tire) "
				 "zorunludur.");
		return;
	}
	arena *a = req_arena(r);
	notify_vars_set(&vars, "tracking_no", s.tracking_no);
	notify_vars_set(&vars, "tracking_url",
			arena_printf(a, "%s/kurye-takip?takip_no=%s", config_get("server.base_url"),
				     http_url_encode(a, s.tracking_no)));
	const char *note = arena_printf(a, "Kargoya verildi: %s, takip no %s", s.courier,
					s.tracking_no);
	int rc;
	if (app.state == APP_SHIPPED && latest_shipment(r, d, app.id, &last) == 0 &&
	    strcmp(last.status, "iade") == 0)
		rc = reship(r, d, &who, &app, &s, &vars);
	else
		rc = console_apply_event(r, d, &who, &app, EV_SHIPPED, "shipped", note, "shipped",
					 &vars, insert_shipment, &s);
	if (s.dup) {
		back_to(r, &app, "Bu takip numarası başka bir gönderide kullanılıyor.");
		return;
	}
	step_reply(r, &app, rc, "Gönderi kuryeye verildi.");
}

void console_delivered_post(req *r)
{
	struct staff who;
	struct application app;
	struct shipment s;
	db *d = console_db_or_reply(r);
	if (d == NULL || operator_app_or_reply(r, d, &who, &app) != 0)
		return;
	if (latest_shipment(r, d, app.id, &s) != 0) {
		reply_error(r, 409, "Bu başvurunun gönderisi yok.");
		return;
	}
	int rc = tracking_record_event(r, d, &who, s.tracking_no, "teslim", NULL,
				       "Teslim edildi (SM operatörü kaydetti)", clock_now());
	step_reply(r, &app, rc, "Teslim kaydedildi.");
}

void console_returned_post(req *r)
{
	struct staff who;
	struct application app;
	struct shipment s;
	db *d = console_db_or_reply(r);
	if (d == NULL || operator_app_or_reply(r, d, &who, &app) != 0)
		return;
	if (app.state != APP_SHIPPED || latest_shipment(r, d, app.id, &s) != 0) {
		reply_error(r, 409, "Bu başvurunun yoldaki bir gönderisi yok.");
		return;
	}
	const char *note = field_or_empty(r, "not");
	int rc = tracking_record_event(r, d, &who, s.tracking_no, "iade", NULL,
				       *note ? note : "Gönderi iade edildi", clock_now());
	step_reply(r, &app, rc, "İade kaydedildi; kart yeniden kargoya verilebilir.");
}
