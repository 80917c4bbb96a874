/* A small mustache-like template engine (syntax in http.h).
 *
 * A template is parsed into a tree of nodes in the request's arena, then
 * rendered against a stack of value sets: the page's values at the bottom,
 * the current list item on top. Every value is HTML-escaped unless it was set
 * with tpl_set_raw_html(); there is no raw syntax in templates. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http/internal.h"
#include "util/assets.h"
#include "util/html.h"
#include "util/log.h"

#define TPL_MAX_OUT (8u << 20)
#define TPL_MAX_NEST 32
#define TPL_MAX_INCLUDE 8

enum tval_kind { TV_TEXT, TV_RAW, TV_LIST, TV__MAX };

struct tval {
	const char *key;
	enum tval_kind kind;
	const char *s;
	tpl *first, *last; /* TV_LIST items */
	size_t nitems;
	struct tval *next;
};

struct tpl {
	arena *a;
	struct tval *vals;
	tpl *next; /* next item of the same list */
	const char *(*lazy)(void *ctx, const char *key);
	void *lazy_ctx;
};

enum node_kind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_INCLUDE, N__MAX };

struct node {
	enum node_kind kind;
	const char *s; /* text, or the tag's name (NUL-terminated) */
	size_t n;
	struct node *child, *next;
};

struct parser {
	arena *a;
	const char *start, *p, *end;
	const char *err;
	size_t err_at;
};

struct render {
	arena *a;
	buf out;
	tpl *stack[TPL_MAX_NEST];
	int depth;
	int includes;
	const char *err;
};

/* ---- values ---- */

tpl *tpl_new_in(arena *a)
{
	tpl *t = arena_alloc(a, sizeof *t);
	if (t != NULL)
		t->a = a;
	return t;
}

void tpl_set_lazy(tpl *t, const char *(*lazy)(void *ctx, const char *key), void *ctx)
{
	if (t == NULL)
		return;
	t->lazy = lazy;
	t->lazy_ctx = ctx;
}

static struct tval *tval_get(tpl *t, const char *key, int create)
{
	for (struct tval *v = t->vals; v != NULL; v = v->next)
		if (strcmp(v->key, key) == 0)
			return v;
	if (!create)
		return NULL;
	struct tval *v = arena_alloc(t->a, sizeof *v);
	if (v == NULL)
		return NULL;
	v->key = arena_strdup(t->a, key);
	if (v->key == NULL)
		return NULL;
	v->next = t->vals;
	t->vals = v;
	return v;
}

static void set_kind(tpl *t, const char *key, enum tval_kind kind, const char *value)
{
	if (t == NULL || key == NULL)
		return;
	struct tval *v = tval_get(t, key, 1);
	if (v == NULL)
		return;
	v->kind = kind;
	v->s = value ? arena_strdup(t->a, value) : NULL;
	v->first = v->last = NULL;
	v->nitems = 0;
}

void tpl_set(tpl *t, const char *key, const char *value)
{
	set_kind(t, key, TV_TEXT, value);
}

void tpl_set_raw_html(tpl *t, const char *key, const char *html)
{
	set_kind(t, key, TV_RAW, html);
}

void tpl_setf(tpl *t, const char *key, const char *fmt, ...)
{
	va_list ap;
	if (t == NULL)
		return;
	va_start(ap, fmt);
	char *s = arena_vprintf(t->a, fmt, ap);
	va_end(ap);
	set_kind(t, key, TV_TEXT, s);
}

void tpl_set_int(tpl *t, const char *key, int64_t v)
{
	tpl_setf(t, key, "%lld", (long long)v);
}

tpl *tpl_add(tpl *t, const char *key)
{
	if (t == NULL)
		return NULL;
	struct tval *v = tval_get(t, key, 1);
	if (v == NULL)
		return NULL;
	if (v->kind != TV_LIST) {
		v->kind = TV_LIST;
		v->s = NULL;
		v->first = v->last = NULL;
		v->nitems = 0;
	}
	tpl *item = tpl_new_in(t->a);
	if (item == NULL)
		return NULL;
	if (v->last)
		v->last->next = item;
	else
		v->first = item;
	v->last = item;
	v->nitems++;
	return item;
}

/* ---- parsing ---- */

