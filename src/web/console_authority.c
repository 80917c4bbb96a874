/* Institution authority (Kurum Yetkilisi): dashboard with server-drawn SVG
 * charts, the queue of applications in the authority's scope (filters,
 * search, pagination, CSV), the application beside the personnel record,
 * approve / reject with a reason, approve several at once, and the
 * certificates expiring in the next 90 days. A yetkili sees only
 * applications whose yetki_birimi is its scope; operators and
 * administrators see all (read-only here). */
#include <stdio.h>
#include <string.h>

#include "domain/application.h"
#include "domain/date.h"
#include "domain/renewal.h"
#include "domain/trcase.h"
#include "notify/outbox.h"
#include "util/clock.h"
#include "util/html.h"
#include "util/log.h"
#include "web/console.h"

#define QUEUE_PAGE 25
#define CSV_MAX_ROWS 10000
#define EXPIRY_DAYS 90
#define CHART_WEEKS 12

/* The scope parameter of the queries: "*" (everything) for the CA's own
 * staff; a yetkili's scope is never "*" (staff_add requires a unit). */
static const char *scope_param(const struct staff *who)
{
	return who->role == STAFF_YETKILI ? who->scope : "*";
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
static void svg_bars(buf *b, const char *title, const char *const *labels,
		     const int64_t *values, int n)
{
	int64_t max = 1;
	for (int i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	int row = 24, left = 240, width = 300, h = n * row + 10;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
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
		buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			      "fill=\"#1f5f8b\"/><text x=\"%d\" y=\"%d\" font-size=\"13\">%lld"
			      "</text>",
			   left, y + 3, w, row - 8, left + w + 6, y + 16, (long long)values[i]);
	}
	buf_puts(b, "</svg>");
}

static void set_chart(req *r, tpl *t, const char *key, const char *title,
		      const char *const *labels, const int64_t *values, int n)
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
	int64_t values[APP_STATE__MAX] = {0};
	db_stmt *st = db_prepare(d, "SELECT state, COUNT(*) FROM applications "
				    "WHERE ($1 = '*' OR yetki_birimi = $1) GROUP BY state");
	if (st == NULL)
		return;
	db_bind_text(st, 1, scope_param(who));
	while (db_step(st) == DB_ROW) {
		int s = app_state_parse(db_col_text(st, 0));
		if (s >= 0)
			values[s] = db_col_int64(st, 1);
	}
	db_finalize(st);
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
	int64_t values[CHART_WEEKS] = {0};
	int64_t now = clock_now();
	/* Weeks start on Monday (1970-01-01 was a Thursday), Türkiye time. */
	int64_t day = (now + DATE_TR_OFFSET) / 86400;
	int64_t monday = day - ((day + 3) % 7);
	int64_t start = (monday - 7 * (CHART_WEEKS - 1)) * 86400 - DATE_TR_OFFSET;
	db_stmt *st = db_prepare(d, "SELECT created_at FROM applications "
				    "WHERE ($1 = '*' OR yetki_birimi = $1) AND created_at >= $2");
	if (st == NULL)
		return;
	db_bind_text(st, 1, scope_param(who));
	db_bind_int64(st, 2, start);
	while (db_step(st) == DB_ROW) {
		int64_t w = (db_col_int64(st, 0) - start) / (7 * 86400);
		if (w >= 0 && w < CHART_WEEKS)
			values[w]++;
	}
	db_finalize(st);
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

static void operator_counts(db *d, tpl *t)
{
	static const struct {
		const char *key, *sql;
	} q[] = {
		{"n_paperwork", "SELECT COUNT(*) FROM applications WHERE state = "
				"'AWAITING_APPROVAL' AND (flags / 2) % 2 = 1"},
		{"n_payment", "SELECT COUNT(*) FROM applications WHERE state = "
			      "'AWAITING_APPROVAL' AND (flags / 4) % 2 = 1"},
		{"n_production", "SELECT COUNT(*) FROM applications WHERE state = 'APPROVED'"},
		{"n_shipping", "SELECT COUNT(*) FROM applications WHERE state = 'PRODUCED'"},
		{"n_shipped", "SELECT COUNT(*) FROM applications WHERE state = 'SHIPPED'"},
	};
	for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
		tpl_set_int(t, q[i].key, db_query_int64(d, 0, q[i].sql, NULL));
}

