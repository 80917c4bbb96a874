/* KPSPublic client: request building, response parsing (table-driven,
 * hostile answers included) and real SOAP exchanges with
 * tests/integration/kps_stub.py, started and stopped by PID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "identity/registry.h"
#include "util/clock.h"
#include "util/config.h"

#include "kps_stub_proc.h"

static const char *const names[] = {"match", "no_match", "unavailable"};

/* ---- request ---- */

static void request_has(const struct registry_query *q, const char *const *want)
{
	char *xml = NULL;
	size_t len = 0;
	assert_int_equal(registry_kps_request(q, &xml, &len), 0);
	assert_non_null(xml);
	assert_int_equal(strlen(xml), len);
	for (size_t i = 0; want[i] != NULL; i++) {
		if (strstr(xml, want[i]) == NULL)
			fail_msg("request lacks %s:\n%s", want[i], xml);
	}
	free(xml);
}

static void test_request_envelope(void **state)
{
	struct registry_query q = {"10000000146", "  ismail ", "ışık", "Zonguldak", "1980-05-17"};
	const char *want[] = {
		"<?xml version=\"1.0\" encoding=\"utf-8\"?>",
		"xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"",
		"<soap:Envelope",
		"<soap:Body>",
		"<TCKimlikNoDogrula xmlns=\"http://tckimlik.nvi.gov.tr/WS\">",
		"<TCKimlikNo>10000000146</TCKimlikNo>",
		"<Ad>İSMAİL</Ad>",
		"<Soyad>IŞIK</Soyad>",
		"<DogumYili>1980</DogumYili>",
		NULL,
	};
	request_has(&q, want);
}

static void test_request_escapes_and_spaces(void **state)
{
	struct registry_query q = {"12345678950", "ahmet \t  ali", "a<b>&c\"d", "x", "1975-01-02"};
	const char *want[] = {"<Ad>AHMET ALİ</Ad>", "<Soyad>A&lt;B&gt;&amp;C\"D</Soyad>", NULL};
	request_has(&q, want);
}

struct bad_request {
	const char *tckn, *ad, *soyad, *date;
};

static void test_request_rejects(void **state)
{
	static const struct bad_request rows[] = {
		{"10000000147", "A", "B", "1980-01-01"}, /* checksum */
		{"1000000014", "A", "B", "1980-01-01"},	 /* short */
		{NULL, "A", "B", "1980-01-01"},
		{"10000000146", NULL, "B", "1980-01-01"},
		{"10000000146", "A", "", "1980-01-01"},	     /* empty surname */
		{"10000000146", "   ", "B", "1980-01-01"},   /* blank name */
		{"10000000146", "A\x01", "B", "1980-01-01"}, /* control char */
		{"10000000146", "A\xff", "B", "1980-01-01"}, /* bad UTF-8 */
		{"10000000146", "A", "B", "17.05.1980"},     /* not ISO */
		{"10000000146", "A", "B", "1980-02-30"},     /* no such day */
		{"10000000146", "A", "B", NULL},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct registry_query q = {rows[i].tckn, rows[i].ad, rows[i].soyad, "x",
					   rows[i].date};
		char *xml = (char *)1;
		size_t len = 1;
		if (registry_kps_request(&q, &xml, &len) != -1)
			fail_msg("row %zu accepted", i);
		assert_null(xml);
		assert_int_equal(len, 0);
		assert_int_equal(registry_kps_query(&q), REG_NO_MATCH);
	}
}

/* ---- response ---- */

#define ENV11 "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
#define END11 "</s:Body></s:Envelope>"
#define ENV12 "<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body>"
#define END12 "</e:Body></e:Envelope>"
#define RESP(v) \
	"<TCKimlikNoDogrulaResponse xmlns=\"http://tckimlik.nvi.gov.tr/WS\">" \
	"<TCKimlikNoDogrulaResult>" v "</TCKimlikNoDogrulaResult></TCKimlikNoDogrulaResponse>"

