/* Table-driven tests of domain/tckn.h (every row of rules.md section a). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/tckn.h"

static const struct {
	const char *in;
	int valid;
} tckn_cases[] = {
	{"10000000146", 1},
	{"17291716060", 1},
	{"73195026452", 1},
	{"46902731888", 1},
	{"12345678950", 1},
	{"17291716050", 0}, /* wrong d10 */
	{"10000000147", 0}, /* wrong d11 */
	{"1729171606", 0},  /* 10 digits */
	{"07291716092", 0}, /* starts with 0 */
	{"12345678901", 0}, /* both wrong */
	{"10000000157", 0}, /* passes the d11 rule alone */
	{"1000000014a", 0}, /* letter */
	{"\xef\xbc\x91"
	 "0000000146",
	 0},		     /* full-width 1 */
	{"100000001460", 0}, /* 12 digits */
	{" 10000000146", 0},
	{"10000000146 ", 0},
	{"", 0},
	{"00000000000", 0},
	{"-0000000146", 0},
};

static void test_tckn_valid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tckn_cases) / sizeof(tckn_cases[0]); i++) {
		if (tckn_valid(tckn_cases[i].in) != tckn_cases[i].valid)
			fail_msg("tckn_valid(\"%s\") != %d", tckn_cases[i].in, tckn_cases[i].valid);
	}
	assert_int_equal(tckn_valid(NULL), 0);
}

static const struct {
	const char *nine, *out;
} complete_cases[] = {
	{"731950264", "73195026452"}, {"469027318", "46902731888"}, {"123456789", "12345678950"},
	{"100000001", "10000000146"}, {"172917160", "17291716060"}, {"12345678x", ""},
};

static void test_tckn_complete(void **state)
{
	char out[12];
	size_t i;
	unsigned stem;

	(void)state;
	for (i = 0; i < sizeof(complete_cases) / sizeof(complete_cases[0]); i++) {
		tckn_complete(complete_cases[i].nine, out);
		assert_string_equal(out, complete_cases[i].out);
	}
	/* every completed stem is valid; d11 is always even */
	for (stem = 100000000; stem < 999999999; stem += 7654321) {
		char nine[9];
		unsigned v = stem;

		for (i = 0; i < 9; i++) {
			nine[8 - i] = (char)('0' + v % 10);
			v /= 10;
		}
		tckn_complete(nine, out);
		assert_int_equal(tckn_valid(out), 1);
		assert_int_equal((out[10] - '0') % 2, 0);
		out[9] = (char)('0' + (out[9] - '0' + 1) % 10);
		assert_int_equal(tckn_valid(out), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tckn_valid),
		cmocka_unit_test(test_tckn_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
