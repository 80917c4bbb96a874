/* util/json.c and util/html.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/html.h"
#include "util/json.h"

static void test_html_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"", ""},
		{"düz", "düz"},
		{"<a href=\"x\">'y' & z</a>",
		 "&lt;a href=&quot;x&quot;&gt;&#39;y&#39; &amp; z&lt;/a&gt;"},
		{"&&", "&amp;&amp;"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf b;
		buf_init(&b, 1024);
		assert_int_equal(html_escape(&b, rows[i].in), 0);
		assert_string_equal(b.data ? b.data : "", rows[i].out);
		buf_free(&b);
	}
	buf b;
	buf_init(&b, 8);
	assert_int_equal(html_escape(&b, "<<<<"), -1); /* over the ceiling */
	buf_free(&b);
}

static void test_json_append(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"", "\"\""},
		{"Çağrı", "\"Çağrı\""},
		{"a\"b\\c", "\"a\\\"b\\\\c\""},
		{"\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""},
		{"\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""},
		{"</script>&", "\"\\u003c/script\\u003e\\u0026\""},
		{NULL, "null"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf b;
		buf_init(&b, 1024);
		assert_int_equal(json_append_string(&b, rows[i].in), 0);
		assert_string_equal(b.data, rows[i].out);
		buf_free(&b);
	}
}

static void test_json_get(void **state)
{
	static const struct {
		const char *json, *key;
		int rc;
		const char *value;
	} rows[] = {
		{"{\"a\":\"x\"}", "a", 0, "x"},
		{" { \"b\" : 1 , \"a\" : \"y\" } ", "a", 0, "y"},
		{"{\"a\":\"\\u00c7\\u011f\\ud83d\\ude00\\n\"}", "a", 0, "Çğ😀\n"},
		{"{\"n\":{\"a\":\"inner\"},\"a\":\"outer\"}", "a", 0, "outer"},
		{"{\"l\":[1,2,{\"x\":[true,false,null]}],\"a\":\"\"}", "a", 0, ""},
		{"{\"b\":\"x\"}", "a", 1, NULL},
		{"{}", "a", 1, NULL},
		{"{\"a\":1}", "a", -1, NULL},
		{"{\"a\":\"x\"", "a", -1, NULL},
		{"{\"a\":\"x\"} junk", "a", -1, NULL},
		{"[\"a\"]", "a", -1, NULL},
		{"{\"a\":\"\\u0000\"}", "a", -1, NULL},
		{"{\"a\":\"\\ud800\"}", "a", -1, NULL},
		{"{\"a\":\"\\udc00\"}", "a", -1, NULL},
		{"{\"a\":\"\\x\"}", "a", -1, NULL},
		{"{\"a\":\"\xff\"}", "a", -1, NULL},
		{"{\"a\":\"tab\there\"}", "a", -1, NULL},
		{"{\"b\":01,\"a\":\"x\"}", "a", -1, NULL},
		{"{\"a\":\"x\",}", "a", -1, NULL},
		{"{\"b\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]],\"a\":\"x\"}", "a", -1, NULL},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		buf b;
		buf_init(&b, 1024);
		int rc = json_get_string(rows[i].json, strlen(rows[i].json), rows[i].key, &b);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d, want %d", i, rc, rows[i].rc);
		if (rows[i].value != NULL)
			assert_string_equal(b.data, rows[i].value);
		buf_free(&b);
	}
	int64_t v = 0;
	const char *j = "{\"n\": -12345678901, \"f\": 1.5, \"s\": \"1\"}";
	assert_int_equal(json_get_int(j, strlen(j), "n", &v), 0);
	assert_true(v == -12345678901LL);
	assert_int_equal(json_get_int(j, strlen(j), "f", &v), -1);
	assert_int_equal(json_get_int(j, strlen(j), "s", &v), -1);
	assert_int_equal(json_get_int(j, strlen(j), "yok", &v), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_escape),
		cmocka_unit_test(test_json_append),
		cmocka_unit_test(test_json_get),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