struct parse_row {
	const char *body;
	enum registry_result want;
};

static void test_parse_table(void **state)
{
	static const struct parse_row rows[] = {
		{"<?xml version=\"1.0\" encoding=\"utf-8\"?>" ENV11 RESP("true") END11, REG_MATCH},
		{ENV11 RESP("false") END11, REG_NO_MATCH},
		{ENV11 RESP("\n  true \n") END11, REG_MATCH},
		{ENV11 RESP("1") END11, REG_MATCH},
		{ENV11 RESP("0") END11, REG_NO_MATCH},
		{ENV12 RESP("true") END12, REG_MATCH},
		{ENV11 RESP("TRUE") END11, REG_UNAVAILABLE},
		{ENV11 RESP("") END11, REG_UNAVAILABLE},
		{ENV11 RESP("truex") END11, REG_UNAVAILABLE},
		{ENV11 "<s:Fault><faultcode>s:Server</faultcode><faultstring>x</faultstring>"
		       "</s:Fault>" END11,
		 REG_UNAVAILABLE},
		/* result in the wrong namespace */
		{ENV11 "<TCKimlikNoDogrulaResponse><TCKimlikNoDogrulaResult>true"
		       "</TCKimlikNoDogrulaResult></TCKimlikNoDogrulaResponse>" END11,
		 REG_UNAVAILABLE},
		/* not a SOAP envelope */
		{"<Envelope><Body>" RESP("true") "</Body></Envelope>", REG_UNAVAILABLE},
		{ENV11 END11, REG_UNAVAILABLE},
		{ENV11 RESP("true"), REG_UNAVAILABLE}, /* truncated */
		{"true", REG_UNAVAILABLE},
		{"", REG_UNAVAILABLE},
		/* entities are never expanded: a DOCTYPE is refused */
		{"<!DOCTYPE e [<!ENTITY t \"true\">]>" ENV11 RESP("&t;") END11, REG_UNAVAILABLE},
		{"<!DOCTYPE e SYSTEM \"http://127.0.0.1:1/x.dtd\">" ENV11 RESP("true") END11,
		 REG_UNAVAILABLE},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum registry_result got = registry_kps_parse(rows[i].body, strlen(rows[i].body));
		if (got != rows[i].want)
			fail_msg("row %zu: got %s want %s", i, names[got], names[rows[i].want]);
	}
	assert_int_equal(registry_kps_parse(NULL, 0), REG_UNAVAILABLE);
}

static void test_parse_size_bound(void **state)
{
	const char *head = ENV11 RESP("true") END11;
	size_t cap = 70 * 1024;
	char *big = malloc(cap);
	assert_non_null(big);
	size_t hl = strlen(head);
	memcpy(big, head, hl);
	memset(big + hl, ' ', cap - hl);
	assert_int_equal(registry_kps_parse(big, 64 * 1024), REG_MATCH);
	assert_int_equal(registry_kps_parse(big, 64 * 1024 + 1), REG_UNAVAILABLE);
	free(big);
}

/* ---- against the stub ---- */

static int stub_teardown(void **state)
{
	stub_stop();
	return 0;
}

struct stub_row {
	const char *tckn, *ad, *soyad, *date;
	enum registry_result want;
};

