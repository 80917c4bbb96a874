/* Courier tracking ("Kurye Takip"): the public page that shows a shipment's
 * status and events by tracking number (no personal data beyond a masked
 * name), and the courier API POST /api/v1/kurye/olay (bearer token from
 * courier.api_token; a JSON object or a CSV file of events). */
#include <sodium.h>
#include <string.h>

#include "app/courier.h"
#include "domain/date.h"
#include "domain/shipment.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/json.h"
#include "util/utf8.h"
#include "web/console.h"
#include "web/web.h"

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

/* ---- the public page ---- */

void tracking_get(req *r)
{
	struct uc_ctx c;
	struct courier_tracking k;
	const char *no = req_field(r, "takip_no");
	tpl *t = tpl_new(r);
	tpl_set(t, "title", "Kurye Takip");
	if (no == NULL || *no == '\0') {
		reply_page(r, 200, "kurye_takip.html", t);
		return;
	}
	tpl_set(t, "takip_no", no);
	tpl_set(t, "searched", "1");
	if (web_uc_ctx(r, &c, "kurye-takip", "Kurye Takip") == NULL) {
		web_reply_uc(r, &c, UC_UNAVAILABLE);
		return;
	}
	enum uc_rc rc = courier_track(&c, no, &k);
	if (rc == UC_NOT_FOUND) {
		reply_page(r, 404, "kurye_takip.html", t);
		return;
	}
	if (rc != UC_OK) {
		web_reply_uc(r, &c, rc);
		return;
	}
	char when[17];
	date_format_tr_time(k.s.shipped_at, when);
	tpl_set(t, "found", "1");
	tpl_set(t, "courier", k.s.courier);
	tpl_set(t, "status", ship_status_label_tr(k.s.status));
	tpl_set(t, "status_code", ship_status_name(k.s.status));
	tpl_set(t, "shipped", when);
	tpl_set(t, "name", mask_name(r, k.ad, k.soyad));
	for (size_t i = 0; i < k.n_events; i++) {
		const struct shipment_event *e = &k.events[i];
		tpl *item = tpl_add(t, "events");
		date_format_tr_time(e->at, when);
		tpl_set(item, "when", when);
		tpl_set(item, "status", ship_status_label_tr(e->status));
		tpl_set(item, "location", e->location);
		tpl_set(item, "note", e->note);
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

/* The message of one event's result, for the courier. */
static const char *event_message(enum uc_rc rc, const char *message)
{
	if (rc == UC_OK)
		return "kaydedildi";
	if ((rc == UC_INVALID || rc == UC_NOT_FOUND || rc == UC_CONFLICT) && message != NULL)
		return message;
	return "kaydedilemedi";
}

/* Appends one JSON result object to out (a comma before all but the first). */
static void append_result(buf *out, int first, const char *no, enum uc_rc rc, const char *msg)
{
	if (!first)
		buf_putc(out, ',');
	buf_puts(out, "{\"takip_no\":");
	json_append_string(out, no ? no : "");
	buf_printf(out, ",\"sonuc\":\"%s\",\"mesaj\":", rc == UC_OK ? "ok" : "hata");
	json_append_string(out, event_message(rc, msg));
	buf_putc(out, '}');
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

/* One JSON event object: -1 unreadable, 0 recorded, 1 refused. */
static int api_json(req *r, struct uc_ctx *c, const char *body, size_t n, buf *out)
{
	int bad = 0;
	struct courier_report e = {0};
	e.tracking_no = json_member(r, body, n, "takip_no", &bad);
	e.status = json_member(r, body, n, "durum", &bad);
	e.location = json_member(r, body, n, "konum", &bad);
	e.note = json_member(r, body, n, "aciklama", &bad);
	if (json_get_int(body, n, "zaman", &e.at) < 0)
		bad = 1;
	if (bad)
		return -1;
	enum uc_rc rc = courier_report(c, &e);
	buf_puts(out, "[");
	append_result(out, 1, e.tracking_no, rc, c->message);
	buf_puts(out, "]");
	return rc == UC_OK ? 0 : 1;
}

struct csv_out {
	buf *out;
	int rows, failed;
};

static void csv_result(void *ctx, const struct courier_report *e, enum uc_rc rc,
		       const char *message)
{
	struct csv_out *o = ctx;
	append_result(o->out, o->rows++ == 0, e->tracking_no, rc, message);
	if (rc != UC_OK)
		o->failed++;
}

/* A CSV file of events (app/courier.c): -2 too many rows (nothing
 * recorded), -1 unreadable, 0 all recorded, 1 some refused. */
static int api_csv(struct uc_ctx *c, const char *body, size_t n, buf *out)
{
	struct csv_out o = {out, 0, 0};
	buf_puts(out, "[");
	enum uc_rc rc = courier_report_csv(c, body, n, csv_result, &o);
	buf_puts(out, "]");
	if (rc == UC_LIMITED)
		return -2;
	if (rc != UC_OK)
		return -1;
	return o.failed ? 1 : 0;
}

void tracking_api_post(req *r)
{
	size_t n = 0;
	const char *body = req_body(r, &n);
	const char *ct = req_header(r, "Content-Type");
	buf out;
	if (!bearer_ok(r)) {
		reply_header(r, "WWW-Authenticate", "Bearer");
		api_reply(r, 401,
			  "{\"hata\":\"Yetkisiz: geçerli bir erişim anahtarı gereklidir.\"}");
		return;
	}
	if (body == NULL || n == 0 || !utf8_valid(body, n)) {
		api_reply(r, 400, "{\"hata\":\"İstek gövdesi boş ya da geçerli UTF-8 değil.\"}");
		return;
	}
	struct uc_ctx c;
	if (web_uc_ctx(r, &c, "kurye:api", "Kurye") == NULL) {
		web_reply_uc(r, &c, UC_UNAVAILABLE);
		return;
	}
	buf_init(&out, 1024 * 1024);
	int rc = ct != NULL && strncmp(ct, "text/csv", 8) == 0 ? api_csv(&c, body, n, &out)
							       : api_json(r, &c, body, n, &out);
	if (rc == -2) {
		buf_free(&out);
		api_reply(r, 413,
			  "{\"hata\":\"Bir istekte en fazla 500 olay gönderilebilir; "
			  "dosyayı bölerek gönderin.\"}");
		return;
	}
	if (rc < 0 || out.err) {
		buf_free(&out);
		api_reply(r, 400,
			  "{\"hata\":\"Gövde okunamadı: JSON nesnesi ya da başlık satırı "
			  "takip_no,durum olan CSV bekleniyor.\"}");
		return;
	}
	char *json = arena_strndup(req_arena(r), out.data ? out.data : "[]", out.len);
	buf_free(&out);
	api_reply(r, rc == 0 ? 200 : 422, json ? json : "[]");
}
