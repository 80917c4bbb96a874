/* Institution authority (Kurum Yetkilisi): dashboard with server-drawn SVG
 * charts, the queue of applications in the authority's scope (filters,
 * search, pagination, CSV), the application beside the personnel record,
 * approve / reject with a reason, approve several at once, and the
 * certificates expiring in the next 90 days. A yetkili sees only
 * applications whose yetki_birimi is its scope; operators and
 * administrators see all (read-only here). */
#include <stdio.h>
#include <string.h>

#include "app/decide.h"
#include "app/endorse.h"
#include "domain/display.h"
#include "domain/access.h"
#include "domain/application.h"
#include "domain/date.h"
#include "domain/renewal.h"
#include "domain/trcase.h"
#include "store/application_query.h"
#include "util/clock.h"
#include "util/html.h"
#include "util/log.h"
#include "web/console.h"
#include "web/web.h"

#define QUEUE_PAGE 25
#define CSV_MAX_ROWS 10000
#define EXPIRY_DAYS 90
#define CHART_WEEKS 12

/* The unit the lists of `who` are limited to (NULL: every unit). */
static const char *scope_of(const struct staff *who)
{
	struct access_actor a = console_access(who);
	return access_scope(&a);
}

/* 1 when `who` is of the role that decides (whose dashboard and queue
 * start from the applications waiting for a decision). */
static int decides(const struct staff *who)
{
	struct access_actor a = console_access(who);
	return access_may_decide_role(&a);
}

/* 1 when `who` may approve or reject an application in this state now. */
static int may_decide(const struct staff *who, const char *unit, int state, int64_t flags)
{
	struct access_actor a = console_access(who);
	struct access_target t = {unit, (enum app_state)state, flags};
	return state >= 0 && access_may_decide(&a, &t) == ACCESS_OK;
}

static const char *fmt_date(req *r, int64_t t)
{
	char d[17];
	date_format_tr_time(t, d);
	return arena_strdup(req_arena(r), d);
}

/* "Kurum onayı bekleniyor, Islak imzalı evrak bekleniyor" (arena). */
static const char *pending_text(req *r, int64_t flags)
{
	const char *out = "";
	for (unsigned f = 1; f <= 4; f <<= 1) {
		if (!(flags & f))
			continue;
		const char *l = app_flag_label_tr((enum app_flag)f);
		out = arena_printf(req_arena(r), "%s%s%s", out, *out ? ", " : "", l ? l : "?");
	}
	return out;
}

static const char *state_label(const char *name)
{
	int st = app_state_parse(name);
	return st >= 0 ? app_state_label_tr((enum app_state)st) : name;
}

/* ---- SVG charts (no script; labels escaped) ---- */

/* Appends a horizontal bar chart to b. */
static void svg_bars(buf *b, const char *title, const char *const *labels, const int64_t *values,
		     int n)
{
	int64_t max = 1;
	for (int i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	int row = 24, left = 240, width = 300, h = n * row + 10;
	buf_printf(b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
		   "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\"><title>",
		   left + width + 60, h, left + width + 60, h);
	html_escape(b, title);
	buf_puts(b, "</title>");
	for (int i = 0; i < n; i++) {
		int y = 5 + i * row;
		int w = (int)(values[i] * width / max);
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"13\">",
			   left - 6, y + 16);
		html_escape(b, labels[i]);
		buf_printf(b,
			   "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			   "fill=\"#1f5f8b\"/><text x=\"%d\" y=\"%d\" font-size=\"13\">%lld"
			   "</text>",
			   left, y + 3, w, row - 8, left + w + 6, y + 16, (long long)values[i]);
	}
	buf_puts(b, "</svg>");
}

static void set_chart(req *r, tpl *t, const char *key, const char *title, const char *const *labels,
		      const int64_t *values, int n)
{
	buf b;
	buf_init(&b, 256 * 1024);
	svg_bars(&b, title, labels, values, n);
	if (!b.err)
		tpl_set_raw_html(t, key, arena_strndup(req_arena(r), b.data, b.len));
	buf_free(&b);
}

static void chart_states(req *r, db *d, tpl *t, const struct staff *who)
{
	const char *labels[APP_STATE__MAX];
	int64_t values[APP_STATE__MAX];
	if (application_query_count_by_state(d, scope_of(who), values) != 0)
		return;
	for (int i = 0; i < APP_STATE__MAX; i++) {
		labels[i] = app_state_label_tr((enum app_state)i);
		tpl *item = tpl_add(t, "by_state");
		tpl_set(item, "label", labels[i]);
		tpl_set_int(item, "count", values[i]);
	}
	set_chart(r, t, "chart_states", "Durumlara göre başvurular", labels, values,
		  APP_STATE__MAX);
}