static void test_stub_table(void **state)
{
	static const struct stub_row rows[] = {
		{"10000000146", "İSMAİL", "IŞIK", "1980-05-17", REG_MATCH},
		/* lower case becomes Turkish upper case: i->İ, ı->I */
		{"10000000146", "ismail", "ışık", "1980-12-31", REG_MATCH},
		{"10000000146", " İsmail ", "Işık", "1980-01-01", REG_MATCH},
		{"12345678950", "ahmet   ali", "çelik", "1975-03-04", REG_MATCH},
		{"23456789138", "şükrü", "öğüt", "1990-07-08", REG_MATCH},
		/* ASCII upper case of i gives I, which is a different letter */
		{"10000000146", "ISMAIL", "ISIK", "1980-05-17", REG_NO_MATCH},
		{"10000000146", "İSMAİL", "IŞIK", "1981-05-17", REG_NO_MATCH},
		{"10000000146", "İSMAİL", "ŞIK", "1980-05-17", REG_NO_MATCH},
		{"12345678950", "AHMET", "ÇELİK", "1975-03-04", REG_NO_MATCH},
		{"78912345694", "İSMAİL", "IŞIK", "1980-05-17", REG_NO_MATCH},
		/* SOAP fault, DOCTYPE and oversized answers */
		{"34567891238", "İSMAİL", "IŞIK", "1980-05-17", REG_UNAVAILABLE},
		{"67891234594", "İSMAİL", "IŞIK", "1980-05-17", REG_UNAVAILABLE},
		{"56789123416", "İSMAİL", "IŞIK", "1980-05-17", REG_UNAVAILABLE},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct registry_query q = {rows[i].tckn, rows[i].ad, rows[i].soyad, "x",
					   rows[i].date};
		enum registry_result got = registry_kps_query(&q);
		if (got != rows[i].want)
			fail_msg("row %zu: got %s want %s", i, names[got], names[rows[i].want]);
	}
}

static void test_stub_timeout(void **state)
{
	struct registry_query q = {"45678912316", "İSMAİL", "IŞIK", "x", "1980-05-17"};
	assert_int_equal(config_set("registry.kps_timeout", "1"), 0);
	int64_t t0 = clock_mono_us();
	assert_int_equal(registry_kps_query(&q), REG_UNAVAILABLE);
	int64_t took = clock_mono_us() - t0;
	assert_int_equal(config_set("registry.kps_timeout", "2"), 0);
	assert_true(took >= 900000 && took < 3000000);
}

static void test_stub_http_error(void **state)
{
	char url[160];
	struct registry_query q = {"10000000146", "İSMAİL", "IŞIK", "x", "1980-05-17"};
	/* HTTP 404 from the stub (wrong path), and a scheme curl must refuse */
	size_t n = strlen(stub_url) - strlen("/Service/KPSPublic.asmx");
	snprintf(url, sizeof url, "%.*s/yok.asmx", (int)n, stub_url);
	assert_int_equal(config_set("registry.kps_url", url), 0);
	assert_int_equal(registry_kps_query(&q), REG_UNAVAILABLE);
	assert_int_equal(config_set("registry.kps_url", "ftp://127.0.0.1:1/x"), 0);
	assert_int_equal(registry_kps_query(&q), REG_UNAVAILABLE);
	assert_int_equal(config_set("registry.kps_url", stub_url), 0);
	assert_int_equal(registry_kps_query(&q), REG_MATCH);
}

/* Last: stops the stub, then the same URL must give REG_UNAVAILABLE. */
static void test_stub_down(void **state)
{
	struct registry_query q = {"10000000146", "İSMAİL", "IŞIK", "x", "1980-05-17"};
	assert_int_equal(registry_kps_query(&q), REG_MATCH);
	stub_stop();
	assert_int_equal(registry_kps_query(&q), REG_UNAVAILABLE);
}

int main(void)
{
	const struct CMUnitTest offline[] = {
		cmocka_unit_test(test_request_envelope),
		cmocka_unit_test(test_request_escapes_and_spaces),
		cmocka_unit_test(test_request_rejects),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_size_bound),
	};
	const struct CMUnitTest online[] = {
		cmocka_unit_test(test_stub_table),
		cmocka_unit_test(test_stub_timeout),
		cmocka_unit_test(test_stub_http_error),
		cmocka_unit_test(test_stub_down),
	};
	int failed = cmocka_run_group_tests_name("kps offline", offline, NULL, NULL);
	failed += cmocka_run_group_tests_name("kps stub", online, stub_start, stub_teardown);
	return failed;
}
