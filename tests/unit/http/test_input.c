/* Inputs at the edge: percent-decoding, field checks, form limits, route
 * matching, cookies and the metrics text format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/internal.h"
#include "util/log.h"

static arena *A;

static int setup(void **state)
{
	A = arena_new(0);
	log_set_level(LOG_LEVEL__MAX);
	return A == NULL;
}

static int teardown(void **state)
{
	arena_free(A);
	return 0;
}

static void test_url_decode(void **state)
{
	static const struct {
		const char *in;
		int plus;
		const char *out; /* NULL: malformed */
		size_t len;
	} rows[] = {
		{"abc", 1, "abc", 3},  {"a+b", 1, "a b", 3},
		{"a+b", 0, "a+b", 3},  {"%C4%B0stanbul", 1, "İstanbul", 9},
		{"%c3%a7", 1, "ç", 2}, {"%2F%2e%2E", 0, "/..", 3},
		{"100%", 1, NULL, 0},  {"%4", 1, NULL, 0},
		{"%zz", 1, NULL, 0},   {"%%41", 1, NULL, 0},
		{"a%00b", 1, "a", 3}, /* decodes; the NUL is caught by the length check */
		{"", 1, "", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t n = 99;
		char *out = url_decode(A, rows[i].in, strlen(rows[i].in), rows[i].plus, &n);
		if (rows[i].out == NULL) {
			assert_null(out);
			continue;
		}
		assert_non_null(out);
		assert_string_equal(out, rows[i].out);
		assert_int_equal(n, rows[i].len);
	}
}

