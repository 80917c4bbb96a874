/* CA operator (SM Operatörü): wet-signature paperwork, fees, production
 * (issue through the PKI layer), courier hand-over, delivery and returns.
 * The rules and the one-transaction steps are in app/operator.c; these
 * handlers check the role, read the form, make one call and render. */
#include <stdio.h>
#include <string.h>

#include "app/card.h"
#include "app/operator.h"
#include "domain/date.h"
#include "domain/renewal.h"
#include "domain/shipment.h"
#include "util/config.h"
#include "web/console.h"
#include "web/web.h"

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

/* A use-case context acting as this staff member. */
static void staff_ctx(req *r, const struct staff *who, struct uc_ctx *c)
{
	web_uc_ctx(r, c, who->actor, who->label);
}

/* Loads the application named by the `id` field for an operator and makes
 * the use-case context. */
static int operator_app_or_reply(req *r, db **d, struct uc_ctx *c, struct staff *who,
				 struct application *app)
{
	if ((*d = web_db_or_reply(r)) == NULL ||
	    console_staff_or_reply(r, *d, CONSOLE_OPERATOR, who) != 0)
		return -1;
	if (console_application_or_reply(r, *d, who, console_parse_id(req_field(r, "id")), app) !=
	    0)
		return -1;
	staff_ctx(r, who, c);
	return 0;
}

static void back_to(req *r, const struct application *app, const char *flash)
{
	if (flash)
		console_flash(r, flash);
	reply_redirect(r, arena_printf(req_arena(r), "/konsol/basvuru/%lld", (long long)app->id));
}

/* Common ending of a step: back to the application with `done`; input the
 * rules refused goes back there as a flash message; the rest is
 * web_reply_uc's. */
static void step_reply(req *r, const struct uc_ctx *c, const struct application *app, enum uc_rc rc,
		       const char *done)
{
	if (rc == UC_OK) {
		back_to(r, app, done);
	} else if (rc == UC_INVALID) {
		/* shown as an error (role=alert), what was typed kept */
		console_drafts_keep(r, c->field, c->message);
		back_to(r, app, NULL);
	} else
		web_reply_uc(r, c, rc);
}

/* ---- the facts shown on an application page ---- */

static void set_facts(req *r, tpl *t, const struct op_facts *f)
{
	if (f->has_paperwork) {
		tpl_set(t, "paperwork", "1");
		tpl_set(t, "pw_dys_no", f->paperwork.dys_no);
		tpl_set(t, "pw_dys_date", f->paperwork.dys_date);
		tpl_set(t, "pw_post_no", f->paperwork.post_no);
		tpl_set(t, "pw_by", f->paperwork.recorded_by);
		tpl_set(t, "pw_at", fmt_time(r, f->paperwork.recorded_at));
	}
	if (f->has_payment) {
		char amount[32];
		fee_format_tl((long)f->payment.amount_kurus, amount);
		tpl_set(t, "payment", "1");
		tpl_set(t, "pay_amount", amount);
		tpl_set(t, "pay_receipt", f->payment.receipt_no);
		tpl_set(t, "pay_by", f->payment.recorded_by);
		tpl_set(t, "pay_at", fmt_time(r, f->payment.recorded_at));
	}
	if (f->has_shipment) {
		const struct shipment *s = &f->shipment;
		tpl_set(t, "shipment", "1");
		tpl_set(t, "sh_courier", s->courier);
		tpl_set(t, "sh_tracking", s->tracking_no);
		tpl_set(t, "sh_status", ship_status_label_tr(s->status));
		tpl_set(t, "sh_shipped", fmt_time(r, s->shipped_at));
		tpl_set(t, "sh_delivered", fmt_time(r, s->delivered_at));
		tpl_set(t, "sh_returned", fmt_time(r, s->returned_at));
		tpl_set(t, "sh_note", s->note);
		tpl_set(t, "sh_url",
			arena_printf(req_arena(r), "/kurye-takip?takip_no=%s",
				     http_url_encode(req_arena(r), s->tracking_no)));
	}
}

