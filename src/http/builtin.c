/* Routes of the core itself: static files, /healthz and /metrics. */
#include <sodium.h>
#include <string.h>

#include "http/edge.h"
#include "http/internal.h"
#include "store/db.h"
#include "util/assets.h"

static const struct {
	const char *ext, *type;
} mime[] = {
	{".css", "text/css; charset=utf-8"},
	{".js", "text/javascript; charset=utf-8"},
	{".png", "image/png"},
	{".svg", "image/svg+xml"},
	{".ico", "image/x-icon"},
	{".jpg", "image/jpeg"},
	{".woff2", "font/woff2"},
	{".txt", "text/plain; charset=utf-8"},
	{".pdf", "application/pdf"},
	{".json", "application/json"},
	{".html", "text/html; charset=utf-8"},
};

const char *http_mime_type(const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++) {
		size_t e = strlen(mime[i].ext);
		if (n > e && strcmp(name + n - e, mime[i].ext) == 0)
			return mime[i].type;
	}
	return "application/octet-stream";
}

/* 1 when an If-None-Match header names etag (or is "*"). */
static int etag_matches(const char *inm, const char *etag)
{
	if (inm == NULL)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	return strstr(inm, etag) != NULL;
}

static void serve_asset(req *r, const char *name);

static void static_file(req *r)
{
	char name[512];
	const char *suffix = req_suffix(r);
	if (suffix[0] == '\0' || strlen(suffix) + sizeof "static/" > sizeof name) {
		reply_error(r, 404, "Aradığınız sayfa bulunamadı.");
		return;
	}
	memcpy(name, "static/", 7);
	memcpy(name + 7, suffix, strlen(suffix) + 1);
	serve_asset(r, name);
}

/* Browsers ask for /favicon.ico on every site: the icon of static/. */
static void favicon(req *r)
{
	serve_asset(r, "static/favicon.ico");
}

/* Only exact names of compiled-in files: nothing on disk is reachable. */
static void serve_asset(req *r, const char *name)
{
	const struct asset *as = asset_find(name);
	if (as == NULL) {
		reply_error(r, 404, "Aradığınız sayfa bulunamadı.");
		return;
	}
	const char *etag = as->etag;
	reply_header(r, "ETag", etag);
	reply_header(r, "Cache-Control", "public, max-age=3600");
	if (etag_matches(req_header(r, "If-None-Match"), etag)) {
		reply_send(r, 304, NULL, "", 0, 0);
		return;
	}
	reply_send(r, 200, http_mime_type(name), as->data, as->len, 0);
}

static void healthz(req *r)
{
	static const char ok[] = "ok\n", bad[] = "veritabanı yanıt vermiyor\n";
	db *d = db_thread();
	if (d != NULL && db_query_int64(d, -1, "SELECT 1", NULL) == 1)
		reply_send(r, 200, "text/plain; charset=utf-8", ok, sizeof ok - 1, 0);
	else
		reply_send(r, 503, "text/plain; charset=utf-8", bad, sizeof bad - 1, 0);
}

/* Only from server.metrics_allow or with the bearer token of
 * server.metrics_token_file; to anyone else the route does not exist. */
static void metrics(req *r)
{
	if (!http_metrics_allowed(req_client_ip(r), req_header(r, "Authorization"))) {
		reply_error(r, 404, "Aradığınız sayfa bulunamadı.");
		return;
	}
	buf b;
	buf_init(&b, 1 << 20);
	metrics_render(&b);
	reply_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data ? b.data : "",
		    b.len);
	buf_free(&b);
}

const struct route http_builtin_routes[] = {
	{"GET", "/static/", static_file, NULL, ROUTE_PREFIX | ROUTE_ANY_QUERY, "static"},
	{"GET", "/favicon.ico", favicon, NULL, ROUTE_ANY_QUERY, "favicon"},
	{"GET", "/healthz", healthz, NULL, ROUTE_ANY_QUERY, "healthz"},
	{"GET", "/metrics", metrics, NULL, ROUTE_ANY_QUERY, "metrics"},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
