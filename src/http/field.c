/* Declared inputs: percent-decoding, the field table of a route, and the
 * checks every value passes before a handler sees it. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/utf8.h"

#define CSRF_MAX 128

static const struct field_spec csrf_spec = {"csrf", FIELD_TOKEN, CSRF_MAX};

static const char msg_utf8[] = "Geçersiz karakter kodlaması (UTF-8 değil).";

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(arena *a, const char *s, size_t n, int plus_space, size_t *outlen)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus_space) {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

int pct_check(int *state, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (*state == 0) {
			if (s[i] == '%')
				*state = 1;
		} else {
			if (hexval(s[i]) < 0)
				return 0;
			*state = *state == 1 ? 2 : 0;
		}
	}
	return 1;
}

static int all_digits(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

static int all_token(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = v[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int field_check(const struct field_spec *spec, const char *v, size_t n, char *msg, size_t msglen)
{
	if (n > spec->max_len) {
		snprintf(msg, msglen, "'%s' alanı çok uzun.", spec->name);
		return 400;
	}
	if (spec->kind == FIELD_FILE)
		return 0;
	if (!utf8_valid(v, n) || utf8_has_controls(v, n, spec->kind == FIELD_MULTILINE)) {
		snprintf(msg, msglen, "%s", msg_utf8);
		return 400;
	}
	if (spec->kind == FIELD_DIGITS && !all_digits(v, n)) {
		snprintf(msg, msglen, "'%s' alanı yalnızca rakam içermelidir.", spec->name);
		return 400;
	}
	if (spec->kind == FIELD_TOKEN && !all_token(v, n)) {
		snprintf(msg, msglen, "'%s' alanında geçersiz karakter var.", spec->name);
		return 400;
	}
	return 0;
}

const struct field_spec *field_spec_find(const struct route *rt, const char *name)
{
	if (rt != NULL && rt->fields != NULL)
		for (const struct field_spec *f = rt->fields; f->name != NULL; f++)
			if (strcmp(f->name, name) == 0)
				return f;
	if (strcmp(name, "csrf") == 0)
		return &csrf_spec;
	return NULL;
}

static int fail(req *r, int status, const char *msg)
{
	if (r->err_status == 0) {
		r->err_status = status;
		r->err_msg = arena_strdup(r->a, msg);
	}
	return status;
}

/* A field name safe to quote in a message (short, printable), or NULL. */
static const char *quotable(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > 40 || !utf8_valid(name, n) || utf8_has_controls(name, n, 0))
		return NULL;
	return name;
}

struct field *field_begin(req *r, const char *name)
{
	char msg[160];
	const struct field_spec *spec = field_spec_find(r->route, name);
	const struct server_opts *o = http_opts();
	if (spec == NULL) {
		const char *q = quotable(name);
		if (q != NULL)
			snprintf(msg, sizeof msg, "Beklenmeyen alan: '%s'.", q);
		else
			snprintf(msg, sizeof msg, "Beklenmeyen alan.");
		fail(r, 400, msg);
		return NULL;
	}
	if (o != NULL && o->max_fields && r->nfields >= o->max_fields) {
		fail(r, 400, "Formda çok fazla alan var.");
		return NULL;
	}
	for (struct field *f = r->fields; f != NULL; f = f->next)
		if (strcmp(f->name, spec->name) == 0) {
			snprintf(msg, sizeof msg, "'%s' alanı birden fazla kez gönderilmiş.",
				 spec->name);
			fail(r, 400, msg);
			return NULL;
		}
	struct field *f = arena_alloc(r->a, sizeof *f);
	if (f == NULL) {
		fail(r, 500, "Bellek yetersiz.");
		return NULL;
	}
	f->name = spec->name;
	f->spec = spec;
	buf_init(&f->val, spec->max_len + 1);
	buf_append(&f->val, "", 0);
	f->next = r->fields;
	r->fields = f;
	r->nfields++;
	return f;
}

int field_append(req *r, struct field *f, const char *data, size_t n)
{
	char msg[160];
	if (http_buf_append_wiped(&f->val, data, n) != 0) {
		snprintf(msg, sizeof msg, "'%s' alanı çok uzun.", f->spec->name);
		return fail(r, 400, msg);
	}
	return 0;
}