/* The facts, or 0 when they cannot be read (the page shows none). */
static int load_facts(req *r, db *d, const struct application *app, struct op_facts *f)
{
	struct uc_ctx c;
	uc_ctx_init(&c, d, req_arena(r), "konsol", "SM Operatörü", req_client_ip(r));
	return operator_facts(&c, app, f) == UC_OK;
}

void console_operator_facts(req *r, db *d, tpl *t, const struct application *app)
{
	struct op_facts f;
	if (load_facts(r, d, app, &f))
		set_facts(r, t, &f);
}

void console_operator_detail(req *r, db *d, tpl *t, const struct application *app)
{
	struct op_facts f;
	struct op_actions can;
	if (!load_facts(r, d, app, &f))
		memset(&f, 0, sizeof f);
	set_facts(r, t, &f);
	operator_actions(app, &f, &can);
	const struct {
		int on;
		const char *name;
	} flags[] = {{can.paperwork, "can_paperwork"},
		     {can.payment, "can_payment"},
		     {can.produce, "can_issue"},
		     {can.ship, "can_ship"},
		     {can.deliver, "can_deliver"}};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (flags[i].on)
			tpl_set(t, flags[i].name, "1");
	const char *card_serial = NULL, *card_cert = NULL;
	if (card_of_application(d, req_arena(r), app->id, &card_serial, &card_cert) == 0) {
		tpl_set(t, "card_serial", card_serial);
		tpl_set(t, "card_cert", card_cert ? card_cert : "");
	}
	if (can.produce) {
		struct uc_ctx c;
		uc_ctx_init(&c, d, req_arena(r), "konsol", "SM Operatörü", req_client_ip(r));
		if (card_is_queued(&c, app) == 1)
			tpl_set(t, "card_queued", "1");
	}
}

/* ---- the operator's queues ---- */

static const struct {
	const char *code, *title;
	enum op_queue q;
} lists[] = {
	{"evrak", "Islak imzalı evrak bekleyenler", OPQ_PAPERWORK},
	{"odeme", "Ücret ödemesi bekleyenler", OPQ_PAYMENT},
	{"uretim", "Üretim kuyruğu (onaylananlar)", OPQ_PRODUCTION},
	{"kargo", "Kargoya verilecekler (üretilenler)", OPQ_SHIPPING},
	{"yolda", "Kargodakiler", OPQ_IN_TRANSIT},
};
#define NLISTS (sizeof lists / sizeof lists[0])

struct queue_out {
	req *r;
	tpl *t;
	buf *csv; /* NULL: HTML rows */
	int n;
};

static void queue_row(void *ctx, const struct application *a)
{
	struct queue_out *o = ctx;
	char fee[32];
	fee_format_tl((long)a->fee_kurus, fee);
	const char *updated = fmt_time(o->r, a->updated_at);
	o->n++;
	if (o->csv != NULL) {
		const char *cells[7] = {a->number,    a->tckn, a->ad,  a->soyad,
					a->kurum_adi, fee,     updated};
		console_csv_row(o->csv, cells, 7);
		return;
	}
	tpl *item = tpl_add(o->t, "rows");
	tpl_set_int(item, "id", a->id);
	tpl_set(item, "number", a->number);
	tpl_set(item, "tckn", a->tckn);
	tpl_setf(item, "name", "%s %s", a->ad, a->soyad);
	tpl_set(item, "kurum", a->kurum_adi);
	tpl_set(item, "fee", fee);
	tpl_set(item, "updated", updated);
}

void console_operator_get(req *r)
{
	struct staff who;
	struct uc_ctx c;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_OPERATOR | CONSOLE_ADMIN, &who) != 0)
		return;
	staff_ctx(r, &who, &c);
	const char *which = field_or_empty(r, "liste");
	size_t k = 0;
	for (size_t i = 0; i < NLISTS; i++)
		if (strcmp(which, lists[i].code) == 0)
			k = i;
	buf b;
	static const char *const head[] = {"Başvuru No", "T.C. Kimlik No", "Ad",       "Soyad",
					   "Kurum",	 "Ücret",	   "Son İşlem"};
	tpl *t = console_tpl(r, &who, "SM Operatör İşlemleri");
	struct queue_out out = {r, t, NULL, 0};
	if (console_want_csv(r)) {
		console_csv_start(&b);
		console_csv_row(&b, head, 7);
		out.csv = &b;
	}
	enum uc_rc rc = operator_queue(&c, lists[k].q, LIST_MAX, queue_row, &out);
	if (rc != UC_OK) {
		if (out.csv != NULL)
			buf_free(&b);
		web_reply_uc(r, &c, rc);
		return;
	}
	if (out.csv != NULL) {
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
	if (out.n == 0)
		tpl_set(t, "empty", "1");
	reply_page(r, 200, "konsol_operator.html", t);
}

