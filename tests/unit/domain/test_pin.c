/* Table-driven tests of domain/pin.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/pin.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *pin;
	enum pin_problem want;
} cases[] = {
	{"482915", PIN_OK},
	{"135790", PIN_OK},
	{"112233", PIN_OK},
	{"123457", PIN_OK},
	{"012345", PIN_SEQUENCE},
	{"123456", PIN_SEQUENCE},
	{"456789", PIN_SEQUENCE},
	{"789012", PIN_SEQUENCE}, /* wraps past 9 */
	{"987654", PIN_SEQUENCE},
	{"654321", PIN_SEQUENCE},
	{"210987", PIN_SEQUENCE},
	{"000000", PIN_ALL_SAME},
	{"777777", PIN_ALL_SAME},
	{"12345", PIN_NOT_SIX_DIGITS},
	{"1234567", PIN_NOT_SIX_DIGITS},
	{"", PIN_NOT_SIX_DIGITS},
	{"48291a", PIN_NOT_SIX_DIGITS},
	{" 48291", PIN_NOT_SIX_DIGITS},
	{"482915\n", PIN_NOT_SIX_DIGITS},
	{"48\xd9\xa3"
	 "915",
	 PIN_NOT_SIX_DIGITS}, /* Arabic-Indic digit */
	{NULL, PIN_NOT_SIX_DIGITS},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		enum pin_problem got = pin_check(cases[i].pin);
		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %s want %s", i,
				 cases[i].pin ? cases[i].pin : "NULL", pin_problem_names[got],
				 pin_problem_names[cases[i].want]);
	}
}

static void test_messages(void **state)
{
	(void)state;
	for (int p = 0; p < PIN__MAX; p++) {
		assert_non_null(pin_problem_names[p]);
		assert_true(strlen(pin_problem_message((enum pin_problem)p)) > 0);
	}
	assert_non_null(strstr(pin_problem_message(PIN_SEQUENCE), "ardışık"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