void console_dashboard(req *r)
{
	struct staff who;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	tpl *t = console_tpl(r, &who, "Personel Konsolu");
	if (who.role == STAFF_YETKILI)
		tpl_set_int(t, "n_pending",
			    db_query_int64(d, 0, "SELECT COUNT(*) FROM applications WHERE "
						 "yetki_birimi = $1 AND state = 'AWAITING_APPROVAL' "
						 "AND flags % 2 = 1", who.scope, NULL));
	else
		operator_counts(d, t);
	chart_states(r, d, t, &who);
	chart_weeks(r, d, t, &who);
	reply_page(r, 200, "konsol_pano.html", t);
}

/* ---- the queue ---- */

struct queue_filter {
	const char *state;  /* "" = all */
	const char *kurum, *reason, *term, *pattern;
	const char *from_s, *to_s;
	int64_t from, to;   /* 0 = open */
};

/* "%term%" for LIKE with \ escaping % _ and \ itself (arena). */
static const char *like_pattern(req *r, const char *term)
{
	size_t n = strlen(term);
	char *p = arena_alloc(req_arena(r), n * 2 + 3), *o = p;
	if (p == NULL)
		return "%";
	*o++ = '%';
	for (const char *s = term; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

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
		durum = who->role == STAFF_YETKILI ? "AWAITING_APPROVAL" : "TUMU";
	f->state = strcmp(durum, "TUMU") == 0 || app_state_parse(durum) < 0 ? "" : durum;
	f->kurum = field_or_empty(r, "kurum");
	f->reason = app_reason_parse(field_or_empty(r, "neden")) >= 0 ? req_field(r, "neden") : "";
	f->from_s = field_or_empty(r, "baslangic");
	f->to_s = field_or_empty(r, "bitis");
	f->from = date_tr_day_start(f->from_s);
	f->to = date_tr_day_start(f->to_s);
	if (f->to)
		f->to += 86400;
	f->term = field_or_empty(r, "ara");
	/* Names are searched by their Turkish case key ("ayşe" finds "AYŞE"). */
	char key[512];
	f->pattern = like_pattern(r, trcase_name_key(f->term, key, sizeof key) == 0 ? key
										  : f->term);
}

/* The filters as a query string, for pager and CSV links. */
static const char *queue_query(req *r, const struct queue_filter *f)
{
	arena *a = req_arena(r);
	return arena_printf(a, "durum=%s&kurum=%s&neden=%s&baslangic=%s&bitis=%s&ara=%s",
			    *f->state ? f->state : "TUMU", http_url_encode(a, f->kurum),
			    f->reason, http_url_encode(a, f->from_s),
			    http_url_encode(a, f->to_s), http_url_encode(a, f->term));
}

static db_stmt *queue_stmt(db *d, const struct staff *who, const struct queue_filter *f,
			   int64_t limit, int64_t offset)
{
	db_stmt *st = db_prepare(
		d, "SELECT id, number, tckn, ad, soyad, kurum_adi, reason, state, flags, "
		   "created_at, signing_method FROM applications "
		   "WHERE ($1 = '*' OR yetki_birimi = $1) AND ($2 = '' OR state = $2) "
		   "AND ($3 = '' OR kurum_kodu = $3) AND ($4 = '' OR reason = $4) "
		   "AND ($5 = 0 OR created_at >= $5) AND ($6 = 0 OR created_at < $6) "
		   "AND ($7 = '' OR tckn = $7 OR number = $7 OR "
		   "name_key LIKE $8 ESCAPE '\\') "
		   "ORDER BY created_at DESC, id DESC LIMIT $9 OFFSET $10");
	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, scope_param(who));
	db_bind_text(st, 2, f->state);
	db_bind_text(st, 3, f->kurum);
	db_bind_text(st, 4, f->reason);
	db_bind_int64(st, 5, f->from);
	db_bind_int64(st, 6, f->to);
	db_bind_text(st, 7, f->term);
	db_bind_text(st, 8, f->pattern);
	db_bind_int64(st, 9, limit);
	db_bind_int64(st, 10, offset);
	return st;
}