static int name_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      c == '_' || c == '-' || c == '.' || c == '/'))
			return 0;
	}
	return 1;
}

static struct node *node_new(struct parser *ps, enum node_kind k, const char *s, size_t n)
{
	struct node *nd = arena_alloc(ps->a, sizeof *nd);
	if (nd == NULL) {
		ps->err = "out of memory";
		return NULL;
	}
	nd->kind = k;
	nd->n = n;
	nd->s = k == N_TEXT ? s : arena_strndup(ps->a, s, n);
	return nd;
}

static void parse_error(struct parser *ps, const char *msg, const char *at)
{
	if (ps->err == NULL) {
		ps->err = msg;
		ps->err_at = (size_t)(at - ps->start);
	}
}

/* Parses until the closing tag of `close` (NULL: the end of the text). */
static struct node *parse_block(struct parser *ps, const char *close, int level)
{
	struct node *head = NULL, **tail = &head;
	if (level > TPL_MAX_NEST) {
		parse_error(ps, "sections nested too deeply", ps->p);
		return NULL;
	}
	while (ps->err == NULL) {
		const char *open = memmem(ps->p, (size_t)(ps->end - ps->p), "{{", 2);
		const char *stop = open ? open : ps->end;
		if (stop > ps->p) {
			*tail = node_new(ps, N_TEXT, ps->p, (size_t)(stop - ps->p));
			if (*tail == NULL)
				return NULL;
			tail = &(*tail)->next;
		}
		if (open == NULL) {
			if (close != NULL)
				parse_error(ps, "unclosed section", ps->end);
			return head;
		}
		const char *shut = memmem(open + 2, (size_t)(ps->end - open - 2), "}}", 2);
		if (shut == NULL) {
			parse_error(ps, "unclosed tag", open);
			return NULL;
		}
		const char *s = open + 2, *e = shut;
		ps->p = shut + 2;
		char sigil = 0;
		if (s < e && strchr("#^/>!", *s) != NULL)
			sigil = *s++;
		if (sigil == '!')
			continue;
		while (s < e && *s == ' ')
			s++;
		while (e > s && e[-1] == ' ')
			e--;
		size_t n = (size_t)(e - s);
		if (!name_ok(s, n)) {
			parse_error(ps, "bad tag name", open);
			return NULL;
		}
		if (sigil == '/') {
			if (close == NULL || strlen(close) != n || memcmp(close, s, n) != 0)
				parse_error(ps, "unexpected closing tag", open);
			return head;
		}
		enum node_kind k = sigil == '#'	  ? N_SECTION
				   : sigil == '^' ? N_INVERTED
				   : sigil == '>' ? N_INCLUDE
						  : N_VAR;
		struct node *nd = node_new(ps, k, s, n);
		if (nd == NULL)
			return NULL;
		if (k == N_SECTION || k == N_INVERTED) {
			nd->child = parse_block(ps, nd->s, level + 1);
			if (ps->err != NULL)
				return NULL;
		}
		*tail = nd;
		tail = &nd->next;
	}
	return NULL;
}

static struct node *parse(arena *a, const char *text, size_t len, const char *what)
{
	struct parser ps = {a, text, text, text + len, NULL, 0};
	struct node *root = parse_block(&ps, NULL, 0);
	if (ps.err != NULL) {
		size_t line = 1;
		for (size_t i = 0; i < ps.err_at; i++)
			line += text[i] == '\n';
		log_error("template %s:%zu: %s", what, line, ps.err);
		return NULL;
	}
	if (root == NULL) /* empty template */
		root = node_new(&ps, N_TEXT, "", 0);
	return root;
}

/* ---- rendering ---- */

static struct tval *lookup(struct render *rd, const char *key)
{
	for (int i = rd->depth - 1; i >= 0; i--) {
		struct tval *v = tval_get(rd->stack[i], key, 0);
		if (v != NULL)
			return v;
	}
	tpl *root = rd->stack[0];
	if (root->lazy != NULL) {
		const char *s = root->lazy(root->lazy_ctx, key);
		if (s != NULL) {
			tpl_set(root, key, s);
			return tval_get(root, key, 0);
		}
	}
	return NULL;
}

