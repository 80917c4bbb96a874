/* The Turkish lockout message: time in Türkiye, rounding, suffixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "identity/lockout.h"

/* 2024-01-01T00:00:00Z */
#define JAN1 INT64_C(1704067200)

struct suffix_row {
	int hour, minute;
	const char *want;
};

static void test_suffixes(void **state)
{
	static const struct suffix_row rows[] = {
		{14, 0, "ten"},	 /* on dört */
		{14, 35, "ten"}, /* otuz beş */
		{10, 10, "dan"}, /* on */
		{9, 20, "den"},	 /* yirmi */
		{13, 30, "dan"}, /* otuz */
		{12, 40, "tan"}, /* kırk */
		{8, 50, "den"},	 /* elli */
		{0, 0, "dan"},	 /* sıfır */
		{21, 1, "den"},	 /* bir */
		{22, 2, "den"},	 /* iki */
		{23, 3, "ten"},	 /* üç */
		{15, 4, "ten"},	 /* dört */
		{16, 6, "dan"},	 /* altı */
		{17, 7, "den"},	 /* yedi */
		{18, 8, "den"},	 /* sekiz */
		{19, 9, "dan"},	 /* dokuz */
		{20, 0, "den"},	 /* yirmi */
		{10, 0, "dan"},	 /* on */
		{12, 0, "den"},	 /* on iki */
		{13, 0, "ten"},	 /* on üç */
		{16, 0, "dan"},	 /* on altı */
		{11, 59, "dan"}, /* elli dokuz */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *got = lockout_time_suffix(rows[i].hour, rows[i].minute);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%02d:%02d: got %s want %s", rows[i].hour, rows[i].minute, got,
				 rows[i].want);
	}
}

struct msg_row {
	int64_t until;
	const char *want;
};

static void test_messages(void **state)
{
	static const struct msg_row rows[] = {
		{JAN1 + 11 * 3600 + 35 * 60,
		 "Çok fazla hatalı deneme. Lütfen 14:35'ten sonra deneyin."},
		/* rounded up to the next minute */
		{JAN1 + 11 * 3600 + 34 * 60 + 1,
		 "Çok fazla hatalı deneme. Lütfen 14:35'ten sonra deneyin."},
		{JAN1 + 7 * 3600 + 10 * 60,
		 "Çok fazla hatalı deneme. Lütfen 10:10'dan sonra deneyin."},
		{JAN1 + 9 * 3600 + 40 * 60,
		 "Çok fazla hatalı deneme. Lütfen 12:40'tan sonra deneyin."},
		/* 20:59:30 UTC is 23:59:30 in Türkiye: rounds to midnight */
		{JAN1 + 20 * 3600 + 59 * 60 + 30,
		 "Çok fazla hatalı deneme. Lütfen 00:00'dan sonra deneyin."},
		{JAN1 - 3 * 3600 + 9 * 3600 + 20 * 60,
		 "Çok fazla hatalı deneme. Lütfen 09:20'den sonra deneyin."},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[LOCKOUT_MSG_LEN];
		lockout_format_until(rows[i].until, out);
		assert_string_equal(out, rows[i].want);
	}
}

static void test_every_minute_fits(void **state)
{
	for (int64_t m = 0; m < 24 * 60; m++) {
		char out[LOCKOUT_MSG_LEN];
		memset(out, 'x', sizeof out);
		lockout_format_until(JAN1 + m * 60, out);
		size_t len = strlen(out);
		assert_true(len < sizeof out);
		assert_string_equal(out + len - strlen(" sonra deneyin."), " sonra deneyin.");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suffixes),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_every_minute_fits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