static void chart_weeks(req *r, db *d, tpl *t, const struct staff *who)
{
	const char *labels[CHART_WEEKS];
	int64_t values[CHART_WEEKS];
	int64_t now = clock_now();
	/* Weeks start on Monday (1970-01-01 was a Thursday), Türkiye time. */
	int64_t day = (now + DATE_TR_OFFSET) / 86400;
	int64_t monday = day - ((day + 3) % 7);
	int64_t start = (monday - 7 * (CHART_WEEKS - 1)) * 86400 - DATE_TR_OFFSET;
	if (application_query_count_by_week(d, scope_of(who), start, CHART_WEEKS, values) != 0)
		return;
	for (int i = 0; i < CHART_WEEKS; i++) {
		char dd[11];
		date_format_tr(start + DATE_TR_OFFSET + (int64_t)i * 7 * 86400, dd);
		labels[i] = arena_printf(req_arena(r), "%s haftası", dd);
		tpl *item = tpl_add(t, "by_week");
		tpl_set(item, "label", labels[i]);
		tpl_set_int(item, "count", values[i]);
	}
	set_chart(r, t, "chart_weeks", "Haftalara göre başvurular (son 12 hafta)", labels, values,
		  CHART_WEEKS);
}

/* A count for the dashboard; a failed query shows 0 (logged by the store). */
static void set_count(tpl *t, const char *key, db *d, const char *scope, int state,
		      enum app_flag flag)
{
	int64_t n = application_query_count(d, scope, state, flag);
	tpl_set_int(t, key, n > 0 ? n : 0);
}

