/* Courier tracking ("Kurye Takip"): the public page that shows a shipment's
 * status and events by tracking number (no personal data beyond a masked
 * name), and the courier API POST /api/v1/kurye/olay (bearer token from
 * courier.api_token; a JSON object or a CSV file of events). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/application.h"
#include "domain/date.h"
#include "notify/outbox.h"
#include "store/audit.h"
#include "store/csv.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/json.h"
#include "util/log.h"
#include "util/utf8.h"
#include "web/console.h"

#define API_MAX_EVENTS 500

static const struct {
	const char *code, *label;
} statuses[] = {{"yolda", "Yolda"},
		{"dagitimda", "Dağıtımda"},
		{"teslim", "Teslim edildi"},
		{"iade", "İade edildi"}};

static const char *status_label(const char *code)
{
	for (size_t i = 0; code && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(code, statuses[i].code) == 0)
			return statuses[i].label;
	return NULL;
}

/* "Ayşe Yılmaz" -> "A*** Y***" (first character of each word, UTF-8 aware). */
static const char *mask_name(req *r, const char *ad, const char *soyad)
{
	const char *parts[2] = {ad, soyad};
	const char *out = "";
	for (int i = 0; i < 2; i++) {
		const unsigned char *p = (const unsigned char *)(parts[i] ? parts[i] : "");
		size_t n = *p == 0 ? 0 : *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		if (strlen((const char *)p) < n)
			n = 0;
		out = arena_printf(req_arena(r), "%s%s%.*s***", out, i ? " " : "", (int)n,
				   (const char *)p);
	}
	return out;
}

/* ---- recording events ---- */

struct ship_row {
	int64_t id, app_id;
	char status[16];
};

