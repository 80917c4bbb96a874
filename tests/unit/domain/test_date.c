/* Table-driven tests of domain/date.h: parsing, leap years, day counts,
 * year arithmetic, Turkish formats and the UTC+3 edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/date.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *in;
	int rc, y, m, d;
} parse_cases[] = {
	{"1990-05-17", 0, 1990, 5, 17},
	{"17.05.1990", 0, 1990, 5, 17},
	{"7.5.1990", 0, 1990, 5, 7},
	{"2000-02-29", 0, 2000, 2, 29}, /* divisible by 400 */
	{"29.02.2024", 0, 2024, 2, 29},
	{"1900-01-01", 0, 1900, 1, 1},
	{"2100-12-31", 0, 2100, 12, 31},
	{"31.12.1999", 0, 1999, 12, 31},
	{"1900-02-29", -1, 0, 0, 0}, /* 1900 not leap */
	{"2100-02-29", -1, 0, 0, 0},
	{"29.02.2023", -1, 0, 0, 0},
	{"2023-04-31", -1, 0, 0, 0},
	{"2023-13-01", -1, 0, 0, 0},
	{"2023-00-10", -1, 0, 0, 0},
	{"2023-01-00", -1, 0, 0, 0},
	{"1899-12-31", -1, 0, 0, 0},
	{"2101-01-01", -1, 0, 0, 0},
	{"1990-5-17", -1, 0, 0, 0},
	{"1990/05/17", -1, 0, 0, 0},
	{"17/05/1990", -1, 0, 0, 0},
	{"17.05.90", -1, 0, 0, 0},
	{"17.05.1990 ", -1, 0, 0, 0},
	{" 17.05.1990", -1, 0, 0, 0},
	{"117.05.1990", -1, 0, 0, 0},
	{"17.05.19900", -1, 0, 0, 0},
	{"1990-05-17x", -1, 0, 0, 0},
	{"17..1990", -1, 0, 0, 0},
	{"", -1, 0, 0, 0},
	{"+990-05-17", -1, 0, 0, 0},
};

static void test_date_parse(void **state)
{
	int y = 0, m = 0, d = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N(parse_cases); i++) {
		y = m = d = 0;
		if (date_parse(parse_cases[i].in, &y, &m, &d) != parse_cases[i].rc)
			fail_msg("date_parse(\"%s\")", parse_cases[i].in);
		if (parse_cases[i].rc == 0 &&
		    (y != parse_cases[i].y || m != parse_cases[i].m || d != parse_cases[i].d))
			fail_msg("date_parse(\"%s\") = %d-%d-%d", parse_cases[i].in, y, m, d);
	}
	assert_int_equal(date_parse(NULL, &y, &m, &d), -1);
}

static const struct {
	int y, m, d;
	int64_t days;
} days_cases[] = {
	{1970, 1, 1, 0},       {1970, 1, 2, 1},	      {1969, 12, 31, -1},  {2000, 3, 1, 11017},
	{2000, 2, 29, 11016},  {2024, 2, 29, 19782},  {2026, 1, 1, 20454}, {1900, 1, 1, -25567},
	{2100, 12, 31, 47846}, {1600, 3, 1, -135080},
};

static void test_date_days(void **state)
{
	int y, m, d;
	size_t i;
	int64_t k;

	(void)state;
	for (i = 0; i < N(days_cases); i++) {
		assert_int_equal(date_to_days(days_cases[i].y, days_cases[i].m, days_cases[i].d),
				 days_cases[i].days);
		date_from_days(days_cases[i].days, &y, &m, &d);
		assert_int_equal(y, days_cases[i].y);
		assert_int_equal(m, days_cases[i].m);
		assert_int_equal(d, days_cases[i].d);
	}
	/* round trip over 1800..2200, checking each day follows the previous */
	for (k = date_to_days(1800, 1, 1); k < date_to_days(2200, 1, 1); k++) {
		date_from_days(k, &y, &m, &d);
		assert_int_equal(date_to_days(y, m, d), k);
		assert_true(d >= 1 && d <= date_days_in_month(y, m));
	}
}