static void operator_counts(db *d, tpl *t)
{
	static const struct {
		const char *key;
		enum app_state state;
		enum app_flag flag;
	} q[] = {
		{"n_paperwork", APP_AWAITING_APPROVAL, APP_NEEDS_PAPERWORK},
		{"n_payment", APP_AWAITING_APPROVAL, APP_NEEDS_PAYMENT},
		{"n_production", APP_APPROVED, 0},
		{"n_shipping", APP_PRODUCED, 0},
		{"n_shipped", APP_SHIPPED, 0},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
		set_count(t, q[i].key, d, NULL, (int)q[i].state, q[i].flag);
}

void console_dashboard(req *r)
{
	struct staff who;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	tpl *t = console_tpl(r, &who, "Personel Konsolu");
	if (decides(&who))
		set_count(t, "n_pending", d, scope_of(&who), APP_AWAITING_APPROVAL,
			  APP_NEEDS_APPROVAL);
	else
		operator_counts(d, t);
	chart_states(r, d, t, &who);
	chart_weeks(r, d, t, &who);
	reply_page(r, 200, "konsol_pano.html", t);
}

/* ---- the queue ---- */

struct queue_filter {
	const char *state; /* "" = all */
	const char *kurum, *reason, *term;
	const char *from_s, *to_s;
	struct application_filter q; /* the same, for the store */
};

static const char *field_or_empty(req *r, const char *name)
{
	const char *v = req_field(r, name);
	return v ? v : "";
}

/* Reads the filters; the default state is "waiting for approval" for an
 * authority and everything for the CA's staff. */
static void queue_filter_read(req *r, const struct staff *who, struct queue_filter *f)
{
	const char *durum = req_field(r, "durum");
	memset(f, 0, sizeof *f);
	if (durum == NULL || *durum == '\0')
		durum = decides(who) ? "AWAITING_APPROVAL" : "TUMU";
	f->state = strcmp(durum, "TUMU") == 0 || app_state_parse(durum) < 0 ? "" : durum;
	f->kurum = field_or_empty(r, "kurum");
	f->reason = app_reason_parse(field_or_empty(r, "neden")) >= 0 ? req_field(r, "neden") : "";
	f->from_s = field_or_empty(r, "baslangic");
	f->to_s = field_or_empty(r, "bitis");
	f->term = field_or_empty(r, "ara");
	f->q = (struct application_filter){
		.scope = scope_of(who),
		.state = *f->state ? app_state_parse(f->state) : -1,
		.reason = *f->reason ? app_reason_parse(f->reason) : -1,
		.kurum_kodu = f->kurum,
		.from = date_tr_day_start(f->from_s),
		.to = date_tr_day_start(f->to_s),
		.term = f->term,
	};
	if (f->q.to)
		f->q.to += 86400;
}

/* The filters as a query string, for pager and CSV links. */
static const char *queue_query(req *r, const struct queue_filter *f)
{
	arena *a = req_arena(r);
	return arena_printf(a, "durum=%s&kurum=%s&neden=%s&baslangic=%s&bitis=%s&ara=%s",
			    *f->state ? f->state : "TUMU", http_url_encode(a, f->kurum), f->reason,
			    http_url_encode(a, f->from_s), http_url_encode(a, f->to_s),
			    http_url_encode(a, f->term));
}

/* The queue as CSV: the fixed head and tail columns around the form
 * fields whose form table row has a csv_label (in table order, shown by
 * form_display; today only Başvuru Nedeni). */
static const char *const csv_head[] = {"Başvuru No", "T.C. Kimlik No", "Ad", "Soyad", "Kurum"};
static const char *const csv_tail[] = {"Durum", "Bekleyen", "Başvuru Tarihi"};
#define CSV_CELLS_MAX (5 + FF__MAX + 3)

struct csv_ctx {
	req *r;
	buf *b;
};

static void csv_row(void *ctx, const struct application_row *row)
{
	struct csv_ctx *c = ctx;
	const struct form_field_def *t = form_field_table();
	const char *cells[CSV_CELLS_MAX] = {row->number, row->tckn, row->ad, row->soyad,
					    row->kurum_adi};
	size_t n = 5;
	char text[256];
	for (int f = 0; f < FF__MAX; f++) {
		if (t[f].csv_label == NULL)
			continue;
		const char *v = form_display((enum form_field)f, row->form, NULL, text,
					     sizeof text);
		cells[n++] = v == text ? arena_strdup(req_arena(c->r), text) : v;
	}
	cells[n++] = app_state_label_tr((enum app_state)row->state);
	cells[n++] = pending_text(c->r, row->flags);
	cells[n++] = fmt_date(c->r, row->created_at);
	console_csv_row(c->b, cells, (int)n);
}

static void queue_csv(req *r, db *d, const struct queue_filter *f)
{
	buf b;
	const struct form_field_def *t = form_field_table();
	const char *head[CSV_CELLS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < sizeof csv_head / sizeof csv_head[0]; i++)
		head[n++] = csv_head[i];
	for (int i = 0; i < FF__MAX; i++)
		if (t[i].csv_label != NULL)
			head[n++] = t[i].csv_label;
	for (size_t i = 0; i < sizeof csv_tail / sizeof csv_tail[0]; i++)
		head[n++] = csv_tail[i];
	struct csv_ctx c = {r, &b};
	console_csv_start(&b);
	console_csv_row(&b, head, (int)n);
	if (application_query_list(d, &f->q, CSV_MAX_ROWS, 0, csv_row, &c) != 0) {
		buf_free(&b);
		reply_error(r, 500, "Liste okunamadı.");
		return;
	}
	console_csv_reply(r, &b, "basvurular.csv");
}

struct option_ctx {
	tpl *t;
	const char *selected;
};

static void add_institution(void *ctx, const struct institution_row *row)
{
	struct option_ctx *c = ctx;
	tpl *o = tpl_add(c->t, "institutions");
	tpl_set(o, "value", row->kurum_kodu);
	tpl_set(o, "label", row->kurum_adi);
	if (row->kurum_kodu && strcmp(c->selected, row->kurum_kodu) == 0)
		tpl_set(o, "selected", "1");
}

static void queue_options(db *d, tpl *t, const struct staff *who, const struct queue_filter *f)
{
	tpl *o = tpl_add(t, "states");
	tpl_set(o, "value", "TUMU");
	tpl_set(o, "label", "Tümü");
	if (*f->state == '\0')
		tpl_set(o, "selected", "1");
	for (int i = 0; i < APP_STATE__MAX; i++) {
		o = tpl_add(t, "states");
		tpl_set(o, "value", app_state_name((enum app_state)i));
		tpl_set(o, "label", app_state_label_tr((enum app_state)i));
		if (strcmp(f->state, app_state_name((enum app_state)i)) == 0)
			tpl_set(o, "selected", "1");
	}
	for (int i = 0; i < REASON__MAX; i++) {
		o = tpl_add(t, "reasons");
		tpl_set(o, "value", app_reason_name((enum app_reason)i));
		tpl_set(o, "label", app_reason_label_tr((enum app_reason)i));
		if (strcmp(f->reason, app_reason_name((enum app_reason)i)) == 0)
			tpl_set(o, "selected", "1");
	}
	struct option_ctx c = {t, f->kurum};
	application_query_institutions(d, scope_of(who), add_institution, &c);
}

struct queue_ctx {
	req *r;
	tpl *t;
	const struct staff *who;
	int n, more;
	/* The page's rows, for the endorsement mark read after the list. */
	tpl *items[QUEUE_PAGE];
	int64_t ids[QUEUE_PAGE];
};

static void queue_row(void *ctx, const struct application_row *row)
{
	struct queue_ctx *c = ctx;
	if (c->n == QUEUE_PAGE) {
		c->more = 1;
		return;
	}
	tpl *item = tpl_add(c->t, "rows");
	tpl_setf(item, "sel", "s%d", c->n);
	tpl_set_int(item, "id", row->id);
	tpl_set(item, "number", row->number);
	tpl_set(item, "tckn", row->tckn);
	tpl_setf(item, "name", "%s %s", row->ad, row->soyad);
	tpl_set(item, "kurum", row->kurum_adi);
	tpl_set(item, "reason", app_reason_label_tr((enum app_reason)row->reason));
	tpl_set(item, "state", app_state_label_tr((enum app_state)row->state));
	tpl_set(item, "pending", pending_text(c->r, row->flags));
	tpl_set(item, "created", fmt_date(c->r, row->created_at));
	if (may_decide(c->who, row->yetki_birimi, row->state, row->flags))
		tpl_set(item, "selectable", "1");
	c->items[c->n] = item;
	c->ids[c->n] = row->id;
	c->n++;
}

/* "kurum onayı alındı" beside the rows whose institution endorsed them
 * through its official mailbox (app/endorse.h); read after the list, not
 * inside its callback, so no second statement runs during the first. */
static void mark_endorsed(req *r, struct queue_ctx *c)
{
	struct uc_ctx uc;
	web_uc_ctx(r, &uc, NULL, NULL);
	for (int i = 0; i < c->n; i++)
		if (endorse_received(&uc, c->ids[i]) == 1)
			tpl_set(c->items[i], "endorsed", "1");
}

void console_queue(req *r)
{
	struct staff who;
	struct queue_filter f;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	queue_filter_read(r, &who, &f);
	if (console_want_csv(r)) {
		queue_csv(r, d, &f);
		return;
	}
	int page = console_page(r);
	tpl *t = console_tpl(r, &who, "Başvurular");
	struct queue_ctx c = {r, t, &who, 0, 0, {0}, {0}};
	if (application_query_list(d, &f.q, QUEUE_PAGE + 1, (int64_t)(page - 1) * QUEUE_PAGE,
				   queue_row, &c) != 0) {
		reply_error(r, 500, "Liste okunamadı.");
		return;
	}
	mark_endorsed(r, &c);
	if (c.n == 0)
		tpl_set(t, "empty", "1");
	if (decides(&who))
		tpl_set(t, "can_approve", "1");
	tpl_set(t, "f_kurum", f.kurum);
	tpl_set(t, "f_baslangic", f.from_s);
	tpl_set(t, "f_bitis", f.to_s);
	tpl_set(t, "f_ara", f.term);
	queue_options(d, t, &who, &f);
	console_set_pager(r, t, "/konsol/basvurular", queue_query(r, &f), page, c.more);
	reply_page(r, 200, "konsol_basvurular.html", t);
}

/* ---- one application ---- */

struct compare_ctx {
	req *r;
	tpl *t;
	int diffs;
};

static void compare_row(struct compare_ctx *c, const char *label, const char *app_v,
			const char *rec_v, int names)
{
	tpl *item = tpl_add(c->t, "compare");
	app_v = app_v ? app_v : "";
	rec_v = rec_v ? rec_v : "";
	int same = names ? trcase_name_equal(app_v, rec_v) : strcmp(app_v, rec_v) == 0;
	tpl_set(item, "label", label);
	tpl_set(item, "app", app_v);
	tpl_set(item, "record", *rec_v ? rec_v : "(kayıt yok)");
	if (!same) {
		tpl_set(item, "diff", "1");
		c->diffs++;
	}
}

/* The application beside the personnel record (MEBBİS) and the registry. */
static void set_comparison(req *r, db *d, tpl *t, const struct application *app)
{
	struct compare_ctx c = {r, t, 0};
	struct personnel_view v;
	int rc = application_query_personnel(d, req_arena(r), app->tckn, &v);
	if (rc < 0)
		return;
	if (rc == 1)
		tpl_set(t, "no_record", "1");
	compare_row(&c, "Ad", app->ad, v.ad, 1);
	compare_row(&c, "Soyad", app->soyad, v.soyad, 1);
	compare_row(&c, "Kurum Sicil No", app->sicil_no, v.sicil_no, 0);
	compare_row(&c, "Kurum Kodu", app->kurum_kodu, v.kurum_kodu, 0);
	compare_row(&c, "Kurum Adı", app->kurum_adi, v.kurum_adi, 0);
	compare_row(&c, "Unvan", app->form[FF_UNVAN], v.unvan, 1);
	compare_row(&c, "Çalıştığı Birim", app->form[FF_BIRIM], v.birim, 1);
	compare_row(&c, "Yetki Birimi", app->yetki_birimi, v.yetki_birimi, 0);
	tpl_set_int(t, "n_diffs", c.diffs);
}

/* A stored value in its display form (domain/display.h), in the arena. */
static const char *shown(req *r, void (*fmt)(const char *, char *, size_t), const char *v)
{
	char out[160];
	fmt(v, out, sizeof out);
	return arena_strdup(req_arena(r), out);
}

static void add_event(void *ctx, const struct application_event *e)
{
	struct compare_ctx *c = ctx;
	tpl *item = tpl_add(c->t, "history");
	tpl_set(item, "when", fmt_date(c->r, e->at));
	tpl_set(item, "state", state_label(e->to_state));
	tpl_set(item, "actor", shown(c->r, display_actor, e->actor));
	tpl_set(item, "note", e->note ? e->note : "");
}

void console_application_get(req *r)
{
	struct staff who;
	struct application app;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	if (console_application_or_reply(r, d, &who, console_parse_id(req_suffix(r)), &app) != 0)
		return;
	tpl *t = console_tpl(r, &who, arena_printf(req_arena(r), "Başvuru %s", app.number));
	char fee[32];
	tpl_set_int(t, "id", app.id);
	tpl_set(t, "number", app.number);
	tpl_set(t, "tckn", app.tckn);
	console_drafts_show(r, t); /* what a refused step had typed */
	tpl_setf(t, "name", "%s %s", app.ad, app.soyad);
	tpl_set(t, "dogum",
		arena_printf(req_arena(r), "%s, %s", app.dogum_yeri,
			     shown(r, display_date, app.dogum_tarihi)));
	tpl_set(t, "state", app_state_name(app.state));
	tpl_set(t, "state_label", app_state_label_tr(app.state));
	tpl_set(t, "pending", pending_text(r, app.flags));
	tpl_set(t, "reason", app_reason_label_tr(app.reason));
	tpl_set(t, "method", sign_method_label_tr(app.signing_method));
	tpl_set(t, "years", app.form[FF_SERTIFIKA_SURESI]);
	tpl_set(t, "eposta", app.form[FF_EPOSTA]);
	tpl_set(t, "cep_tel", shown(r, display_phone, app.form[FF_CEP_TEL]));
	tpl_set(t, "is_tel", shown(r, display_phone, app.form[FF_IS_TEL]));
	tpl_set(t, "adres", app.form[FF_ADRES]);
	tpl_set(t, "created", fmt_date(r, app.created_at));
	fee_format_tl((long)app.fee_kurus, fee);
	tpl_set(t, "fee", fee);
	if (app.reject_reason)
		tpl_set(t, "reject_reason", app.reject_reason);
	if (may_decide(&who, app.yetki_birimi, (int)app.state, app.flags))
		tpl_set(t, "can_decide", "1");
	if (who.role == STAFF_OPERATOR)
		console_operator_detail(r, d, t, &app);
	else
		console_operator_facts(r, d, t, &app);
	set_comparison(r, d, t, &app);
	struct compare_ctx c = {r, t, 0};
	application_events(d, app.id, add_event, &c);
	reply_page(r, 200, "konsol_basvuru.html", t);
}

/* ---- decisions (app/decide.c) ---- */

void console_decide_post(req *r)
{
	struct staff who;
	struct application app;
	struct uc_ctx c;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_YETKILI, &who) != 0)
		return;
	int64_t id = console_parse_id(req_field(r, "id"));
	const char *karar = field_or_empty(r, "karar");
	int approve = strcmp(karar, "onayla") == 0;
	if (!approve && strcmp(karar, "reddet") != 0) {
		/* Unknown and out of scope still answer 404 first. */
		if (console_application_or_reply(r, d, &who, id, &app) == 0)
			reply_error(r, 400, "Geçersiz karar.");
		return;
	}
	web_uc_ctx(r, &c, who.actor, who.label);
	struct access_actor actor = console_access(&who);
	enum uc_rc rc = approve ? decide_approve(&c, &actor, id)
				: decide_reject(&c, &actor, id, field_or_empty(r, "gerekce"));
	const char *back = arena_printf(req_arena(r), "/konsol/basvuru/%lld", (long long)id);
	if (rc == UC_INVALID && c.field != NULL && strcmp(c.field, "gerekce") == 0) {
		console_flash(r, c.message);
		reply_redirect(r, back);
		return;
	}
	if (rc != UC_OK) {
		web_reply_uc(r, &c, rc);
		return;
	}
	console_flash(r, approve ? "Başvuru onaylandı." : "Başvuru reddedildi.");
	reply_redirect(r, back);
}