int field_add(req *r, const char *name, const char *val, size_t n)
{
	struct field *f = field_begin(r, name);
	if (f == NULL)
		return r->err_status;
	return field_append(r, f, val, n);
}

int query_parse(req *r, const char *q)
{
	int ignore = r->route != NULL && (r->route->flags & ROUTE_ANY_QUERY);
	/* Links from mail and social sites append ?fbclid=, ?utm_source= and the
	 * like: a GET page ignores query keys it does not declare. Declared keys
	 * are still checked, and POST (query and body) stays strict. */
	int skip_unknown = r->route != NULL && strcmp(r->route->method, "GET") == 0;
	while (q != NULL && *q != '\0') {
		const char *amp = strchr(q, '&');
		size_t len = amp ? (size_t)(amp - q) : strlen(q);
		const char *eq = memchr(q, '=', len);
		size_t nlen = eq ? (size_t)(eq - q) : len;
		size_t klen, vlen;
		char *k = url_decode(r->a, q, nlen, 1, &klen);
		char *v = eq ? url_decode(r->a, eq + 1, len - nlen - 1, 1, &vlen)
			     : arena_strdup(r->a, "");
		if (k == NULL || v == NULL)
			return fail(r, 400, "Geçersiz istek (bozuk yüzde kodlaması).");
		if (!eq)
			vlen = 0;
		if (!utf8_valid(k, klen) || utf8_has_controls(k, klen, 0) || !utf8_valid(v, vlen) ||
		    utf8_has_controls(v, vlen, 1))
			return fail(r, 400, msg_utf8);
		int unknown = skip_unknown && field_spec_find(r->route, k) == NULL;
		if (len > 0 && !ignore && !unknown && field_add(r, k, v, vlen) != 0)
			return r->err_status;
		q = amp ? amp + 1 : NULL;
	}
	return 0;
}

int fields_final_check(req *r)
{
	char msg[160];
	for (struct field *f = r->fields; f != NULL; f = f->next) {
		if (f->val.err)
			continue; /* reported when it overflowed */
		int st = field_check(f->spec, f->val.data, f->val.len, msg, sizeof msg);
		if (st != 0)
			return fail(r, st, msg);
	}
	return 0;
}

const char *req_field(req *r, const char *name)
{
	for (struct field *f = r->fields; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f->spec->kind == FIELD_FILE ? NULL : f->val.data;
	return NULL;
}

const void *req_file(req *r, const char *name, size_t *len, const char **filename)
{
	for (struct field *f = r->fields; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0) {
			if (len)
				*len = f->val.len;
			if (filename)
				*filename = f->filename ? f->filename : "";
			return f->val.data;
		}
	return NULL;
}

void fields_free(req *r)
{
	/* Forms carry passwords and security words: wipe before freeing. */
	for (struct field *f = r->fields; f != NULL; f = f->next)
		http_buf_free_wiped(&f->val);
	r->fields = NULL;
}

int http_buf_append_wiped(buf *b, const void *p, size_t n)
{
	/* No move: it fits, it is the first allocation, or buf_append refuses
	 * (and sets err) without touching the data. */
	if (b->err || b->data == NULL || n > b->max || b->len + n + 1 > b->max ||
	    b->len + n + 1 <= b->cap)
		return buf_append(b, p, n);
	size_t need = b->len + n + 1, cap = b->cap;
	while (cap < need)
		cap *= 2;
	if (cap > b->max)
		cap = b->max;
	char *moved = malloc(cap);
	if (moved == NULL) {
		b->err = 1;
		return -1;
	}
	memcpy(moved, b->data, b->len + 1);
	sodium_memzero(b->data, b->cap);
	free(b->data);
	b->data = moved;
	b->cap = cap;
	return buf_append(b, p, n);
}

void http_buf_free_wiped(buf *b)
{
	if (b->data != NULL)
		sodium_memzero(b->data, b->cap);
	buf_free(b);
}

char *http_url_encode(arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = arena_alloc(a, strlen(s) * 3 + 1), *o = out;
	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}
