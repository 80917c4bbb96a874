/* When a use case's transaction is run again (src/app/txn.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/txn.h"

static void test_should_retry(void **state)
{
	static const struct {
		enum uc_rc rc;
		int retryable, attempt, want;
	} cases[] = {
		{UC_ERROR, 1, 1, 1},
		{UC_ERROR, 1, UC_MAX_ATTEMPTS - 1, 1},
		{UC_ERROR, 1, UC_MAX_ATTEMPTS, 0}, /* attempts used up */
		{UC_ERROR, 0, 1, 0},		   /* another database error */
		{UC_OK, 1, 1, 0},
		{UC_CONFLICT, 1, 1, 0}, /* a rule said no: the answer stands */
		{UC_INVALID, 1, 1, 0},
		{UC_LIMITED, 1, 1, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(uc_should_retry(cases[i].rc, cases[i].retryable, cases[i].attempt),
				 cases[i].want);
}

static void test_retry_delay(void **state)
{
	static const struct {
		int attempt;
		unsigned jitter;
		int want;
	} cases[] = {
		{1, 0, 5},  {2, 0, 10}, {3, 0, 20},   {4, 0, 40},   {5, 0, 80},
		{9, 0, 80}, {1, 50, 7}, {5, 99, 159}, {2, 199, 19}, /* jitter is taken mod 100 */
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(uc_retry_delay_ms(cases[i].attempt, cases[i].jitter),
				 cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_should_retry),
		cmocka_unit_test(test_retry_delay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