void console_bulk_approve_post(req *r)
{
	struct staff who;
	struct uc_ctx c;
	int64_t ids[DECIDE_BULK_MAX];
	int ok = 0, failed = 0;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_YETKILI, &who) != 0)
		return;
	for (int i = 0; i < DECIDE_BULK_MAX; i++) {
		char name[8];
		snprintf(name, sizeof name, "s%d", i);
		ids[i] = console_parse_id(req_field(r, name));
	}
	web_uc_ctx(r, &c, who.actor, who.label);
	struct access_actor actor = console_access(&who);
	enum uc_rc rc = decide_bulk_approve(&c, &actor, ids, DECIDE_BULK_MAX, &ok, &failed);
	if (rc != UC_OK) {
		web_reply_uc(r, &c, rc);
		return;
	}
	console_flash(r, arena_printf(req_arena(r), "%d başvuru onaylandı%s", ok,
				      failed ? arena_printf(req_arena(r),
							    ", %d başvuru onaylanamadı.", failed)
					     : "."));
	reply_redirect(r, "/konsol/basvurular");
}

/* ---- expiring certificates ---- */

struct expiring_ctx {
	req *r;
	tpl *t;
	buf *b; /* CSV, or NULL for the page */
	int64_t now;
	int n;
};

static void expiring_row(void *ctx, const struct expiring_row *row)
{
	struct expiring_ctx *c = ctx;
	char until[11];
	date_format_tr(row->not_after + DATE_TR_OFFSET, until);
	const char *days = arena_printf(req_arena(c->r), "%lld",
					(long long)((row->not_after - c->now) / 86400));
	c->n++;
	if (c->b != NULL) {
		const char *cells[7] = {row->tckn,	 row->ad, row->soyad, row->kurum_adi,
					row->serial_hex, until,	  days};
		console_csv_row(c->b, cells, 7);
		return;
	}
	tpl *item = tpl_add(c->t, "rows");
	tpl_set(item, "tckn", row->tckn);
	tpl_setf(item, "name", "%s %s", row->ad ? row->ad : "", row->soyad ? row->soyad : "");
	tpl_set(item, "kurum", row->kurum_adi);
	tpl_set(item, "serial", row->serial_hex);
	tpl_set(item, "until", until);
	tpl_set(item, "days", days);
}