static void queue_csv(req *r, db *d, const struct staff *who, const struct queue_filter *f)
{
	buf b;
	static const char *const head[] = {"Başvuru No", "T.C. Kimlik No", "Ad", "Soyad",
					   "Kurum", "Başvuru Nedeni", "Durum", "Bekleyen",
					   "Başvuru Tarihi"};
	db_stmt *st = queue_stmt(d, who, f, CSV_MAX_ROWS, 0);
	if (st == NULL) {
		reply_error(r, 500, "Liste okunamadı.");
		return;
	}
	console_csv_start(&b);
	console_csv_row(&b, head, 9);
	while (db_step(st) == DB_ROW) {
		const char *cells[9] = {
			db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
			db_col_text(st, 4), db_col_text(st, 5),
			app_reason_label_tr(app_reason_parse(db_col_text(st, 6))),
			state_label(db_col_text(st, 7)), pending_text(r, db_col_int64(st, 8)),
			fmt_date(r, db_col_int64(st, 9))};
		console_csv_row(&b, cells, 9);
	}
	db_finalize(st);
	console_csv_reply(r, &b, "basvurular.csv");
}

static void queue_options(db *d, tpl *t, const struct staff *who,
			  const struct queue_filter *f)
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
	db_stmt *st = db_prepare(d, "SELECT kurum_kodu, kurum_adi FROM institutions "
				    "WHERE ($1 = '*' OR yetki_birimi = $1) ORDER BY kurum_adi");
	if (st == NULL)
		return;
	db_bind_text(st, 1, scope_param(who));
	while (db_step(st) == DB_ROW) {
		o = tpl_add(t, "institutions");
		tpl_set(o, "value", db_col_text(st, 0));
		tpl_set(o, "label", db_col_text(st, 1));
		if (strcmp(f->kurum, db_col_text(st, 0)) == 0)
			tpl_set(o, "selected", "1");
	}
	db_finalize(st);
}

