/* Table-driven tests of domain/postal.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/postal.h"

static const struct {
	const char *in;
	int valid, province;
} postal_cases[] = {
	{"01010", 1, 1},
	{"67100", 1, 67},
	{"81952", 1, 81},
	{"34000", 1, 34},
	{"00123", 0, 0},
	{"82000", 0, 0},
	{"99999", 0, 0},
	{"6710", 0, 0},
	{"671000", 0, 0},
	{"67 10", 0, 0},
	{"6710a", 0, 0},
	{"", 0, 0},
	{" 67100", 0, 0},
	{"67100 ", 0, 0},
	{"-6710", 0, 0},
	{"\xd9\xa6\xd9\xa7\xd9\xa1\xd9\xa0\xd9\xa0", 0, 0}, /* Arabic-Indic digits */
};

static void test_postal_valid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(postal_cases) / sizeof(postal_cases[0]); i++) {
		if (postal_code_valid(postal_cases[i].in) != postal_cases[i].valid)
			fail_msg("valid(\"%s\")", postal_cases[i].in);
		if (postal_code_province(postal_cases[i].in) != postal_cases[i].province)
			fail_msg("province(\"%s\")", postal_cases[i].in);
	}
	assert_int_equal(postal_code_valid(NULL), 0);
	assert_int_equal(postal_code_province(NULL), 0);
}

static const struct {
	const char *code;
	int plate, match;
} match_cases[] = {
	{"67100", 67, 1}, {"67100", 6, 0},  {"06100", 6, 1}, {"06100", 60, 0}, {"01010", 1, 1},
	{"00100", 0, 0},  {"82100", 82, 0}, {"67100", 0, 0}, {"6710", 67, 0},
};

static void test_postal_matches(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		if (postal_code_matches(match_cases[i].code, match_cases[i].plate) !=
		    match_cases[i].match)
			fail_msg("matches(\"%s\", %d)", match_cases[i].code, match_cases[i].plate);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_postal_valid),
		cmocka_unit_test(test_postal_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