/* ---- the steps ---- */

void console_paperwork_post(req *r)
{
	db *d;
	struct uc_ctx c;
	struct staff who;
	struct application app;
	if (operator_app_or_reply(r, &d, &c, &who, &app) != 0)
		return;
	struct op_paperwork in = {field_or_empty(r, "dys_no"), field_or_empty(r, "dys_tarihi"),
				  field_or_empty(r, "posta_no")};
	step_reply(r, &c, &app, operator_record_paperwork(&c, &app, &in), "Evrak kaydedildi.");
}

void console_payment_post(req *r)
{
	db *d;
	struct uc_ctx c;
	struct staff who;
	struct application app;
	if (operator_app_or_reply(r, &d, &c, &who, &app) != 0)
		return;
	struct op_payment in = {field_or_empty(r, "tutar"), field_or_empty(r, "makbuz_no")};
	step_reply(r, &c, &app, operator_record_payment(&c, &app, &in), "Ödeme kaydedildi.");
}

void console_issue_post(req *r)
{
	db *d;
	struct uc_ctx c;
	struct staff who;
	struct application app;
	char serial[81];
	if (operator_app_or_reply(r, &d, &c, &who, &app) != 0)
		return;
	enum uc_rc rc = operator_produce(&c, &app, field_or_empty(r, "csr"), serial);
	step_reply(r, &c, &app, rc,
		   arena_printf(req_arena(r), "Sertifika üretildi (seri %s).", serial));
}

/* Card production needs the card reader and the card key, which the web
 * server has not: the console queues it for `eimza card produce --queued`
 * (app/card.h, docs/SECURITY.md "Card production"). */
void console_card_queue_post(req *r)
{
	db *d;
	struct uc_ctx c;
	struct staff who;
	struct application app;
	if (operator_app_or_reply(r, &d, &c, &who, &app) != 0)
		return;
	enum uc_rc rc = card_queue(&c, &app);
	if (rc == UC_CONFLICT) {
		back_to(r, &app, c.message);
		return;
	}
	step_reply(r, &c, &app, rc,
		   "Kart üretimi kuyruğa alındı; kart okuyucunun bulunduğu yerde "
		   "'eimza card produce --queued' ile üretilir.");
}

void console_ship_post(req *r)
{
	db *d;
	struct uc_ctx c;
	struct staff who;
	struct application app;
	if (operator_app_or_reply(r, &d, &c, &who, &app) != 0)
		return;
	arena *a = req_arena(r);
	struct op_ship in = {field_or_empty(r, "kurye"), field_or_empty(r, "takip_no"), NULL};
	in.tracking_url = arena_printf(a, "%s/kurye-takip?takip_no=%s",
				       config_get("server.base_url"),
				       http_url_encode(a, in.tracking_no));
	step_reply(r, &c, &app, operator_ship(&c, &app, &in), "Gönderi kuryeye verildi.");
}

void console_delivered_post(req *r)
{
	db *d;
	struct uc_ctx c;
	struct staff who;
	struct application app;
	if (operator_app_or_reply(r, &d, &c, &who, &app) != 0)
		return;
	step_reply(r, &c, &app, operator_deliver(&c, &app), "Teslim kaydedildi.");
}

void console_returned_post(req *r)
{
	db *d;
	struct uc_ctx c;
	struct staff who;
	struct application app;
	if (operator_app_or_reply(r, &d, &c, &who, &app) != 0)
		return;
	step_reply(r, &c, &app, operator_record_return(&c, &app, field_or_empty(r, "not")),
		   "İade kaydedildi; kart yeniden kargoya verilebilir.");
}
