/* Dev pages (`serve --dev` only): every SMS and e-mail in the outbox, newest
 * first, as HTML (/dev/outbox) and JSON (/dev/outbox.json), so a person can
 * walk the whole flow on one machine and tests can read SMS codes.
 * /dev/captcha lives with the applicant flow, not here. */
#include "web/dev.h"

#include <stdio.h>
#include <string.h>

#include "notify/outbox.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json.h"

#define DEV_LIMIT_DEFAULT 200
#define DEV_LIMIT_MAX 1000
#define DEV_JSON_MAX (8u << 20)

static const struct field_spec dev_outbox_fields[] = {
	{"durum", FIELD_TOKEN, 16}, /* pending | sending | sent | failed */
	{"limit", FIELD_DIGITS, 4},
	{NULL, 0, 0},
};

static const char *status_label(const char *status)
{
	static const char *const labels[OUTBOX_STATUS__MAX] = {
		[OUTBOX_PENDING] = "Bekliyor",
		[OUTBOX_SENDING] = "Gönderiliyor",
		[OUTBOX_SENT] = "Gönderildi",
		[OUTBOX_FAILED] = "Başarısız",
	};
	for (int i = 0; status != NULL && i < OUTBOX_STATUS__MAX; i++)
		if (strcmp(status, outbox_status_names[i]) == 0)
			return labels[i];
	return status ? status : "";
}

/* Reads ?durum= and ?limit=; replies 400 and returns -1 on a bad value. */
static int read_filter_or_reply(req *r, const char **status, int *limit)
{
	const char *s = req_field(r, "durum"), *l = req_field(r, "limit");
	*status = NULL;
	*limit = DEV_LIMIT_DEFAULT;
	if (s != NULL && s[0] != '\0') {
		int ok = 0;
		for (int i = 0; i < OUTBOX_STATUS__MAX; i++)
			ok |= strcmp(s, outbox_status_names[i]) == 0;
		if (!ok) {
			reply_error(r, 400, "Geçersiz durum değeri.");
			return -1;
		}
		*status = s;
	}
	if (l != NULL && l[0] != '\0') {
		int n = 0;
		for (const char *p = l; *p; p++)
			n = n * 10 + (*p - '0'); /* FIELD_DIGITS, at most 4 digits */
		if (n < 1 || n > DEV_LIMIT_MAX) {
			reply_error(r, 400, "Geçersiz limit değeri (1-1000).");
			return -1;
		}
		*limit = n;
	}
	return 0;
}

/* ---- HTML ---- */

static void add_html_row(void *ctx, const struct outbox_row *row)
{
	tpl *item = tpl_add((tpl *)ctx, "rows");
	char created[21];
	clock_format_iso(row->created_at, created);
	tpl_set_int(item, "id", row->id);
	tpl_set(item, "channel", strcmp(row->channel, "sms") == 0 ? "SMS" : "E-posta");
	tpl_set(item, "channel_raw", row->channel);
	tpl_set(item, "to", row->to);
	tpl_set(item, "subject", row->subject ? row->subject : "");
	tpl_set(item, "body", row->body);
	tpl_set(item, "time", created);
	tpl_set(item, "status", row->status);
	tpl_set(item, "status_label", status_label(row->status));
	tpl_set_int(item, "attempts", row->attempts);
	tpl_set(item, "last_error", row->last_error ? row->last_error : "");
	tpl_set(item, "ref", row->ref ? row->ref : "");
}

static void dev_outbox_html(req *r)
{
	const char *status;
	int limit;
	db *d = db_thread();
	if (!req_is_dev(r)) {
		reply_error(r, 404, "Sayfa bulunamadı.");
		return;
	}
	if (read_filter_or_reply(r, &status, &limit) != 0)
		return;
	if (d == NULL) {
		reply_error(r, 503, "Veritabanına ulaşılamıyor.");
		return;
	}
	tpl *t = tpl_new(r);
	tpl_set(t, "title", "Geliştirici: Giden İletiler");
	tpl_set(t, "filter", status ? status : "");
	int n = outbox_list(d, limit, status, add_html_row, t);
	if (n < 0) {
		reply_error(r, 500, "Giden iletiler okunamadı.");
		return;
	}
	tpl_set_int(t, "count", n);
	reply_header(r, "Cache-Control", "no-store");
	reply_page(r, 200, "dev_outbox.html", t);
}

/* ---- JSON ---- */

struct json_ctx {
	buf *b;
	int n;
};

static void add_json_row(void *ctx, const struct outbox_row *row)
{
	struct json_ctx *j = ctx;
	char created[21];
	clock_format_iso(row->created_at, created);
	buf_puts(j->b, j->n++ ? ",\n{" : "\n{");
	buf_puts(j->b, "\"channel\":");
	json_append_string(j->b, row->channel);
	buf_puts(j->b, ",\"to\":");
	json_append_string(j->b, row->to);
	buf_puts(j->b, ",\"subject\":");
	json_append_string(j->b, row->subject ? row->subject : "");
	buf_puts(j->b, ",\"body\":");
	json_append_string(j->b, row->body);
	buf_puts(j->b, ",\"time\":");
	json_append_string(j->b, created);
	buf_puts(j->b, ",\"status\":");
	json_append_string(j->b, row->status);
	buf_puts(j->b, ",\"ref\":");
	json_append_string(j->b, row->ref);
	buf_putc(j->b, '}');
}

static void dev_outbox_json(req *r)
{
	const char *status;
	int limit;
	buf b;
	db *d = db_thread();
	buf_init(&b, DEV_JSON_MAX);
	if (!req_is_dev(r)) {
		reply_error(r, 404, "Sayfa bulunamadı.");
		goto out;
	}
	if (read_filter_or_reply(r, &status, &limit) != 0)
		goto out;
	if (d == NULL) {
		reply_error(r, 503, "Veritabanına ulaşılamıyor.");
		goto out;
	}
	struct json_ctx j = {.b = &b, .n = 0};
	buf_putc(&b, '[');
	if (outbox_list(d, limit, status, add_json_row, &j) < 0) {
		reply_error(r, 500, "Giden iletiler okunamadı.");
		goto out;
	}
	buf_puts(&b, j.n ? "\n]\n" : "]\n");
	char *copy = b.err ? NULL : arena_strndup(req_arena(r), b.data, b.len);
	if (copy == NULL) {
		reply_error(r, 500, "Yanıt çok büyük; limit değerini küçültün.");
		goto out;
	}
	reply_header(r, "Cache-Control", "no-store");
	reply_bytes(r, 200, "application/json; charset=utf-8", copy, b.len);
out:
	buf_free(&b);
}

const struct route dev_routes[] = {
	{"GET", "/dev/outbox", dev_outbox_html, dev_outbox_fields, ROUTE_DEV, NULL},
	{"GET", "/dev/outbox.json", dev_outbox_json, dev_outbox_fields, ROUTE_DEV, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
