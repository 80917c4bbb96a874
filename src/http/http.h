/* HTTP core: what handlers see.
 *
 * A request owns an arena (req_arena) that is freed when the response has
 * been queued; handlers never free arena memory. Inputs are declared before
 * handlers run: each route names its fields (struct field_spec) and the core
 * rejects a request with an undeclared field, an oversized one, invalid UTF-8
 * or control characters before the handler is called. A handler reads only
 * values that passed. Every POST must carry a valid `csrf` field unless its
 * route says ROUTE_NO_CSRF (OCSP, JSON API with its own auth).
 *
 * A handler returns once it has produced a reply (reply_* functions). Each
 * reply_* call may be made once per request. */
#ifndef EIMZA_HTTP_H
#define EIMZA_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef struct req req;
typedef struct tpl tpl;

/* What a field may contain, checked at the edge. Every kind rejects invalid
 * UTF-8 and control characters (TAB, CR and LF only in FIELD_MULTILINE). */
enum field_kind {
	FIELD_TEXT,	 /* one line of text */
	FIELD_MULTILINE, /* text with newlines (textarea) */
	FIELD_DIGITS,	 /* ASCII digits only (may be empty) */
	FIELD_TOKEN,	 /* [A-Za-z0-9_-] only: enum values, ids, codes */
	FIELD_FILE,	 /* a multipart file upload (binary allowed) */
	FIELD_KIND__MAX
};

struct field_spec {
	const char *name;
	enum field_kind kind;
	size_t max_len; /* bytes; longer input is a 400 naming the field */
};

enum route_flags {
	ROUTE_PREFIX = 1 << 0,	  /* pattern matches as a prefix ("/depo/") */
	ROUTE_NO_CSRF = 1 << 1,	  /* POST without csrf field (OCSP, API) */
	ROUTE_RAW_BODY = 1 << 2,  /* body is not a form: read with req_body() */
	ROUTE_DEV = 1 << 3,	  /* exists only with `serve --dev` */
	ROUTE_ANY_QUERY = 1 << 4, /* query string ignored, not checked as fields
				   * (static files: "?v=2" cache busters) */
};

typedef void (*handler_fn)(req *r);

struct route {
	const char *method; /* "GET", "POST"; GET routes also answer HEAD */
	const char *pattern;
	handler_fn handler;
	const struct field_spec *fields; /* terminated by {NULL}; NULL: none */
	unsigned flags;
	const char *metric_name; /* label in /metrics; NULL: the pattern */
};

/* ---- request ---- */
arena *req_arena(req *r);
const char *req_method(const req *r);
const char *req_path(const req *r);   /* decoded path, without the query */
const char *req_suffix(const req *r); /* for ROUTE_PREFIX: the part after the prefix */
const char *req_client_ip(const req *r);
int req_is_tls(const req *r); /* served over TLS or behind an https public URL */
int req_is_dev(const req *r); /* server runs with --dev */
/* A declared field from the query string (GET) or the body (POST); NULL when
 * absent. Values are valid UTF-8, within the declared bounds. */
const char *req_field(req *r, const char *name);
/* An uploaded file (FIELD_FILE); NULL when absent. */
const void *req_file(req *r, const char *name, size_t *len, const char **filename);
const char *req_header(req *r, const char *name);
const char *req_cookie(req *r, const char *name);
/* The raw body of a ROUTE_RAW_BODY request (bounded by the body limit). */
const void *req_body(req *r, size_t *len);

/* Percent-encodes s for a URL query or mailto: URI (RFC 3986 unreserved
 * characters kept) into the arena; NULL on arena exhaustion. */
char *http_url_encode(arena *a, const char *s);

/* ---- sessions (server-side, in the database) ----
 * A session is created on first use: a 256-bit random id in cookie `sid`,
 * HttpOnly, SameSite=Strict; Secure and named `__Host-sid` when the public
 * URL (server.base_url) is https, Secure over TLS; idle and absolute
 * expiry. */
const char *session_get(req *r, const char *key);	     /* arena copy or NULL */
int session_set(req *r, const char *key, const char *value); /* NULL deletes */
/* New id for the same data (call on every privilege change, e.g. login). */
int session_rotate(req *r);
/* Deletes the session and expires the cookie. */
void session_destroy(req *r);
/* The CSRF token bound to this session (creates the session if needed). */
const char *req_csrf_token(req *r);

/* ---- templates ----
 * Templates are files under templates/ (compiled in). Syntax:
 *   {{name}}            value, HTML-escaped (always)
 *   {{#name}}..{{/name}} repeated for each item of a list, or once if the
 *                       value is set and not "" / "0"
 *   {{^name}}..{{/name}} once if the value is unset, "", "0" or an empty list
 *   {{>file.html}}      include another template with the same values
 * Lookup walks from the current list item out to the page's values. A value
 * set with tpl_set_raw_html() is inserted without escaping: only code that
 * built that HTML itself may call it. */
tpl *tpl_new(req *r);
void tpl_set(tpl *t, const char *key, const char *value);
void tpl_setf(tpl *t, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tpl_set_int(tpl *t, const char *key, int64_t v);
void tpl_set_raw_html(tpl *t, const char *key, const char *html);
/* Appends an item to list `key` and returns the item's own values. */
tpl *tpl_add(tpl *t, const char *key);
/* Renders templates/<name> into an arena string (NULL on error). */
char *tpl_render(tpl *t, const char *name);

/* ---- replies ---- */
/* Renders `page` inside templates/layout.html ({{content}}) and sends it.
 * The layout reads `title`, `step` (1-5, optional) and `csrf` (set for you). */
void reply_page(req *r, int status, const char *page, tpl *t);
void reply_bytes(req *r, int status, const char *content_type, const void *data, size_t len);
/* Copies nothing: `data` must stay valid until the request ends (arena or static). */
void reply_redirect(req *r, const char *location); /* 303 See Other */
/* A Turkish error page with this status and message. */
void reply_error(req *r, int status, const char *message);
/* Extra response header for the coming reply (e.g. Cache-Control, ETag). */
void reply_header(req *r, const char *name, const char *value);

/* ---- server ---- */
struct server_opts {
	const char *listen; /* "127.0.0.1:8080" */
	int dev;
	unsigned threads;
	size_t max_body;		/* bytes (default 1 MiB) */
	size_t max_fields;		/* per request (default 200) */
	int session_idle;		/* seconds (default 1800) */
	int session_max;		/* seconds (default 28800) */
	const char *tls_cert, *tls_key; /* both set: serve HTTPS */
	/* Runs once the listening socket is bound and signals are set up,
	 * before any connection is accepted (serve drops its privileges
	 * here). Nonzero: the server does not start. May be NULL. */
	int (*on_listening)(void);
};

/* Registers a table of routes (terminated by {NULL}). Call before server_run. */
void http_add_routes(const struct route *routes);
/* Registers fn to run once server_run has stopped serving, before it
 * returns (at most 16 hooks; they run in reverse order of registration). */
void http_on_shutdown(void (*fn)(void));
/* Runs until SIGINT/SIGTERM. Returns 0 on clean shutdown, -1 when the server
 * could not start (message logged). Serves /healthz, /metrics and
 * /static/... itself. Call db_global_init() first. */
int server_run(const struct server_opts *o);

#endif