void console_queue(req *r)
{
	struct staff who;
	struct queue_filter f;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	queue_filter_read(r, &who, &f);
	if (console_want_csv(r)) {
		queue_csv(r, d, &who, &f);
		return;
	}
	int page = console_page(r), n = 0, more = 0;
	db_stmt *st = queue_stmt(d, &who, &f, QUEUE_PAGE + 1, (int64_t)(page - 1) * QUEUE_PAGE);
	if (st == NULL) {
		reply_error(r, 500, "Liste okunamadı.");
		return;
	}
	tpl *t = console_tpl(r, &who, "Başvurular");
	while (db_step(st) == DB_ROW) {
		if (n == QUEUE_PAGE) {
			more = 1;
			break;
		}
		tpl *item = tpl_add(t, "rows");
		int64_t flags = db_col_int64(st, 8);
		tpl_setf(item, "sel", "s%d", n);
		tpl_set_int(item, "id", db_col_int64(st, 0));
		tpl_set(item, "number", db_col_text(st, 1));
		tpl_set(item, "tckn", db_col_text(st, 2));
		tpl_setf(item, "name", "%s %s", db_col_text(st, 3), db_col_text(st, 4));
		tpl_set(item, "kurum", db_col_text(st, 5));
		tpl_set(item, "reason", app_reason_label_tr(app_reason_parse(db_col_text(st, 6))));
		tpl_set(item, "state", state_label(db_col_text(st, 7)));
		tpl_set(item, "pending", pending_text(r, flags));
		tpl_set(item, "created", fmt_date(r, db_col_int64(st, 9)));
		if (who.role == STAFF_YETKILI && strcmp(db_col_text(st, 7), "AWAITING_APPROVAL") == 0 &&
		    (flags & APP_NEEDS_APPROVAL))
			tpl_set(item, "selectable", "1");
		n++;
	}
	db_finalize(st);
	if (n == 0)
		tpl_set(t, "empty", "1");
	if (who.role == STAFF_YETKILI)
		tpl_set(t, "can_approve", "1");
	tpl_set(t, "f_kurum", f.kurum);
	tpl_set(t, "f_baslangic", f.from_s);
	tpl_set(t, "f_bitis", f.to_s);
	tpl_set(t, "f_ara", f.term);
	queue_options(d, t, &who, &f);
	console_set_pager(r, t, "/konsol/basvurular", queue_query(r, &f), page, more);
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
	const char *v[8] = {0};
	arena *a = req_arena(r);
	db_stmt *st = db_prepare(d, "SELECT p.sicil_no, p.kurum_kodu, i.kurum_adi, p.unvan, "
				    "p.birim, g.ad, g.soyad, i.yetki_birimi FROM personnel p "
				    "JOIN institutions i ON i.kurum_kodu = p.kurum_kodu "
				    "LEFT JOIN registry g ON g.tckn = p.tckn WHERE p.tckn = $1");
	if (st == NULL)
		return;
	db_bind_text(st, 1, app->tckn);
	if (db_step(st) == DB_ROW) {
		for (int i = 0; i < 8; i++) {
			const char *s = db_col_text(st, i);
			v[i] = s ? arena_strdup(a, s) : NULL;
		}
	} else {
		tpl_set(t, "no_record", "1");
	}
	db_finalize(st);
	compare_row(&c, "Ad", app->ad, v[5], 1);
	compare_row(&c, "Soyad", app->soyad, v[6], 1);
	compare_row(&c, "Kurum Sicil No", app->sicil_no, v[0], 0);
	compare_row(&c, "Kurum Kodu", app->kurum_kodu, v[1], 0);
	compare_row(&c, "Kurum Adı", app->kurum_adi, v[2], 0);
	compare_row(&c, "Unvan", app->unvan, v[3], 1);
	compare_row(&c, "Çalıştığı Birim", app->birim, v[4], 1);
	compare_row(&c, "Yetki Birimi", app->yetki_birimi, v[7], 0);
	tpl_set_int(t, "n_diffs", c.diffs);
}

static void add_event(void *ctx, const struct application_event *e)
{
	struct compare_ctx *c = ctx;
	tpl *item = tpl_add(c->t, "history");
	tpl_set(item, "when", fmt_date(c->r, e->at));
	tpl_set(item, "state", state_label(e->to_state));
	tpl_set(item, "actor", e->actor);
	tpl_set(item, "note", e->note ? e->note : "");
}

