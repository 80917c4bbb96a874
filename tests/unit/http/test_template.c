/* The template engine: escaping, sections, lists, lookups, includes, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/internal.h"
#include "util/log.h"

static arena *A;

static int setup(void **state)
{
	A = arena_new(0);
	log_set_level(LOG_LEVEL__MAX); /* parse errors are expected below */
	return A == NULL;
}

static int teardown(void **state)
{
	arena_free(A);
	return 0;
}

static char *render(tpl *t, const char *text)
{
	return tpl_render_text(t, text, strlen(text));
}

static void test_escaping(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a & b", "a &amp; b"},
		{"\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"},
		{"İstanbul Çağ ğüşıöç", "İstanbul Çağ ğüşıöç"},
		{"&amp;", "&amp;amp;"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		tpl *t = tpl_new_in(A);
		tpl_set(t, "v", rows[i].in);
		assert_string_equal(render(t, "{{v}}"), rows[i].out);
		/* in an attribute as well */
		char *attr = render(t, "<input value=\"{{ v }}\">");
		assert_non_null(strstr(attr, rows[i].out));
	}
}

static void test_raw_only_via_raw_setter(void **state)
{
	tpl *t = tpl_new_in(A);
	tpl_set_raw_html(t, "html", "<b>kalın</b>");
	tpl_set(t, "text", "<b>kalın</b>");
	assert_string_equal(render(t, "{{html}}|{{text}}"),
			    "<b>kalın</b>|&lt;b&gt;kalın&lt;/b&gt;");
	/* there is no triple-mustache raw syntax */
	assert_null(render(t, "{{{text}}}"));
	assert_null(render(t, "{{&text}}"));
}

static void test_missing_and_types(void **state)
{
	tpl *t = tpl_new_in(A);
	tpl_set_int(t, "n", -42);
	tpl_setf(t, "f", "%s-%d", "x", 7);
	tpl_set(t, "null", NULL);
	assert_string_equal(render(t, "[{{yok}}][{{n}}][{{f}}][{{null}}]"), "[][-42][x-7][]");
	tpl_set(t, "n", "yeni");
	assert_string_equal(render(t, "{{n}}"), "yeni");
	assert_string_equal(render(t, "{{! yorum }}a{{!b}}"), "a");
	assert_string_equal(render(t, ""), "");
	assert_string_equal(render(t, "düz metin { } }}"), "düz metin { } }}");
}

static void test_sections(void **state)
{
	static const struct {
		const char *value; /* NULL: unset */
		const char *out;
	} rows[] = {
		{NULL, "[-][yok]"}, {"", "[-][yok]"},	  {"0", "[-][yok]"},
		{"1", "[var][-]"},  {"evet", "[var][-]"}, {"00", "[var][-]"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		tpl *t = tpl_new_in(A);
		if (rows[i].value != NULL)
			tpl_set(t, "x", rows[i].value);
		char *out = render(t, "[{{#x}}var{{/x}}{{^x}}-{{/x}}]"
				      "[{{^x}}yok{{/x}}{{#x}}-{{/x}}]");
		assert_non_null(out);
		assert_string_equal(out, rows[i].out);
	}
}

static void test_lists_and_outward_lookup(void **state)
{
	tpl *t = tpl_new_in(A);
	tpl_set(t, "title", "Liste");
	tpl_set(t, "shared", "dış");
	for (int i = 1; i <= 3; i++) {
		tpl *it = tpl_add(t, "items");
		tpl_set_int(it, "n", i);
		if (i == 2)
			tpl_set(it, "shared", "iç");
		for (int j = 0; j < i; j++) {
			tpl *sub = tpl_add(it, "subs");
			tpl_set_int(sub, "j", j);
		}
	}
	char *out = render(t, "{{title}}:{{#items}}({{n}} {{shared}} {{title}}"
			      "{{#subs}}[{{j}}/{{n}}]{{/subs}}){{/items}}");
	assert_string_equal(out, "Liste:(1 dış Liste[0/1])(2 iç Liste[0/2][1/2])"
				 "(3 dış Liste[0/3][1/3][2/3])");
	/* an empty list is falsy; a list used as a value renders nothing */
	tpl *e = tpl_new_in(A);
	tpl_add(e, "full");
	tpl_set(e, "empty", "x");
	tpl_add(e, "l");
	assert_string_equal(render(e, "{{#none}}a{{/none}}{{^none}}b{{/none}}{{full}}"), "b");
	/* a key turned into a list by tpl_add */
	tpl_add(e, "empty");
	assert_string_equal(render(e, "{{#empty}}x{{/empty}}"), "x");
}

static void test_nested_same_name(void **state)
{
	tpl *t = tpl_new_in(A);
	tpl_set(t, "a", "1");
	tpl_set(t, "b", "1");
	assert_string_equal(render(t, "{{#a}}{{#b}}{{#a}}x{{/a}}{{/b}}{{/a}}"), "x");
}

static void test_parse_errors(void **state)
{
	static const char *const bad[] = {
		"{{#a}}never closed",
		"{{#a}}{{#b}}x{{/a}}{{/b}}",
		"{{/a}}",
		"{{a",
		"{{}}",
		"{{ a b }}",
		"{{#a}}{{/b}}",
		"{{>}}",
		"{{>yok-boyle-bir-sablon.html}}",
	};
	tpl *t = tpl_new_in(A);
	tpl_set(t, "a", "1");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *out = render(t, bad[i]);
		if (out != NULL)
			fail_msg("expected a parse error for '%s', got '%s'", bad[i], out);
	}
	assert_null(tpl_render(t, "yok.html"));
}