static void test_pct_check_chunks(void **state)
{
	static const struct {
		const char *chunks[3];
		int ok, end_state_zero;
	} rows[] = {
		{{"a=%C4", "%B0", NULL}, 1, 1}, {{"a=%C", "4%B0", NULL}, 1, 1},
		{{"a=%", "C4", NULL}, 1, 1},	{{"a=%", "G4", NULL}, 0, 0},
		{{"a=b%", NULL, NULL}, 1, 0},	{{"a=b%4", NULL, NULL}, 1, 0},
		{{"a=%%", NULL, NULL}, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int st = 0, ok = 1;
		for (int c = 0; c < 3 && rows[i].chunks[c] != NULL && ok; c++)
			ok = pct_check(&st, rows[i].chunks[c], strlen(rows[i].chunks[c]));
		assert_int_equal(ok, rows[i].ok);
		if (ok)
			assert_int_equal(st == 0, rows[i].end_state_zero);
	}
}

#define UTF8_MSG "Geçersiz karakter kodlaması (UTF-8 değil)."
#define DIGITS_MSG "'ad' alanı yalnızca rakam içermelidir."

static void test_field_check(void **state)
{
	static const struct {
		enum field_kind kind;
		size_t max;
		const char *v;
		size_t n; /* 0: strlen */
		int status;
		const char *msg;
	} rows[] = {
		{FIELD_TEXT, 10, "Çağrı", 0, 0, NULL},
		{FIELD_TEXT, 8, "Çağrı", 0, 0, NULL}, /* 5 letters, 8 bytes */
		{FIELD_TEXT, 7, "Çağrı", 0, 400, "'ad' alanı çok uzun."},
		{FIELD_TEXT, 5, "abcdef", 0, 400, "'ad' alanı çok uzun."},
		{FIELD_TEXT, 5, "abcde", 0, 0, NULL},
		{FIELD_TEXT, 50,
		 "a\xff"
		 "b",
		 0, 400, UTF8_MSG},
		{FIELD_TEXT, 50, "\xc0\xaf", 0, 400, UTF8_MSG},
		{FIELD_TEXT, 50, "\xed\xa0\x80", 0, 400, UTF8_MSG},
		{FIELD_TEXT, 50, "a\nb", 0, 400, UTF8_MSG},
		{FIELD_TEXT, 50, "a\x1b[31m", 0, 400, UTF8_MSG},
		{FIELD_TEXT, 50,
		 "a\xc2\x85"
		 "b",
		 0, 400, UTF8_MSG},
		{FIELD_TEXT, 50, "a\0b", 3, 400, UTF8_MSG},
		{FIELD_MULTILINE, 50, "satır 1\r\nsatır 2\tx", 0, 0, NULL},
		{FIELD_MULTILINE, 50, "a\x7f", 0, 400, UTF8_MSG},
		{FIELD_DIGITS, 11, "10000000146", 0, 0, NULL},
		{FIELD_DIGITS, 11, "", 0, 0, NULL},
		{FIELD_DIGITS, 11, "1000000014a", 0, 400, DIGITS_MSG},
		{FIELD_DIGITS, 11, "١٢٣", 0, 400, DIGITS_MSG},
		{FIELD_TOKEN, 20, "KAYIP_CALINTI", 0, 0, NULL},
		{FIELD_TOKEN, 20, "a-b_9", 0, 0, NULL},
		{FIELD_TOKEN, 20, "a b", 0, 400, "'ad' alanında geçersiz karakter var."},
		{FIELD_TOKEN, 20, "İ", 0, 400, "'ad' alanında geçersiz karakter var."},
		{FIELD_FILE, 8, "\x00\xff\x01", 3, 0, NULL},
		{FIELD_FILE, 2, "\x00\xff\x01", 3, 400, "'ad' alanı çok uzun."},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct field_spec sp = {"ad", rows[i].kind, rows[i].max};
		char msg[160] = "";
		size_t n = rows[i].n ? rows[i].n : strlen(rows[i].v);
		int st = field_check(&sp, rows[i].v, n, msg, sizeof msg);
		if (st != rows[i].status)
			fail_msg("row %zu: status %d, want %d", i, st, rows[i].status);
		if (rows[i].msg != NULL)
			assert_string_equal(msg, rows[i].msg);
	}
}

/* ---- forms on a request without a server ---- */

static const struct field_spec login_fields[] = {
	{"tckn", FIELD_DIGITS, 11},
	{"ad", FIELD_TEXT, 10},
	{"not", FIELD_MULTILINE, 100},
	{NULL, 0, 0},
};

static void h(req *r)
{
}

static const struct route form_route = {"POST", "/basvuru", h, login_fields, 0, NULL};

static req *fake_req(void)
{
	req *r = arena_alloc(A, sizeof *r);
	r->a = A;
	r->route = &form_route;
	return r;
}

static void test_query_and_fields(void **state)
{
	static const struct {
		const char *query;
		int status;
		const char *msg;
	} rows[] = {
		{"tckn=10000000146&ad=%C3%87a%C4%9Fr%C4%B1", 0, NULL},
		{"ad=a+b&csrf=abc-_1", 0, NULL},
		{"tckn=1&tckn=2", 400, "'tckn' alanı birden fazla kez gönderilmiş."},
		{"kimlik=1", 400, "Beklenmeyen alan: 'kimlik'."},
		{"%ff=1", 400, UTF8_MSG},
		{"ad=%ff", 400, UTF8_MSG},
		{"ad=%zz", 400, "Geçersiz istek (bozuk yüzde kodlaması)."},
		{"ad=abc%", 400, "Geçersiz istek (bozuk yüzde kodlaması)."},
		{"ad=%01", 400, UTF8_MSG},
		{"ad=12345678901", 400, "'ad' alanı çok uzun."},
		{"ad=1234567890", 0, NULL},
		{"&&ad=x&", 0, NULL},
		{"ad", 0, NULL},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		req *r = fake_req();
		int st = query_parse(r, rows[i].query);
		if (st == 0)
			st = fields_final_check(r);
		if (st != rows[i].status)
			fail_msg("row %zu '%s': status %d, want %d", i, rows[i].query, st,
				 rows[i].status);
		if (rows[i].msg != NULL)
			assert_string_equal(r->err_msg, rows[i].msg);
		fields_free(r);
	}
	req *r = fake_req();
	assert_int_equal(query_parse(r, "tckn=10000000146&ad=%C3%87a%C4%9Fr%C4%B1&not="), 0);
	assert_string_equal(req_field(r, "tckn"), "10000000146");
	assert_string_equal(req_field(r, "ad"), "Çağrı");
	assert_string_equal(req_field(r, "not"), "");
	assert_null(req_field(r, "yok"));
	fields_free(r);
}

/* A GET page ignores undeclared query keys (tracking parameters) but still
 * checks the keys it declares. */
static void test_get_ignores_unknown_query(void **state)
{
	static const struct route get_route = {"GET", "/basvuru", h, login_fields, 0, NULL};
	req *r = fake_req();
	r->route = &get_route;
	assert_int_equal(query_parse(r, "fbclid=IwAR0x&utm_source=x&ad=Ali"), 0);
	assert_int_equal(fields_final_check(r), 0);
	assert_string_equal(req_field(r, "ad"), "Ali");
	assert_null(req_field(r, "fbclid"));
	fields_free(r);
	r = fake_req();
	r->route = &get_route;
	assert_int_equal(query_parse(r, "utm_source=x&ad=12345678901"), 400);
	assert_string_equal(r->err_msg, "'ad' alanı çok uzun.");
	fields_free(r);
}

static void test_field_limits(void **state)
{
	struct server_opts o = {.max_fields = 3};
	http_set_opts(&o);
	req *r = fake_req();
	assert_int_equal(query_parse(r, "tckn=1&ad=2&not=3&csrf=x"), 400);
	assert_string_equal(r->err_msg, "Formda çok fazla alan var.");
	fields_free(r);
	/* a value that grows chunk by chunk past its limit */
	o.max_fields = 200;
	http_set_opts(&o);
	r = fake_req();
	struct field *f = field_begin(r, "ad");
	assert_non_null(f);
	assert_int_equal(field_append(r, f, "12345", 5), 0);
	assert_int_equal(field_append(r, f, "67890", 5), 0);
	assert_int_equal(field_append(r, f, "x", 1), 400);
	assert_string_equal(r->err_msg, "'ad' alanı çok uzun.");
	fields_free(r);
	/* a split UTF-8 sequence is fine once whole */
	r = fake_req();
	f = field_begin(r, "ad");
	field_append(r, f, "\xc4", 1);
	field_append(r, f, "\xb0", 1);
	assert_int_equal(fields_final_check(r), 0);
	assert_string_equal(req_field(r, "ad"), "İ");
	fields_free(r);
	/* unquotable names are not echoed */
	r = fake_req();
	assert_null(field_begin(r, "<script>alert(1)</script>uzun-bir-alan-adi-xxxxxxxxxx"));
	assert_string_equal(r->err_msg, "Beklenmeyen alan.");
	fields_free(r);
}

/* ---- routes ---- */

static const struct route table_a[] = {
	{"GET", "/basvuru", h, NULL, 0, NULL},
	{"POST", "/basvuru", h, NULL, 0, NULL},
	{"GET", "/depo/", h, NULL, ROUTE_PREFIX, NULL},
	{"GET", "/depo/ozel/", h, NULL, ROUTE_PREFIX, NULL},
	{"GET", "/depo/sabit", h, NULL, 0, NULL},
	{"POST", "/ocsp", h, NULL, ROUTE_NO_CSRF, NULL},
	{"GET", "/ocsp/", h, NULL, ROUTE_PREFIX, NULL},
	{"GET", "/dev/outbox", h, NULL, ROUTE_DEV, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};

static void test_routes(void **state)
{
	static const struct {
		const char *method, *path;
		int dev;
		int want; /* index in table_a, -1: none */
		const char *allow, *suffix;
	} rows[] = {
		{"GET", "/basvuru", 0, 0, "", ""},
		{"HEAD", "/basvuru", 0, 0, "", ""},
		{"POST", "/basvuru", 0, 1, "", ""},
		{"PUT", "/basvuru", 0, -1, "GET, HEAD, POST", ""},
		{"GET", "/basvuru/", 0, -1, "", ""},
		{"GET", "/basvur", 0, -1, "", ""},
		{"GET", "/depo/kok.crt", 0, 2, "", "kok.crt"},
		{"GET", "/depo/", 0, 2, "", ""},
		{"GET", "/depo", 0, -1, "", ""},
		{"GET", "/depo/ozel/a", 0, 3, "", "a"},
		{"GET", "/depo/sabit", 0, 4, "", ""},
		{"POST", "/depo/kok.crt", 0, -1, "GET, HEAD", ""},
		{"GET", "/ocsp", 0, -1, "POST", ""},
		{"POST", "/ocsp", 0, 5, "", ""},
		{"GET", "/ocsp/MEow", 0, 6, "", "MEow"},
		{"GET", "/dev/outbox", 0, -1, "", ""},
		{"POST", "/dev/outbox", 0, -1, "", ""},
		{"GET", "/dev/outbox", 1, 7, "", ""},
		{"POST", "/dev/outbox", 1, -1, "GET, HEAD", ""},
	};
	route_reset();
	http_add_routes(table_a);
	http_add_routes(table_a); /* twice is once */
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char allow[64] = "junk";
		const char *suffix = "junk";
		const struct route *rt = route_match(rows[i].method, rows[i].path, rows[i].dev,
						     allow, sizeof allow, &suffix);
		const struct route *want = rows[i].want < 0 ? NULL : &table_a[rows[i].want];
		if (rt != want)
			fail_msg("row %zu %s %s: wrong route", i, rows[i].method, rows[i].path);
		assert_string_equal(allow, rows[i].allow);
		if (rt != NULL)
			assert_string_equal(suffix, rows[i].suffix);
	}
	route_reset();
}

/* ---- cookies ---- */

static void test_cookies(void **state)
{
	static const struct {
		const char *header, *name, *value;
		int bad;
	} rows[] = {
		{"sid=abc", "sid", "abc", 0},
		{"a=1; sid=xyz; b=2", "sid", "xyz", 0},
		{"a=1;sid=xyz;b=2", "sid", "xyz", 0},
		{"xsid=1; sidx=2", "sid", NULL, 0},
		{"sid=\"quoted\"", "sid", "quoted", 0},
		{"sid=", "sid", "", 0},
		{" sid = spaced ", "sid", "spaced", 0},
		{"a=1; sid=first; sid=second", "sid", "first", 0},
		{"noequals; sid=v", "sid", "v", 0},
		{"sid=a\xffz", "sid", NULL, 1},
		{"sid=a\x01z", "sid", NULL, 1},
		{"", "sid", NULL, 0},
		{NULL, "sid", NULL, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int bad = -1;
		const char *v = cookie_find(A, rows[i].header, rows[i].name, &bad);
		assert_int_equal(bad, rows[i].bad);
		if (rows[i].value == NULL)
			assert_null(v);
		else
			assert_string_equal(v, rows[i].value);
	}
	assert_string_equal(cookie_format(A, "sid", "V", 0, 0),
			    "sid=V; Path=/; HttpOnly; SameSite=Strict");
	assert_string_equal(cookie_format(A, "sid", "V", 1, 0),
			    "sid=V; Path=/; HttpOnly; SameSite=Strict; Secure");
	assert_string_equal(cookie_format(A, "sid", "V", 1, 1),
			    "sid=; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=0");
}

/* ---- metrics ---- */

static void test_metrics_format(void **state)
{
	buf b;
	buf_init(&b, 1 << 20);
	metrics_reset();
	metrics_observe("/basvuru", 200, 1500);	 /* 0.0015 s */
	metrics_observe("/basvuru", 200, 30000); /* 0.03 s */
	metrics_observe("/basvuru", 403, 200);
	metrics_observe("we\"ird\\", 404, 20000000); /* 20 s: only +Inf */
	assert_int_equal(metrics_render(&b), 0);
	const char *want[] = {
		"# TYPE eimza_http_requests_total counter\n",
		"eimza_http_requests_total{route=\"/basvuru\",status=\"200\"} 2\n",
		"eimza_http_requests_total{route=\"/basvuru\",status=\"403\"} 1\n",
		"eimza_http_requests_total{route=\"we\\\"ird\\\\\",status=\"404\"} 1\n",
		"# TYPE eimza_http_request_duration_seconds histogram\n",
		"eimza_http_request_duration_seconds_bucket{le=\"0.001\"} 1\n",
		"eimza_http_request_duration_seconds_bucket{le=\"0.005\"} 2\n",
		"eimza_http_request_duration_seconds_bucket{le=\"0.025\"} 2\n",
		"eimza_http_request_duration_seconds_bucket{le=\"0.05\"} 3\n",
		"eimza_http_request_duration_seconds_bucket{le=\"10\"} 3\n",
		"eimza_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n",
		"eimza_http_request_duration_seconds_sum 20.031700\n",
		"eimza_http_request_duration_seconds_count 4\n",
		"eimza_build_info{version=\"",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(b.data, want[i]) == NULL)
			fail_msg("missing %s in:\n%s", want[i], b.data);
	/* every line is a comment or "name{labels} value" */
	for (char *line = b.data; *line; line = strchr(line, '\n') + 1) {
		assert_true(line[0] == '#' || strncmp(line, "eimza_", 6) == 0);
		assert_non_null(strchr(line, '\n'));
	}
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_pct_check_chunks),
		cmocka_unit_test(test_field_check),
		cmocka_unit_test(test_query_and_fields),
		cmocka_unit_test(test_get_ignores_unknown_query),
		cmocka_unit_test(test_field_limits),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_cookies),
		cmocka_unit_test(test_metrics_format),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