void console_application_get(req *r)
{
	struct staff who;
	struct application app;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	if (console_application_or_reply(r, d, &who, console_parse_id(req_suffix(r)), &app) != 0)
		return;
	tpl *t = console_tpl(r, &who, arena_printf(req_arena(r), "Başvuru %s", app.number));
	char fee[32];
	tpl_set_int(t, "id", app.id);
	tpl_set(t, "number", app.number);
	tpl_set(t, "tckn", app.tckn);
	tpl_setf(t, "name", "%s %s", app.ad, app.soyad);
	tpl_set(t, "dogum", arena_printf(req_arena(r), "%s, %s", app.dogum_yeri, app.dogum_tarihi));
	tpl_set(t, "state", app_state_name(app.state));
	tpl_set(t, "state_label", app_state_label_tr(app.state));
	tpl_set(t, "pending", pending_text(r, app.flags));
	tpl_set(t, "reason", app_reason_label_tr(app.reason));
	tpl_set(t, "method", sign_method_label_tr(app.signing_method));
	tpl_set_int(t, "years", app.years);
	tpl_set(t, "eposta", app.eposta);
	tpl_set(t, "cep_tel", app.cep_tel);
	tpl_set(t, "is_tel", app.is_tel);
	tpl_set(t, "adres", app.adres);
	tpl_set(t, "created", fmt_date(r, app.created_at));
	fee_format_tl((long)app.fee_kurus, fee);
	tpl_set(t, "fee", fee);
	if (app.reject_reason)
		tpl_set(t, "reject_reason", app.reject_reason);
	if (who.role == STAFF_YETKILI && app.state == APP_AWAITING_APPROVAL &&
	    (app.flags & APP_NEEDS_APPROVAL))
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

/* ---- decisions ---- */

static int store_reject_reason(db *d, void *ctx)
{
	const struct application *app = ctx;
	return application_set_reject_reason(d, app->id, app->reject_reason);
}

void console_decide_post(req *r)
{
	struct staff who;
	struct application app;
	struct notify_vars vars = {0};
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_YETKILI, &who) != 0)
		return;
	int64_t id = console_parse_id(req_field(r, "id"));
	if (console_application_or_reply(r, d, &who, id, &app) != 0)
		return;
	const char *karar = field_or_empty(r, "karar");
	const char *reason = field_or_empty(r, "gerekce");
	const char *back = arena_printf(req_arena(r), "/konsol/basvuru/%lld", (long long)app.id);
	int rc;
	if (strcmp(karar, "onayla") == 0) {
		if (!(app.flags & APP_NEEDS_APPROVAL)) {
			reply_error(r, 409, "Bu başvuru onay beklemiyor.");
			return;
		}
		rc = console_apply_event(r, d, &who, &app, EV_AUTHORITY_APPROVED, "approve",
					 "Kurum yetkilisi onayladı", "approved", &vars, NULL,
					 NULL);
	} else if (strcmp(karar, "reddet") == 0) {
		if (*reason == '\0') {
			console_flash(r, "Ret gerekçesi zorunludur: başvuru sahibine iletilecek "
					 "gerekçeyi yazınız.");
			reply_redirect(r, back);
			return;
		}
		if (!(app.flags & APP_NEEDS_APPROVAL)) {
			reply_error(r, 409, "Bu başvuru onay beklemiyor.");
			return;
		}
		app.reject_reason = reason;
		notify_vars_set(&vars, "reason", reason);
		rc = console_apply_event(r, d, &who, &app, EV_REJECTED, "reject", reason,
					 "rejected", &vars, store_reject_reason, &app);
	} else {
		reply_error(r, 400, "Geçersiz karar.");
		return;
	}
	if (rc < 0) {
		reply_error(r, 500, "İşlem tamamlanamadı.");
		return;
	}
	if (rc == 1) {
		reply_error(r, 409, "Başvuru bu arada değişti; sayfayı yenileyip tekrar deneyin.");
		return;
	}
	console_flash(r, strcmp(karar, "onayla") == 0 ? "Başvuru onaylandı." : "Başvuru reddedildi.");
	reply_redirect(r, back);
}