static int shipment_by_tracking(db *d, const char *tracking_no, struct ship_row *s)
{
	memset(s, 0, sizeof *s);
	db_stmt *st = db_prepare(d, "SELECT id, application_id, status FROM shipments "
				    "WHERE tracking_no = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, tracking_no);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		s->id = db_col_int64(st, 0);
		s->app_id = db_col_int64(st, 1);
		snprintf(s->status, sizeof s->status, "%s", db_col_text(st, 2));
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

struct event_ctx {
	const struct ship_row *s;
	const char *status, *location, *note;
	int64_t at;
};

/* Updates the shipment and appends the event (inside a transaction). */
static int write_event(db *d, void *ctx)
{
	const struct event_ctx *e = ctx;
	db_stmt *st = db_prepare(
		d, "UPDATE shipments SET status = $2, "
		   "delivered_at = CASE WHEN $2 = 'teslim' THEN $3 ELSE delivered_at END, "
		   "returned_at = CASE WHEN $2 = 'iade' THEN $3 ELSE returned_at END, "
		   "note = CASE WHEN $2 = 'iade' THEN $4 ELSE note END WHERE id = $1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, e->s->id);
	db_bind_text(st, 2, e->status);
	db_bind_int64(st, 3, e->at);
	db_bind_text(st, 4, e->note);
	int rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	if (rc != 0)
		return -1;
	st = db_prepare(d, "INSERT INTO shipment_events (shipment_id, at, status, location, note) "
			   "VALUES ($1, $2, $3, $4, $5)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, e->s->id);
	db_bind_int64(st, 2, e->at);
	db_bind_text(st, 3, e->status);
	db_bind_text(st, 4, e->location);
	db_bind_text(st, 5, e->note);
	rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

int tracking_record_event(req *r, db *d, const struct staff *who, const char *tracking_no,
			  const char *status, const char *location, const char *note,
			  int64_t at)
{
	struct ship_row s;
	int rc = shipment_by_tracking(d, tracking_no, &s);
	if (rc != 0)
		return rc;
	/* A delivered or returned shipment is closed; a re-shipment gets a new
	 * tracking number. */
	if (status_label(status) == NULL || strcmp(s.status, "teslim") == 0 ||
	    strcmp(s.status, "iade") == 0)
		return 1;
	struct event_ctx e = {&s, status, location, note, at > 0 ? at : clock_now()};
	if (strcmp(status, "teslim") == 0) {
		struct application app;
		struct notify_vars vars = {0};
		if (application_load(d, req_arena(r), s.app_id, &app) != 0)
			return -1;
		return console_apply_event(r, d, who, &app, EV_DELIVERED, "delivered",
					   "Kart sahibine teslim edildi", "delivered", &vars,
					   write_event, &e);
	}
	if (db_begin(d) != 0)
		return -1;
	rc = write_event(d, &e);
	if (rc == 0)
		rc = audit_append(d, &(struct audit_entry){
			.actor = who->actor, .client_ip = req_client_ip(r),
			.object = arena_printf(req_arena(r), "shipment:%s", tracking_no),
			.action = strcmp(status, "iade") == 0 ? "returned" : "courier_event",
			.before = s.status, .after = status, .detail = note});
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		log_error("kurye: event for %s failed: %s", tracking_no, db_errmsg(d));
		return -1;
	}
	return 0;
}

/* ---- the public page ---- */

void tracking_get(req *r)
{
	const char *no = req_field(r, "takip_no");
	tpl *t = tpl_new(r);
	tpl_set(t, "title", "Kurye Takip");
	db *d = NULL;
	if (no == NULL || *no == '\0') {
		reply_page(r, 200, "kurye_takip.html", t);
		return;
	}
	tpl_set(t, "takip_no", no);
	tpl_set(t, "searched", "1");
	if ((d = console_db_or_reply(r)) == NULL)
		return;
	db_stmt *st = db_prepare(d, "SELECT s.id, s.courier, s.status, s.shipped_at, a.ad, "
				    "a.soyad FROM shipments s JOIN applications a "
				    "ON a.id = s.application_id WHERE s.tracking_no = $1");
	if (st == NULL) {
		reply_error(r, 500, "Gönderi bilgisi okunamadı.");
		return;
	}
	db_bind_text(st, 1, no);
	int64_t id = 0;
	if (db_step(st) == DB_ROW) {
		char when[17];
		id = db_col_int64(st, 0);
		date_format_tr_time(db_col_int64(st, 3), when);
		tpl_set(t, "found", "1");
		tpl_set(t, "courier", db_col_text(st, 1));
		tpl_set(t, "status", status_label(db_col_text(st, 2)));
		tpl_set(t, "status_code", db_col_text(st, 2));
		tpl_set(t, "shipped", when);
		tpl_set(t, "name", mask_name(r, db_col_text(st, 4), db_col_text(st, 5)));
	}
	db_finalize(st);
	if (id == 0) {
		reply_page(r, 404, "kurye_takip.html", t);
		return;
	}
	st = db_prepare(d, "SELECT at, status, location, note FROM shipment_events "
			   "WHERE shipment_id = $1 ORDER BY at, id");
	if (st != NULL) {
		db_bind_int64(st, 1, id);
		while (db_step(st) == DB_ROW) {
			char when[17];
			tpl *item = tpl_add(t, "events");
			date_format_tr_time(db_col_int64(st, 0), when);
			tpl_set(item, "when", when);
			const char *l = status_label(db_col_text(st, 1));
			tpl_set(item, "status", l ? l : db_col_text(st, 1));
			tpl_set(item, "location", db_col_text(st, 2) ? db_col_text(st, 2) : "");
			tpl_set(item, "note", db_col_text(st, 3) ? db_col_text(st, 3) : "");
		}
		db_finalize(st);
	}
	reply_header(r, "Cache-Control", "no-store");
	reply_page(r, 200, "kurye_takip.html", t);
}

/* ---- the courier API ---- */

static void api_reply(req *r, int status, const char *json)
{
	reply_header(r, "Cache-Control", "no-store");
	reply_bytes(r, status, "application/json; charset=utf-8", json, strlen(json));
}

/* Constant-time check of "Authorization: Bearer <token>". */
static int bearer_ok(req *r)
{
	const char *want = config_get("courier.api_token");
	const char *h = req_header(r, "Authorization");
	unsigned char a[32], b[32];
	if (want == NULL || strlen(want) < 16 || h == NULL || strncmp(h, "Bearer ", 7) != 0)
		return 0;
	crypto_generichash(a, sizeof a, (const unsigned char *)want, strlen(want), NULL, 0);
	crypto_generichash(b, sizeof b, (const unsigned char *)h + 7, strlen(h + 7), NULL, 0);
	int ok = sodium_memcmp(a, b, sizeof a) == 0;
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
	return ok;
}

/* One event; appends a JSON result object to out. 0 recorded, else 1. */
static int api_event(req *r, db *d, const char *no, const char *status, const char *loc,
		     const char *note, int64_t at, buf *out)
{
	static const struct staff courier = {.role = STAFF_OPERATOR, .actor = "kurye:api",
					     .label = "Kurye", .username = "api", .scope = ""};
	int rc = 1;
	const char *msg = "kaydedildi";
	if (no == NULL || *no == '\0' || status_label(status) == NULL) {
		msg = "takip_no ve durum (yolda, dagitimda, teslim, iade) gereklidir";
	} else {
		rc = tracking_record_event(r, d, &courier, no, status, loc, note, at);
		msg = rc == 0 ? "kaydedildi" : rc == 1 ? "gönderi bulunamadı ya da kapanmış"
						     : "kaydedilemedi";
	}
	buf_puts(out, "{\"takip_no\":");
	json_append_string(out, no ? no : "");
	buf_printf(out, ",\"sonuc\":\"%s\",\"mesaj\":", rc == 0 ? "ok" : "hata");
	json_append_string(out, msg);
	buf_putc(out, '}');
	return rc == 0 ? 0 : 1;
}

static char *json_member(req *r, const char *body, size_t n, const char *key, int *bad)
{
	buf b;
	char *v = NULL;
	buf_init(&b, 4096);
	int rc = json_get_string(body, n, key, &b);
	if (rc == 0)
		v = arena_strdup(req_arena(r), b.data ? b.data : "");
	else if (rc < 0)
		*bad = 1;
	buf_free(&b);
	return v;
}

static int api_json(req *r, db *d, const char *body, size_t n, buf *out)
{
	int bad = 0;
	int64_t at = 0;
	const char *no = json_member(r, body, n, "takip_no", &bad);
	const char *status = json_member(r, body, n, "durum", &bad);
	const char *loc = json_member(r, body, n, "konum", &bad);
	const char *note = json_member(r, body, n, "aciklama", &bad);
	if (json_get_int(body, n, "zaman", &at) < 0)
		bad = 1;
	if (bad)
		return -1;
	buf_puts(out, "[");
	int failed = api_event(r, d, no, status, loc, note, at, out);
	buf_puts(out, "]");
	return failed;
}

/* Data rows after the header: the count, or -1 when the CSV is malformed. */
static int csv_data_rows(struct csv *cp, const char *body, size_t n)
{
	char err[256];
	int rows = -1, rc;
	csv_init(cp, body, n);
	while ((rc = csv_next(cp, err, sizeof err)) == 1)
		rows++;
	return rc < 0 || rows < 0 ? -1 : rows;
}

/* CSV with header takip_no,durum[,konum][,zaman][,aciklama]; one event a
 * row, each in its own transaction. -2 (nothing recorded) for more than
 * API_MAX_EVENTS rows. */
static int api_csv(req *r, db *d, const char *body, size_t n, buf *out)
{
	static const char *const names[5] = {"takip_no", "durum", "konum", "zaman", "aciklama"};
	char err[256];
	int col[5] = {-1, -1, -1, -1, -1}, failed = 0, rows = 0, rc = -1;
	struct csv *cp = malloc(sizeof *cp); /* about 32 KiB: not on the stack */
	if (cp == NULL)
		return -1;
	int total = csv_data_rows(cp, body, n);
	if (total > API_MAX_EVENTS) {
		rc = -2;
		goto out;
	}
	csv_init(cp, body, n);
	if (csv_next(cp, err, sizeof err) != 1)
		goto out;
	for (int i = 0; i < cp->nfields; i++)
		for (int k = 0; k < 5; k++)
			if (strcmp(cp->field[i], names[k]) == 0)
				col[k] = i;
	if (col[0] < 0 || col[1] < 0)
		goto out;
	buf_puts(out, "[");
	while ((rc = csv_next(cp, err, sizeof err)) == 1 && rows < API_MAX_EVENTS) {
		const char *v[5] = {NULL};
		for (int k = 0; k < 5; k++)
			if (col[k] >= 0 && col[k] < cp->nfields)
				v[k] = arena_strdup(req_arena(r), cp->field[col[k]]);
		int64_t at = v[3] && *v[3] ? console_parse_id(v[3]) : 0;
		if (rows++)
			buf_putc(out, ',');
		failed += api_event(r, d, v[0], v[1], v[2] && *v[2] ? v[2] : NULL,
				    v[4] && *v[4] ? v[4] : NULL, at, out);
	}
	buf_puts(out, "]");
	rc = rc < 0 ? -1 : failed ? 1 : 0;
out:
	free(cp);
	return rc;
}

void tracking_api_post(req *r)
{
	size_t n = 0;
	const char *body = req_body(r, &n);
	const char *ct = req_header(r, "Content-Type");
	buf out;
	if (!bearer_ok(r)) {
		reply_header(r, "WWW-Authenticate", "Bearer");
		api_reply(r, 401, "{\"hata\":\"Yetkisiz: geçerli bir erişim anahtarı gereklidir.\"}");
		return;
	}
	if (body == NULL || n == 0 || !utf8_valid(body, n)) {
		api_reply(r, 400, "{\"hata\":\"İstek gövdesi boş ya da geçerli UTF-8 değil.\"}");
		return;
	}
	db *d = console_db_or_reply(r);
	if (d == NULL)
		return;
	buf_init(&out, 1024 * 1024);
	int rc = ct != NULL && strncmp(ct, "text/csv", 8) == 0 ? api_csv(r, d, body, n, &out)
							       : api_json(r, d, body, n, &out);
	if (rc == -2) {
		buf_free(&out);
		api_reply(r, 413, "{\"hata\":\"Bir istekte en fazla 500 olay gönderilebilir; "
				  "dosyayı bölerek gönderin.\"}");
		return;
	}
	if (rc < 0 || out.err) {
		buf_free(&out);
		api_reply(r, 400, "{\"hata\":\"Gövde okunamadı: JSON nesnesi ya da başlık satırı "
				  "takip_no,durum olan CSV bekleniyor.\"}");
		return;
	}
	char *json = arena_strndup(req_arena(r), out.data ? out.data : "[]", out.len);
	buf_free(&out);
	api_reply(r, rc == 0 ? 200 : 422, json ? json : "[]");
}
