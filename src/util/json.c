#include "util/json.h"

#include "util/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int json_append_string(buf *b, const char *s)
{
	if (s == NULL)
		return buf_puts(b, "null");
	if (buf_putc(b, '"') != 0)
		return -1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int rc;
		switch (*p) {
		case '"': rc = buf_puts(b, "\\\""); break;
		case '\\': rc = buf_puts(b, "\\\\"); break;
		case '\n': rc = buf_puts(b, "\\n"); break;
		case '\r': rc = buf_puts(b, "\\r"); break;
		case '\t': rc = buf_puts(b, "\\t"); break;
		case '\b': rc = buf_puts(b, "\\b"); break;
		case '\f': rc = buf_puts(b, "\\f"); break;
		case '<':
		case '>':
		case '&': rc = buf_printf(b, "\\u%04x", *p); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				rc = buf_printf(b, "\\u%04x", *p);
			else
				rc = buf_putc(b, (char)*p);
		}
		if (rc != 0)
			return -1;
	}
	return buf_putc(b, '"');
}

/* ---- reader ---- */

struct jp {
	const char *s, *end;
};

static void skip_ws(struct jp *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static int hex4(const char *s, const char *end, unsigned *out)
{
	unsigned v = 0;
	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int put_utf8(buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return b ? buf_append(b, u, n) : 0;
}

/* \uXXXX (and its low surrogate) at p->s (after the backslash-u). */
static int parse_u_escape(struct jp *p, buf *out)
{
	unsigned cp, lo;
	if (hex4(p->s, p->end, &cp) != 0)
		return -1;
	p->s += 4;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return -1;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (p->end - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u' ||
		    hex4(p->s + 2, p->end, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		p->s += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0)
		return -1;
	return put_utf8(out, cp);
}

/* A string at p->s (on the opening quote); decoded into out when non-NULL. */
static int parse_string(struct jp *p, buf *out)
{
	if (p->s >= p->end || *p->s != '"')
		return -1;
	p->s++;
	while (p->s < p->end) {
		unsigned char c = (unsigned char)*p->s++;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\') {
			if (out && buf_putc(out, (char)c) != 0)
				return -1;
			continue;
		}
		if (p->s >= p->end)
			return -1;
		char e = *p->s++, r;
		switch (e) {
		case '"': r = '"'; break;
		case '\\': r = '\\'; break;
		case '/': r = '/'; break;
		case 'b': r = '\b'; break;
		case 'f': r = '\f'; break;
		case 'n': r = '\n'; break;
		case 'r': r = '\r'; break;
		case 't': r = '\t'; break;
		case 'u':
			if (parse_u_escape(p, out) != 0)
				return -1;
			continue;
		default: return -1;
		}
		if (out && buf_putc(out, r) != 0)
			return -1;
	}
	return -1;
}

static int parse_number(struct jp *p)
{
	const char *s = p->s;
	if (s < p->end && *s == '-')
		s++;
	if (s >= p->end || *s < '0' || *s > '9')
		return -1;
	if (*s == '0')
		s++;
	else
		while (s < p->end && *s >= '0' && *s <= '9')
			s++;
	if (s < p->end && *s == '.') {
		s++;
		if (s >= p->end || *s < '0' || *s > '9')
			return -1;
		while (s < p->end && *s >= '0' && *s <= '9')
			s++;
	}
	if (s < p->end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < p->end && (*s == '+' || *s == '-'))
			s++;
		if (s >= p->end || *s < '0' || *s > '9')
			return -1;
		while (s < p->end && *s >= '0' && *s <= '9')
			s++;
	}
	p->s = s;
	return 0;
}

static int parse_literal(struct jp *p, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(p->end - p->s) < n || memcmp(p->s, lit, n) != 0)
		return -1;
	p->s += n;
	return 0;
}

static int parse_value(struct jp *p, int depth);

static int parse_container(struct jp *p, int depth, char close, int is_object)
{
	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (is_object) {
			if (parse_string(p, NULL) != 0)
				return -1;
			skip_ws(p);
			if (p->s >= p->end || *p->s++ != ':')
				return -1;
		}
		if (parse_value(p, depth + 1) != 0)
			return -1;
		skip_ws(p);
		if (p->s >= p->end)
			return -1;
		char c = *p->s++;
		if (c == close)
			return 0;
		if (c != ',')
			return -1;
	}
}

static int parse_value(struct jp *p, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return -1;
	skip_ws(p);
	if (p->s >= p->end)
		return -1;
	switch (*p->s) {
	case '"': return parse_string(p, NULL);
	case '{': return parse_container(p, depth, '}', 1);
	case '[': return parse_container(p, depth, ']', 0);
	case 't': return parse_literal(p, "true");
	case 'f': return parse_literal(p, "false");
	case 'n': return parse_literal(p, "null");
	default: return parse_number(p);
	}
}

/* Validates the whole document as one object and returns where the value
 * of top-level member `key` starts (NULL: absent). -1 on invalid JSON. */
static int find_member(const char *json, size_t n, const char *key, const char **val)
{
	struct jp p = {json, json + n};
	buf k;
	int rc = -1;
	*val = NULL;
	buf_init(&k, 4096);
	skip_ws(&p);
	if (p.s >= p.end || *p.s != '{')
		goto out;
	p.s++;
	skip_ws(&p);
	if (p.s < p.end && *p.s == '}') {
		p.s++;
		goto tail;
	}
	for (;;) {
		skip_ws(&p);
		buf_reset(&k);
		if (parse_string(&p, &k) != 0)
			goto out;
		skip_ws(&p);
		if (p.s >= p.end || *p.s++ != ':')
			goto out;
		skip_ws(&p);
		if (*val == NULL && strcmp(k.data ? k.data : "", key) == 0)
			*val = p.s;
		if (parse_value(&p, 1) != 0)
			goto out;
		skip_ws(&p);
		if (p.s >= p.end)
			goto out;
		char c = *p.s++;
		if (c == '}')
			break;
		if (c != ',')
			goto out;
	}
tail:
	skip_ws(&p);
	if (p.s == p.end)
		rc = 0;
out:
	buf_free(&k);
	return rc;
}

int json_get_string(const char *json, size_t n, const char *key, buf *out)
{
	const char *v;
	buf_reset(out);
	if (find_member(json, n, key, &v) != 0)
		return -1;
	if (v == NULL)
		return 1;
	struct jp p = {v, json + n};
	if (*v != '"' || parse_string(&p, out) != 0 || out->err)
		return -1;
	if (out->data == NULL && buf_append(out, "", 0) != 0)
		return -1;
	if (!utf8_valid(out->data, out->len))
		return -1;
	return 0;
}

int json_get_int(const char *json, size_t n, const char *key, int64_t *out)
{
	const char *v;
	if (find_member(json, n, key, &v) != 0)
		return -1;
	if (v == NULL)
		return 1;
	struct jp p = {v, json + n};
	if (parse_number(&p) != 0)
		return -1;
	for (const char *c = v; c < p.s; c++)
		if (*c == '.' || *c == 'e' || *c == 'E')
			return -1;
	char tmp[32];
	size_t len = (size_t)(p.s - v);
	if (len >= sizeof tmp)
		return -1;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	errno = 0;
	char *end;
	long long x = strtoll(tmp, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = x;
	return 0;
}
