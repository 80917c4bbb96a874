/* Inside the HTTP core: the request object and the pieces that the files of
 * src/http share. Handlers never include this (they see http.h only). The
 * functions here that take no `req` are pure and unit-tested. */
#ifndef EIMZA_HTTP_INTERNAL_H
#define EIMZA_HTTP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "http/http.h"
#include "util/buf.h"

struct MHD_Connection;
struct MHD_PostProcessor;

/* One submitted field (query string or body). */
struct field {
	const char *name;
	const struct field_spec *spec; /* NULL for the implicit csrf field */
	buf val;		       /* bounded by spec->max_len + 1 */
	char *filename;		       /* arena; multipart uploads only */
	int is_file;
	struct field *next;
};

struct resp_header {
	const char *name, *value;
	struct resp_header *next;
};

struct req {
	arena *a;
	struct MHD_Connection *conn;
	int64_t start_us;
	const char *method;
	const char *raw_uri; /* as the client sent it */
	const char *path;    /* decoded */
	const char *suffix;
	const char *client_ip;
	int tls, dev, started;
	const struct route *route;

	/* body */
	struct MHD_PostProcessor *pp;
	int urlencoded;
	int pct_state;	 /* percent-encoding check of url-encoded bodies */
	size_t body_len; /* bytes received so far */
	buf raw;	 /* ROUTE_RAW_BODY */
	struct field *fields, *cur;
	size_t nfields;

	/* a rejection found while reading the body, sent once it is complete */
	int err_status;
	const char *err_msg;

	/* session */
	int sess_loaded;
	char *sess_hash; /* hex; NULL: no session */
	char *csrf;
	int64_t sess_created;
	const char *set_cookie; /* Set-Cookie of the coming reply */

	/* reply */
	int replied;
	int in_error; /* rendering an error page */
	int status;
	struct resp_header *headers;
};

/* ---- opts.c ---- */
/* The options server_run was given, defaults filled in. */
const struct server_opts *http_opts(void);
void http_set_opts(const struct server_opts *o);

/* ---- route.c ---- */
/* Looks up method + path among the registered routes. Exact patterns win
 * over prefixes, longer prefixes over shorter ones; ROUTE_DEV routes exist
 * only when dev is set; HEAD matches GET routes. On a path match with no
 * method match, returns NULL and writes the allowed methods ("GET, HEAD,
 * POST") into allow; on no path match allow is "". *suffix gets the part
 * after a prefix ("" for exact matches). */
const struct route *route_match(const char *method, const char *path, int dev, char *allow,
				size_t allowlen, const char **suffix);
/* Forgets every registered table (tests). */
void route_reset(void);

/* ---- field.c ---- */
/* Checks one value against its spec. 0 when it passes; otherwise writes a
 * Turkish message into msg (naming the field) and returns 400. */
int field_check(const struct field_spec *spec, const char *v, size_t n, char *msg, size_t msglen);
/* The spec of `name` in the route's table; the implicit csrf spec for
 * "csrf"; NULL when undeclared. */
const struct field_spec *field_spec_find(const struct route *rt, const char *name);
/* Strict percent-decoding ('+' is a space when plus_space is set) into a
 * NUL-terminated arena string; *outlen gets the length. NULL on a
 * malformed escape (or out of memory). */
char *url_decode(arena *a, const char *s, size_t n, int plus_space, size_t *outlen);
/* 1 when every '%' in s[0..n) is followed by two hex digits. `state`
 * carries a partial escape across chunks (start at 0); at the end of the
 * input the state must be 0 again. */
int pct_check(int *state, const char *s, size_t n);
/* Adds an already decoded name/value pair to r's fields after checking it.
 * Returns 0, or an HTTP status with r->err_msg set. */
int field_add(req *r, const char *name, const char *val, size_t n);
/* Starts a new field `name`; NULL with r->err_status set when it may not be
 * added (undeclared, repeated, too many). */
struct field *field_begin(req *r, const char *name);
/* Appends a chunk of a field's value; 0 or an HTTP status (too long). */
int field_append(req *r, struct field *f, const char *data, size_t n);
/* Wipes and frees the fields' buffers (at the end of the request). */
void fields_free(req *r);
/* buf_append for buffers that may hold a secret (field values, raw
 * bodies): when the data must move to a larger buffer, the old one is
 * wiped before it is freed, where buf_append's realloc would free it as it
 * is. Same result and limits as buf_append. */
int http_buf_append_wiped(buf *b, const void *p, size_t n);
/* Zeroes b's whole allocation, then buf_free(b). */
void http_buf_free_wiped(buf *b);
/* Parses a query string (after the '?') into r's fields. 0 or a status. */
int query_parse(req *r, const char *q);
/* Runs field_check over every collected field (after the body ended). */
int fields_final_check(req *r);

/* ---- cookie.c ---- */
/* The value of cookie `name` in a Cookie header (arena copy), or NULL.
 * Returns NULL and sets *bad when the header is not valid UTF-8 or holds
 * control characters. */
const char *cookie_find(arena *a, const char *header, const char *name, int *bad);
/* "sid=VALUE; Path=/; HttpOnly; SameSite=Strict[; Secure][; Max-Age=0]". */
char *cookie_format(arena *a, const char *name, const char *value, int secure, int expire);

/* ---- session.c ---- */
/* 0 when the request's csrf field matches its session's token. */
int session_csrf_ok(req *r);
/* Deletes expired sessions when the last purge is five minutes old. */
void session_maybe_purge(void);

/* ---- template.c ---- */
/* A value set with tpl_* in arena a. lazy(ctx, key) is asked for keys that
 * are found nowhere (the layout's csrf: a session only when a page needs
 * one). */
tpl *tpl_new_in(arena *a);
void tpl_set_lazy(tpl *t, const char *(*lazy)(void *ctx, const char *key), void *ctx);
/* A text value of t itself (not of outer scopes), or NULL. */
const char *tpl_get(tpl *t, const char *key);
/* Renders template text (not a file) with values t; NULL on error. */
char *tpl_render_text(tpl *t, const char *text, size_t len);

/* ---- reply.c ---- */
/* Sends r's reply (status, body, default and extra headers). */
void reply_send(req *r, int status, const char *content_type, const void *data, size_t len,
		int copy);
/* The Turkish title of an HTTP status ("Sayfa bulunamadı"). */
const char *http_status_title(int status);

/* ---- metrics.c ---- */
void metrics_observe(const char *route, int status, int64_t micros);
/* The Prometheus text exposition of every counter so far. */
int metrics_render(buf *b);
void metrics_reset(void);

/* ---- builtin.c ---- */
extern const struct route http_builtin_routes[];
/* The Content-Type for a file name, by extension. */
const char *http_mime_type(const char *name);

#endif
