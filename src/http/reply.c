/* Replies: pages in the layout, error pages, redirects, raw bytes, and the
 * headers every response carries. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/config.h"
#include "util/html.h"
#include "util/log.h"

static const char csp[] = "default-src 'self'; img-src 'self' data:; style-src 'self'; "
			  "script-src 'self'; object-src 'none'; base-uri 'none'; "
			  "form-action 'self'; frame-ancestors 'none'";

static const struct {
	int status;
	const char *title;
} titles[] = {
	{400, "Geçersiz istek"},
	{403, "Erişim engellendi"},
	{404, "Sayfa bulunamadı"},
	{405, "Bu yöntem desteklenmiyor"},
	{409, "Çakışma"},
	{413, "İstek çok büyük"},
	{415, "Desteklenmeyen içerik türü"},
	{429, "Çok fazla deneme"},
	{500, "Sunucu hatası"},
	{503, "Hizmet geçici olarak kullanılamıyor"},
};

static const char *const step_names[] = {"Portale Giriş", "Başvuru Formu", "SMS Onay Kodu",
					 "SMS Doğrulama", "İmza Yöntemi"};

const char *http_status_title(int status)
{
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (titles[i].status == status)
			return titles[i].title;
	return status >= 500 ? "Sunucu hatası" : "Hata";
}

static int header_ok(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") == NULL;
}

void reply_header(req *r, const char *name, const char *value)
{
	if (!header_ok(name) || !header_ok(value)) {
		log_error("reply_header: refused a header with a line break");
		return;
	}
	struct resp_header *h = arena_alloc(r->a, sizeof *h);
	if (h == NULL)
		return;
	h->name = arena_strdup(r->a, name);
	h->value = arena_strdup(r->a, value);
	h->next = r->headers;
	r->headers = h;
}

static int has_header(const req *r, const char *name)
{
	for (const struct resp_header *h = r->headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return 1;
	return 0;
}

static void add_headers(req *r, struct MHD_Response *resp, const char *content_type)
{
	if (content_type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (r->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
					"max-age=31536000; includeSubDomains");
	if (!has_header(r, "Cache-Control"))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->set_cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	for (const struct resp_header *h = r->headers; h != NULL; h = h->next)
		MHD_add_response_header(resp, h->name, h->value);
}

void reply_send(req *r, int status, const char *content_type, const void *data, size_t len,
		int copy)
{
	if (r->replied) {
		log_error("reply: second reply to %s %s ignored", r->method, r->path);
		return;
	}
	r->replied = 1;
	r->status = status;
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		len, (void *)data, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		log_error("reply: cannot create a response");
		return;
	}
	add_headers(r, resp, content_type);
	if (MHD_queue_response(r->conn, (unsigned)status, resp) != MHD_YES)
		log_error("reply: cannot queue the response for %s", r->path);
	MHD_destroy_response(resp);
}

void reply_bytes(req *r, int status, const char *content_type, const void *data, size_t len)
{
	reply_send(r, status, content_type, data, len, 1);
}

void reply_redirect(req *r, const char *location)
{
	if (!header_ok(location) || location[0] == '\0') {
		reply_error(r, 500, "Geçersiz yönlendirme.");
		return;
	}
	reply_header(r, "Location", location);
	static const char body[] = "Yönlendiriliyor...\n";
	reply_send(r, 303, "text/plain; charset=utf-8", body, sizeof body - 1, 0);
}

tpl *tpl_new(req *r)
{
	return tpl_new_in(r->a);
}

static const char *lazy_value(void *ctx, const char *key)
{
	req *r = ctx;
	if (strcmp(key, "csrf") == 0)
		return req_csrf_token(r);
	return NULL;
}

/* The layout's values: service, CA, phones, the step indicator. */
static void layout_values(req *r, tpl *t)
{
	tpl_set(t, "service_name", "e-İmza Sertifika Başvuru Portalı");
	tpl_set(t, "ca_name", config_get("ca.name"));
	tpl_set(t, "phones", config_get("contact.phones"));
	if (req_is_dev(r))
		tpl_set(t, "dev", "1");
	const char *step = tpl_get(t, "step");
	char *end = NULL;
	long n = step ? strtol(step, &end, 10) : 0;
	if (step == NULL || end == step || *end != '\0' || n < 1 || n > 5) {
		tpl_set(t, "step", NULL);
		return;
	}
	tpl_set(t, "step_name", step_names[n - 1]);
	for (long i = 1; i <= 5; i++) {
		tpl *it = tpl_add(t, "steps");
		tpl_set_int(it, "num", i);
		tpl_set(it, "name", step_names[i - 1]);
		tpl_set(it, "current", i == n ? "1" : NULL);
		tpl_set(it, "done", i < n ? "1" : NULL);
	}
}

/* A last-resort page when the templates themselves fail. */
static void reply_plain_error(req *r, int status, const char *message)
{
	buf b;
	buf_init(&b, 1 << 16);
	buf_puts(&b, "<!DOCTYPE html><html lang=\"tr\"><head><meta charset=\"utf-8\">"
		     "<title>");
	html_escape(&b, http_status_title(status));
	buf_puts(&b, "</title></head><body><main id=\"icerik\"><h1>");
	html_escape(&b, http_status_title(status));
	buf_puts(&b, "</h1><p>");
	html_escape(&b, message);
	buf_puts(&b, "</p></main></body></html>\n");
	reply_send(r, status, "text/html; charset=utf-8", b.data, b.len, 1);
	buf_free(&b);
}

void reply_page(req *r, int status, const char *page, tpl *t)
{
	if (t == NULL)
		t = tpl_new(r);
	if (t == NULL) {
		reply_plain_error(r, 500, "Bellek yetersiz.");
		return;
	}
	tpl_set_lazy(t, lazy_value, r);
	char *content = tpl_render(t, page);
	if (content == NULL)
		goto fail;
	tpl_set_raw_html(t, "content", content);
	layout_values(r, t);
	char *html = tpl_render(t, "layout.html");
	if (html == NULL)
		goto fail;
	reply_send(r, status, "text/html; charset=utf-8", html, strlen(html), 0);
	return;
fail:
	if (r->in_error)
		reply_plain_error(r, status, r->err_msg ? r->err_msg : "Sayfa oluşturulamadı.");
	else
		reply_error(r, 500, "Sayfa oluşturulamadı. Lütfen daha sonra tekrar deneyin.");
}

void reply_error(req *r, int status, const char *message)
{
	if (r->in_error) {
		reply_plain_error(r, status, message);
		return;
	}
	r->in_error = 1;
	r->err_msg = message;
	tpl *t = tpl_new(r);
	if (t == NULL) {
		reply_plain_error(r, status, message);
		return;
	}
	tpl_set(t, "title", http_status_title(status));
	tpl_set_int(t, "status", status);
	tpl_set(t, "status_title", http_status_title(status));
	tpl_set(t, "message", message);
	reply_page(r, status, "error.html", t);
}