static int truthy(const struct tval *v)
{
	if (v == NULL)
		return 0;
	if (v->kind == TV_LIST)
		return v->nitems > 0;
	return v->s != NULL && v->s[0] != '\0' && strcmp(v->s, "0") != 0;
}

static int render_nodes(struct render *rd, const struct node *nd);

static int render_include(struct render *rd, const char *name)
{
	char path[256];
	if (rd->includes >= TPL_MAX_INCLUDE) {
		rd->err = "includes nested too deeply";
		return -1;
	}
	snprintf(path, sizeof path, "templates/%s", name);
	const struct asset *as = asset_find(path);
	if (as == NULL) {
		log_error("template: include %s not found", path);
		rd->err = "include not found";
		return -1;
	}
	struct node *root = parse(rd->a, (const char *)as->data, as->len, path);
	if (root == NULL) {
		rd->err = "parse error";
		return -1;
	}
	rd->includes++;
	int rc = render_nodes(rd, root);
	rd->includes--;
	return rc;
}

static int render_section(struct render *rd, const struct node *nd)
{
	struct tval *v = lookup(rd, nd->s);
	if (nd->kind == N_INVERTED)
		return truthy(v) ? 0 : render_nodes(rd, nd->child);
	if (!truthy(v))
		return 0;
	if (v->kind != TV_LIST)
		return render_nodes(rd, nd->child);
	if (rd->depth >= TPL_MAX_NEST) {
		rd->err = "lists nested too deeply";
		return -1;
	}
	for (tpl *it = v->first; it != NULL; it = it->next) {
		rd->stack[rd->depth++] = it;
		int rc = render_nodes(rd, nd->child);
		rd->depth--;
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int render_nodes(struct render *rd, const struct node *nd)
{
	for (; nd != NULL; nd = nd->next) {
		int rc = 0;
		switch (nd->kind) {
		case N_TEXT: rc = buf_append(&rd->out, nd->s, nd->n); break;
		case N_VAR: {
			struct tval *v = lookup(rd, nd->s);
			if (v == NULL || v->kind == TV_LIST || v->s == NULL)
				break;
			rc = v->kind == TV_RAW ? buf_puts(&rd->out, v->s)
					       : html_escape(&rd->out, v->s);
			break;
		}
		case N_SECTION:
		case N_INVERTED: rc = render_section(rd, nd); break;
		case N_INCLUDE: rc = render_include(rd, nd->s); break;
		default: rc = -1;
		}
		if (rc != 0) {
			if (rd->err == NULL)
				rd->err = "output too large";
			return -1;
		}
	}
	return 0;
}

static char *render_root(tpl *t, struct node *root, const char *what)
{
	struct render rd = {.a = t->a};
	char *res = NULL;
	buf_init(&rd.out, TPL_MAX_OUT);
	rd.stack[rd.depth++] = t;
	if (render_nodes(&rd, root) != 0) {
		log_error("template %s: %s", what, rd.err ? rd.err : "error");
		goto out;
	}
	res = arena_strndup(t->a, rd.out.data ? rd.out.data : "", rd.out.len);
out:
	/* A page may show a secret once (a generated password): the copy that
	 * goes out lives in the arena, wiped by arena_free(). */
	http_buf_free_wiped(&rd.out);
	return res;
}

char *tpl_render_text(tpl *t, const char *text, size_t len)
{
	if (t == NULL)
		return NULL;
	struct node *root = parse(t->a, text, len, "(text)");
	if (root == NULL)
		return NULL;
	return render_root(t, root, "(text)");
}

char *tpl_render(tpl *t, const char *name)
{
	char path[256];
	if (t == NULL)
		return NULL;
	snprintf(path, sizeof path, "templates/%s", name);
	const struct asset *as = asset_find(path);
	if (as == NULL) {
		log_error("template %s not found", path);
		return NULL;
	}
	struct node *root = parse(t->a, (const char *)as->data, as->len, path);
	if (root == NULL)
		return NULL;
	return render_root(t, root, path);
}

const char *tpl_get(tpl *t, const char *key)
{
	if (t == NULL)
		return NULL;
	struct tval *v = tval_get(t, key, 0);
	return v != NULL && v->kind != TV_LIST ? v->s : NULL;
}