static void test_include(void **state)
{
	tpl *t = tpl_new_in(A);
	tpl_set(t, "status_title", "Sayfa bulunamadı");
	tpl_set(t, "message", "<yok>");
	tpl_set_int(t, "status", 404);
	char *out = render(t, "önce {{>error.html}} sonra");
	assert_non_null(out);
	assert_non_null(strstr(out, "Sayfa bulunamadı"));
	assert_non_null(strstr(out, "&lt;yok&gt;"));
	assert_null(strstr(out, "<yok>"));
	assert_non_null(strstr(out, "404"));
	assert_true(strncmp(out, "önce ", 6) == 0);
}

static void test_layout(void **state)
{
	tpl *t = tpl_new_in(A);
	tpl_set(t, "title", "Giriş");
	tpl_set(t, "service_name", "e-İmza Sertifika Başvuru Portalı");
	tpl_set(t, "phones", "0262 648 1818 · 444 5 576");
	tpl_set_raw_html(t, "content", "<p>içerik</p>");
	tpl_set(t, "step", "2");
	tpl_set(t, "step_name", "Başvuru Formu");
	const char *names[] = {"Portale Giriş", "Başvuru Formu", "SMS Onay Kodu", "SMS Doğrulama",
			       "İmza Yöntemi"};
	for (int i = 0; i < 5; i++) {
		tpl *it = tpl_add(t, "steps");
		tpl_set_int(it, "num", i + 1);
		tpl_set(it, "name", names[i]);
		tpl_set(it, "current", i == 1 ? "1" : NULL);
	}
	char *out = tpl_render(t, "layout.html");
	assert_non_null(out);
	assert_non_null(strstr(out, "<html lang=\"tr\">"));
	assert_non_null(strstr(out, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(out, "name=\"viewport\""));
	assert_non_null(strstr(out, "<main id=\"icerik\""));
	assert_non_null(strstr(out, "href=\"#icerik\""));
	assert_non_null(strstr(out, "<p>içerik</p>"));
	assert_non_null(strstr(out, "Adım 2 / 5"));
	assert_non_null(strstr(out, "aria-current=\"step\"><span class=\"step-num\">2</span>"));
	assert_non_null(strstr(out, "0262 648 1818 · 444 5 576"));
	assert_non_null(strstr(out, "href=\"/kurye-takip\""));
	assert_null(strstr(out, "style="));
	assert_null(strstr(out, "<script>"));
	/* without a step there is no indicator */
	tpl_set(t, "step", NULL);
	out = tpl_render(t, "layout.html");
	assert_null(strstr(out, "Adım 2 / 5"));
}

static int lazy_calls;
static const char *lazy(void *ctx, const char *key)
{
	if (strcmp(key, "csrf") != 0)
		return NULL;
	lazy_calls++;
	return ctx;
}

static void test_lazy(void **state)
{
	tpl *t = tpl_new_in(A);
	tpl_set_lazy(t, lazy, "tok<en>");
	lazy_calls = 0;
	assert_string_equal(render(t, "x"), "x");
	assert_int_equal(lazy_calls, 0);
	assert_string_equal(render(t, "{{csrf}}{{csrf}}{{other}}"), "tok&lt;en&gt;tok&lt;en&gt;");
	assert_int_equal(lazy_calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_raw_only_via_raw_setter),
		cmocka_unit_test(test_missing_and_types),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_lists_and_outward_lookup),
		cmocka_unit_test(test_nested_same_name),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_lazy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
