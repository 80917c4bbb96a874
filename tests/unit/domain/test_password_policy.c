/* Table-driven tests of domain/password_policy.h (ASVS V2.1: length in
 * characters, no composition rules, a list of common passwords). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/password_policy.h"

static const char list[] = "# a comment line\n"
			   "123456789012\n"
			   "galatasaray1905\r\n"
			   "\n"
			   "sifresifre123\n"
			   "qwertyuiop12"; /* no final newline */

static void test_check(void **state)
{
	static const struct {
		const char *pw;
		enum password_verdict v;
	} cases[] = {
		{NULL, PASSWORD_TOO_SHORT},
		{"", PASSWORD_TOO_SHORT},
		{"abcdefghijk", PASSWORD_TOO_SHORT}, /* 11 */
		{"abcdefghijkl", PASSWORD_OK},	     /* 12, one class only */
		{"çğıöşüÇĞİÖŞ", PASSWORD_TOO_SHORT}, /* 11 characters, 22 bytes */
		{"çğıöşüÇĞİÖŞÜ", PASSWORD_OK},	     /* 12 characters */
		{"123456789012", PASSWORD_COMMON},
		{"GALATASARAY1905", PASSWORD_COMMON}, /* case ignored */
		{"Galatasaray1905", PASSWORD_COMMON}, /* a CRLF line */
		{"galatasaray19055", PASSWORD_OK},    /* not a prefix match */
		{"alatasaray1905", PASSWORD_OK},
		{"QwertyUiop12", PASSWORD_COMMON}, /* the last line */
		{"# a comment line", PASSWORD_OK}, /* comments are no entries */
		{"sifresifre123", PASSWORD_COMMON},
		{"Karadeniz kıyısında bir sabah", PASSWORD_OK},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum password_verdict v = password_check(cases[i].pw, list, sizeof list - 1);
		if (v != cases[i].v)
			fail_msg("case %zu (%s): %d != %d", i, cases[i].pw ? cases[i].pw : "NULL",
				 (int)v, (int)cases[i].v);
	}
}

static void test_length_limits(void **state)
{
	char pw[600];
	(void)state;
	memset(pw, 'a', 128);
	pw[128] = '\0';
	assert_int_equal(password_check(pw, NULL, 0), PASSWORD_OK);
	memset(pw, 'a', 129);
	pw[129] = '\0';
	assert_int_equal(password_check(pw, NULL, 0), PASSWORD_TOO_LONG);
	/* 128 two-byte characters: 256 bytes, still allowed. */
	pw[0] = '\0';
	for (int i = 0; i < 128; i++)
		strcat(pw, "ş");
	assert_int_equal(password_check(pw, NULL, 0), PASSWORD_OK);
	strcat(pw, "ş");
	assert_int_equal(password_check(pw, NULL, 0), PASSWORD_TOO_LONG);
	/* No list: only the length counts. */
	assert_int_equal(password_check("123456789012", NULL, 0), PASSWORD_OK);
}

static void test_messages(void **state)
{
	(void)state;
	assert_string_equal(password_verdict_message(PASSWORD_OK), "");
	assert_string_equal(password_verdict_message(PASSWORD_TOO_SHORT),
			    "Parola en az 12 karakter olmalıdır.");
	assert_string_equal(password_verdict_message(PASSWORD_TOO_LONG),
			    "Parola en çok 128 karakter olabilir.");
	assert_non_null(strstr(password_verdict_message(PASSWORD_COMMON), "yaygın"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_length_limits),
		cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
