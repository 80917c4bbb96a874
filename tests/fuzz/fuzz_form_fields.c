/* libFuzzer target: the HTTP core's input edge (src/http/field.c and
 * cookie.c): percent-decoding, the chunked percent check, the field checks
 * of every kind, query-string parsing into a route's declared fields, body
 * fields appended in chunks and the Cookie header reader. Besides "no
 * crash, no leak" it checks that url_decode and pct_check agree, that
 * pct_check and the length bound give the same answer however the input is
 * split, and that every value a handler could read passed field_check. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/log.h"
#include "util/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct field_spec specs[] = {
	{"ad", FIELD_TEXT, 64},	    {"adres", FIELD_MULTILINE, 300}, {"tckn", FIELD_DIGITS, 11},
	{"neden", FIELD_TOKEN, 20}, {"belge", FIELD_FILE, 4096},     {NULL, 0, 0},
};

static const struct route rt = {"GET", "/fuzz", NULL, specs, 0, NULL};
static const struct route rt_any = {"GET", "/fuzz", NULL, specs, ROUTE_ANY_QUERY, NULL};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL__MAX);
	return 0;
}

/* pct_check over the whole input and over two chunks split at `cut` must
 * agree, and agree with url_decode. */
static void check_decode(arena *a, const char *s, size_t n, size_t cut)
{
	int st1 = 0, st2 = 0;
	int ok1 = pct_check(&st1, s, n) && st1 == 0;
	int ok2 = pct_check(&st2, s, cut) && pct_check(&st2, s + cut, n - cut) && st2 == 0;
	if (ok1 != ok2)
		abort();
	for (int plus = 0; plus <= 1; plus++) {
		size_t olen = (size_t)-1;
		char *d = url_decode(a, s, n, plus, &olen);
		if ((d != NULL) != ok1)
			abort();
		if (d != NULL && (olen > n || d[olen] != '\0'))
			abort();
	}
}

/* field_check of every kind; a passing value must really satisfy it. */
static void check_kinds(const char *v, size_t n)
{
	char msg[160];
	for (int k = 0; k < FIELD_KIND__MAX; k++) {
		struct field_spec sp = {"alan", (enum field_kind)k, 256};
		msg[0] = '\0';
		int st = field_check(&sp, v, n, msg, sizeof msg);
		if (st != 0 && st != 400)
			abort();
		if (st == 400 && msg[0] == '\0')
			abort();
		if (st == 0 && k != FIELD_FILE &&
		    (n > 256 || !utf8_valid(v, n) || utf8_has_controls(v, n, k == FIELD_MULTILINE)))
			abort();
	}
}

static void check_query(arena *a, const struct route *r0, const char *q)
{
	struct req r;
	memset(&r, 0, sizeof r);
	r.a = a;
	r.route = r0;
	int st = query_parse(&r, q);
	if (st == 0)
		st = fields_final_check(&r);
	if (st != 0 && (r.err_status == 0 || r.err_msg == NULL))
		abort();
	if (st == 0)
		for (const struct field_spec *sp = specs; sp->name != NULL; sp++) {
			const char *v = req_field(&r, sp->name);
			if (v != NULL && (!utf8_valid(v, strlen(v)) || strlen(v) > sp->max_len))
				abort();
		}
	fields_free(&r);
}

/* A body field arriving in two chunks (as the POST processor delivers it):
 * the bound is enforced however the value is split. */
static void check_chunks(arena *a, const char *v, size_t n, size_t cut)
{
	struct req r;
	memset(&r, 0, sizeof r);
	r.a = a;
	r.route = &rt;
	struct field *f = field_begin(&r, "adres");
	if (f == NULL)
		abort();
	int st = field_append(&r, f, v, cut);
	if (st == 0)
		st = field_append(&r, f, v + cut, n - cut);
	if ((st != 0) != (n > 300))
		abort();
	if (st == 0 && (f->val.len != n || memcmp(f->val.data, v, n) != 0))
		abort();
	if (st == 0 && fields_final_check(&r) == 0 && req_field(&r, "adres") == NULL)
		abort();
	if (field_begin(&r, "adres") != NULL || r.err_status != 400)
		abort(); /* a repeated field is refused */
	fields_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena *a = NULL;
	char *s = NULL;
	int bad = 0;

	if (size == 0)
		return 0;
	a = arena_new(0);
	s = malloc(size);
	if (a == NULL || s == NULL)
		goto out;
	/* The first byte picks where to split the rest into chunks. */
	size_t n = size - 1;
	memcpy(s, data + 1, n);
	s[n] = '\0';
	check_decode(a, s, n, n ? data[0] % (n + 1) : 0);
	check_kinds(s, n);
	check_chunks(a, s, n, n ? data[0] % (n + 1) : 0);
	check_query(a, &rt, s);
	check_query(a, &rt_any, s);
	check_query(a, NULL, s);
	const char *v = cookie_find(a, s, "sid", &bad);
	if (v != NULL && (bad || strlen(v) > strlen(s)))
		abort();
	(void)cookie_find(a, s, "", &bad);
out:
	free(s);
	arena_free(a);
	return 0;
}
