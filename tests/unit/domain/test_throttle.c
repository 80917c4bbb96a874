/* Table-driven tests of domain/throttle.h: the growing delays, the CAPTCHA
 * threshold, Retry-After and the wait message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/throttle.h"

static void test_delay(void **state)
{
	static const struct {
		struct throttle_rule rule;
		int64_t failures, delay;
	} cases[] = {
		{{3, 5, 900}, 0, 0},	     {{3, 5, 900}, 2, 0},
		{{3, 5, 900}, 3, 5},	     {{3, 5, 900}, 4, 10},
		{{3, 5, 900}, 5, 20},	     {{3, 5, 900}, 10, 640},
		{{3, 5, 900}, 11, 900}, /* 1280 capped */
		{{3, 5, 900}, 1000000, 900}, {{3, 5, 900}, INT64_MAX, 900},
		{{10, 5, 900}, 9, 0},	     {{10, 5, 900}, 10, 5},
		{{1, 1, 60}, 1, 1},	     {{1, 1, 60}, 7, 60}, /* 64 capped */
		{{0, 5, 900}, 100, 0},				  /* a counter that never delays */
		{{3, 0, 900}, 100, 0},	     {{3, 5, 2}, 3, 5}, /* a cap below the base: the base */
		{{3, 5, 2}, 30, 5},	     {{3, 5, 900}, -1, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t got = throttle_delay(&cases[i].rule, cases[i].failures);
		if (got != cases[i].delay)
			fail_msg("case %zu: %lld != %lld", i, (long long)got,
				 (long long)cases[i].delay);
	}
	assert_int_equal(throttle_delay(NULL, 5), 0);
}

static void test_captcha(void **state)
{
	static const struct {
		int64_t account;
		int account_after;
		int64_t address;
		int address_after;
		int needed;
	} cases[] = {
		{0, 3, 0, 5, 0}, {2, 3, 4, 5, 0}, {3, 3, 0, 5, 1}, {0, 3, 5, 5, 1},
		{9, 0, 9, 0, 0}, {9, 0, 5, 5, 1}, {3, 3, 0, 0, 1}, {100, -1, 100, -1, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (throttle_captcha_needed(cases[i].account, cases[i].account_after,
					    cases[i].address,
					    cases[i].address_after) != cases[i].needed)
			fail_msg("case %zu", i);
}

static void test_retry_after_and_text(void **state)
{
	static const struct {
		int64_t until, now, retry;
		const char *text;
	} cases[] = {
		{1005, 1000, 5, "Çok fazla hatalı deneme. Lütfen 5 saniye sonra tekrar deneyin."},
		{1059, 1000, 59, "Çok fazla hatalı deneme. Lütfen 59 saniye sonra tekrar deneyin."},
		{1060, 1000, 60, "Çok fazla hatalı deneme. Lütfen 1 dakika sonra tekrar deneyin."},
		{1061, 1000, 61, "Çok fazla hatalı deneme. Lütfen 2 dakika sonra tekrar deneyin."},
		{1900, 1000, 900,
		 "Çok fazla hatalı deneme. Lütfen 15 dakika sonra tekrar deneyin."},
		{1000, 1000, 1, "Çok fazla hatalı deneme. Lütfen 1 saniye sonra tekrar deneyin."},
		{900, 1000, 1, "Çok fazla hatalı deneme. Lütfen 1 saniye sonra tekrar deneyin."},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[THROTTLE_TEXT_LEN];
		int64_t retry = throttle_retry_after(cases[i].until, cases[i].now);
		assert_int_equal(retry, cases[i].retry);
		throttle_wait_text(retry, out);
		assert_string_equal(out, cases[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_captcha),
		cmocka_unit_test(test_retry_after_and_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