void console_bulk_approve_post(req *r)
{
	struct staff who;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_YETKILI, &who) != 0)
		return;
	int ok = 0, failed = 0;
	for (int i = 0; i < QUEUE_PAGE; i++) {
		char name[8];
		struct application app;
		struct notify_vars vars = {0};
		snprintf(name, sizeof name, "s%d", i);
		int64_t id = console_parse_id(req_field(r, name));
		if (id == 0)
			continue;
		/* Unknown and out-of-scope ids are counted as failures alike. */
		if (application_load(d, req_arena(r), id, &app) != 0 ||
		    strcmp(app.yetki_birimi, who.scope) != 0 || !(app.flags & APP_NEEDS_APPROVAL) ||
		    console_apply_event(r, d, &who, &app, EV_AUTHORITY_APPROVED, "approve",
					"Kurum yetkilisi onayladı (toplu)", "approved", &vars, NULL,
					NULL) != 0) {
			failed++;
			continue;
		}
		ok++;
	}
	console_flash(r, arena_printf(req_arena(r), "%d başvuru onaylandı%s", ok,
				      failed ? arena_printf(req_arena(r), ", %d başvuru onaylanamadı.",
							    failed)
					     : "."));
	reply_redirect(r, "/konsol/basvurular");
}

/* ---- expiring certificates ---- */

void console_expiring(req *r)
{
	struct staff who;
	db *d = console_db_or_reply(r);
	if (d == NULL || console_staff_or_reply(r, d, CONSOLE_ANY, &who) != 0)
		return;
	int64_t now = clock_now();
	int csv = console_want_csv(r);
	db_stmt *st = db_prepare(d, "SELECT c.serial_hex, c.tckn, c.not_after, g.ad, g.soyad, "
				    "i.kurum_adi FROM certificates c "
				    "JOIN personnel p ON p.tckn = c.tckn "
				    "JOIN institutions i ON i.kurum_kodu = p.kurum_kodu "
				    "LEFT JOIN registry g ON g.tckn = c.tckn "
				    "WHERE ($1 = '*' OR i.yetki_birimi = $1) AND c.status = 'good' "
				    "AND c.not_after >= $2 AND c.not_after < $3 "
				    "ORDER BY c.not_after, c.serial_hex LIMIT $4");
	if (st == NULL) {
		reply_error(r, 500, "Liste okunamadı.");
		return;
	}
	db_bind_text(st, 1, scope_param(&who));
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, now + (int64_t)EXPIRY_DAYS * 86400);
	db_bind_int64(st, 4, CSV_MAX_ROWS);
	tpl *t = console_tpl(r, &who, "Sertifikası 90 gün içinde dolacaklar");
	buf b;
	static const char *const head[] = {"T.C. Kimlik No", "Ad", "Soyad", "Kurum",
					   "Seri No", "Bitiş Tarihi", "Kalan Gün"};
	if (csv) {
		console_csv_start(&b);
		console_csv_row(&b, head, 7);
	}
	int n = 0;
	while (db_step(st) == DB_ROW) {
		char until[11];
		int64_t na = db_col_int64(st, 2);
		date_format_tr(na + DATE_TR_OFFSET, until);
		const char *days = arena_printf(req_arena(r), "%lld", (long long)((na - now) / 86400));
		if (csv) {
			const char *cells[7] = {db_col_text(st, 1), db_col_text(st, 3),
						db_col_text(st, 4), db_col_text(st, 5),
						db_col_text(st, 0), until, days};
			console_csv_row(&b, cells, 7);
			continue;
		}
		tpl *item = tpl_add(t, "rows");
		tpl_set(item, "tckn", db_col_text(st, 1));
		tpl_setf(item, "name", "%s %s", db_col_text(st, 3) ? db_col_text(st, 3) : "",
			 db_col_text(st, 4) ? db_col_text(st, 4) : "");
		tpl_set(item, "kurum", db_col_text(st, 5));
		tpl_set(item, "serial", db_col_text(st, 0));
		tpl_set(item, "until", until);
		tpl_set(item, "days", days);
		n++;
	}
	db_finalize(st);
	if (csv) {
		console_csv_reply(r, &b, "dolacak-sertifikalar.csv");
		return;
	}
	if (n == 0)
		tpl_set(t, "empty", "1");
	tpl_set(t, "csv_url", "/konsol/dolacaklar?bicim=csv");
	reply_page(r, 200, "konsol_dolacaklar.html", t);
}
