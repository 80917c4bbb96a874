/* Table-driven tests of domain/access.h: who sees and who decides on which
 * application. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/access.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct access_actor zon = {1, "ZONGULDAK-MEM"};
static const struct access_actor bar = {1, "BARTIN-MEM"};
static const struct access_actor no_scope = {1, ""};
static const struct access_actor null_scope = {1, NULL};
static const struct access_actor ca = {0, NULL};
static const struct access_actor ca_with_scope = {0, "BARTIN-MEM"};

static void test_see(void **state)
{
	(void)state;
	static const struct {
		const struct access_actor *who;
		const char *unit;
		int see;
	} cases[] = {
		{&zon, "ZONGULDAK-MEM", 1},
		{&zon, "BARTIN-MEM", 0},
		{&zon, "zonguldak-mem", 0}, /* exact, no case folding */
		{&zon, "ZONGULDAK-MEM ", 0},
		{&zon, "", 0},
		{&zon, NULL, 0},
		{&bar, "BARTIN-MEM", 1},
		{&no_scope, "", 0}, /* an authority without a unit sees nothing */
		{&no_scope, "ZONGULDAK-MEM", 0},
		{&null_scope, NULL, 0},
		{&ca, "ZONGULDAK-MEM", 1},
		{&ca, "", 1},
		{&ca, NULL, 1},
		{&ca_with_scope, "ZONGULDAK-MEM", 1}, /* CA staff ignore any scope */
	};
	for (size_t i = 0; i < N(cases); i++) {
		if (access_may_see(cases[i].who, cases[i].unit) != cases[i].see)
			fail_msg("case %zu: unit %s", i, cases[i].unit ? cases[i].unit : "(null)");
	}
}

static void test_scope(void **state)
{
	(void)state;
	assert_string_equal(access_scope(&zon), "ZONGULDAK-MEM");
	assert_string_equal(access_scope(&no_scope), "");
	assert_string_equal(access_scope(&null_scope), "");
	assert_null(access_scope(&ca));
	assert_null(access_scope(&ca_with_scope));
}

#define AA APP_AWAITING_APPROVAL
#define NA APP_NEEDS_APPROVAL
#define NP APP_NEEDS_PAPERWORK
#define NF APP_NEEDS_PAYMENT

static void test_decide(void **state)
{
	(void)state;
	static const struct {
		const struct access_actor *who;
		const char *unit;
		enum app_state st;
		int64_t flags;
		enum access_decision want;
	} cases[] = {
		{&zon, "ZONGULDAK-MEM", AA, NA, ACCESS_OK},
		{&zon, "ZONGULDAK-MEM", AA, NA | NP, ACCESS_OK},
		{&zon, "ZONGULDAK-MEM", AA, NA | NF, ACCESS_OK},
		{&zon, "ZONGULDAK-MEM", AA, NA | NP | NF, ACCESS_OK},
		/* Approved already, other conditions still open. */
		{&zon, "ZONGULDAK-MEM", AA, NP, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", AA, NF, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", AA, NP | NF, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", AA, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_FORM_CONFIRMED, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_SMS_VERIFIED, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_SIGNING, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_APPROVED, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_PRODUCED, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_SHIPPED, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_DELIVERED, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_REJECTED, 0, ACCESS_NOT_AWAITING},
		{&zon, "ZONGULDAK-MEM", APP_CANCELLED, 0, ACCESS_NOT_AWAITING},
		/* A flag on a state that cannot carry it does not make it wait. */
		{&zon, "ZONGULDAK-MEM", APP_APPROVED, NA, ACCESS_NOT_AWAITING},
		/* Scope before state: out of scope never reveals the state. */
		{&zon, "BARTIN-MEM", AA, NA, ACCESS_NOT_VISIBLE},
		{&zon, "BARTIN-MEM", APP_REJECTED, 0, ACCESS_NOT_VISIBLE},
		{&zon, NULL, AA, NA, ACCESS_NOT_VISIBLE},
		{&no_scope, "", AA, NA, ACCESS_NOT_VISIBLE},
		{&bar, "BARTIN-MEM", AA, NA, ACCESS_OK},
		/* The CA's staff see everything but never decide. */
		{&ca, "ZONGULDAK-MEM", AA, NA, ACCESS_NOT_AUTHORITY},
		{&ca, "BARTIN-MEM", APP_SIGNING, 0, ACCESS_NOT_AUTHORITY},
		{&ca_with_scope, "BARTIN-MEM", AA, NA, ACCESS_NOT_AUTHORITY},
	};
	for (size_t i = 0; i < N(cases); i++) {
		struct access_target t = {cases[i].unit, cases[i].st, cases[i].flags};
		enum access_decision got = access_may_decide(cases[i].who, &t);
		if (got != cases[i].want)
			fail_msg("case %zu: got %s, want %s", i, access_decision_name(got),
				 access_decision_name(cases[i].want));
	}
}

static void test_awaits_and_names(void **state)
{
	(void)state;
	for (int s = 0; s < APP_STATE__MAX; s++)
		for (int64_t f = 0; f <= 7; f++)
			assert_int_equal(access_awaits_decision((enum app_state)s, f),
					 s == AA && (f & NA));
	assert_int_equal(access_may_decide_role(&zon), 1);
	assert_int_equal(access_may_decide_role(&ca), 0);
	assert_string_equal(access_decision_name(ACCESS_OK), "ok");
	assert_string_equal(access_decision_name(ACCESS_NOT_VISIBLE), "not_visible");
	assert_string_equal(access_decision_name(ACCESS__MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_see),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_awaits_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