void console_expiring(req *r)
{
	struct staff who;
	buf b;
	db *d = web_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	static const char *const head[] = {"T.C. Kimlik No", "Ad",	     "Soyad",	 "Kurum",
					   "Seri No",	     "Bitiş Tarihi", "Kalan Gün"};
	int csv = console_want_csv(r);
	tpl *t = console_tpl(r, &who, "Sertifikası 90 gün içinde dolacaklar");
	struct expiring_ctx c = {r, t, csv ? &b : NULL, clock_now(), 0};
	if (csv) {
		console_csv_start(&b);
		console_csv_row(&b, head, 7);
	}
	if (application_query_expiring(d, scope_of(&who), c.now,
				       c.now + (int64_t)EXPIRY_DAYS * 86400, CSV_MAX_ROWS,
				       expiring_row, &c) != 0) {
		if (csv)
			buf_free(&b);
		reply_error(r, 500, "Liste okunamadı.");
		return;
	}
	if (csv) {
		console_csv_reply(r, &b, "dolacak-sertifikalar.csv");
		return;
	}
	if (c.n == 0)
		tpl_set(t, "empty", "1");
	tpl_set(t, "csv_url", "/konsol/dolacaklar?bicim=csv");
	reply_page(r, 200, "konsol_dolacaklar.html", t);
}