static const struct {
	int y;
	int leap;
} leap_cases[] = {
	{1900, 0}, {2000, 1}, {2004, 1}, {2023, 0}, {2024, 1}, {2100, 0}, {2400, 1},
};

static void test_date_leap(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(leap_cases); i++)
		assert_int_equal(date_is_leap(leap_cases[i].y), leap_cases[i].leap);
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2023, 2), 28);
	assert_int_equal(date_days_in_month(2023, 13), 0);
}

/* epoch seconds of a UTC civil time */
static int64_t utc(int y, int m, int d, int hh, int mm, int ss)
{
	return date_to_days(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static void test_date_add_years(void **state)
{
	const struct {
		int64_t from;
		int years;
		int64_t to;
	} cases[] = {
		{utc(2024, 2, 29, 10, 30, 0), 1, utc(2025, 2, 28, 10, 30, 0)},
		{utc(2024, 2, 29, 10, 30, 0), 4, utc(2028, 2, 29, 10, 30, 0)},
		{utc(2024, 2, 29, 0, 0, 0), 3, utc(2027, 2, 28, 0, 0, 0)},
		{utc(2023, 3, 1, 23, 59, 59), 1, utc(2024, 3, 1, 23, 59, 59)},
		{utc(2026, 1, 15, 12, 0, 0), 3, utc(2029, 1, 15, 12, 0, 0)},
		{utc(2026, 12, 31, 23, 0, 0), 2, utc(2028, 12, 31, 23, 0, 0)},
		{utc(2026, 6, 1, 0, 0, 0), -1, utc(2025, 6, 1, 0, 0, 0)},
		{utc(1969, 12, 31, 23, 59, 59), 1, utc(1970, 12, 31, 23, 59, 59)},
		{utc(2026, 6, 1, 0, 0, 0), 0, utc(2026, 6, 1, 0, 0, 0)},
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		assert_int_equal(date_add_years(cases[i].from, cases[i].years), cases[i].to);
}

static void test_date_format(void **state)
{
	const struct {
		int64_t t;
		const char *date, *time_tr;
	} cases[] = {
		{0, "01.01.1970", "01.01.1970 03:00"},
		{utc(2026, 3, 5, 20, 59, 0), "05.03.2026", "05.03.2026 23:59"},
		{utc(2026, 3, 5, 21, 0, 0), "05.03.2026", "06.03.2026 00:00"}, /* TR midnight */
		{utc(2026, 12, 31, 21, 0, 0), "31.12.2026", "01.01.2027 00:00"},
		{utc(2024, 2, 28, 22, 15, 0), "28.02.2024", "29.02.2024 01:15"},
		{utc(2023, 2, 28, 22, 15, 0), "28.02.2023", "01.03.2023 01:15"},
		{utc(2026, 7, 1, 9, 5, 59), "01.07.2026", "01.07.2026 12:05"}, /* no DST */
		{-1, "31.12.1969", "01.01.1970 02:59"},
	};
	char d[11], t[17];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		date_format_tr(cases[i].t, d);
		assert_string_equal(d, cases[i].date);
		date_format_tr_time(cases[i].t, t);
		assert_string_equal(t, cases[i].time_tr);
	}
}

static void test_date_tr_day_start(void **state)
{
	(void)state;
	/* 2026-11-27 00:00 +03:00 is 2026-11-26 21:00 UTC. */
	assert_int_equal(date_tr_day_start("2026-11-27"), 1795726800);
	assert_int_equal(date_tr_day_start("27.11.2026"), 1795726800);
	assert_int_equal(date_tr_day_start(""), 0);
	assert_int_equal(date_tr_day_start(NULL), 0);
	assert_int_equal(date_tr_day_start("2026-02-30"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_parse),  cmocka_unit_test(test_date_days),
		cmocka_unit_test(test_date_leap),   cmocka_unit_test(test_date_add_years),
		cmocka_unit_test(test_date_format), cmocka_unit_test(test_date_tr_day_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
