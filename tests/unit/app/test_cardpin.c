/* app/cardpin.h: the one-time PIN authorization (issue 14) against a
 * temporary database. The exchange's signer step is covered by
 * tests/integration/test_edevlet.py; here the refusals before it. */
#include "fixture.h"

#include "app/cardpin.h"
#include "store/cardpin.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_normalize(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out; /* out NULL: refused */
	} cases[] = {
		{"ABCD-EFGH-JKLM-NPQR", "ABCDEFGHJKLMNPQR"},
		{"abcd-efgh-jklm-npqr", "ABCDEFGHJKLMNPQR"},
		{"ABCD EFGH JKLM NPQR", "ABCDEFGHJKLMNPQR"},
		{"ABCDEFGHJKLMNPQR", "ABCDEFGHJKLMNPQR"},
		{"2345-6789-ABCD-EFGH", "23456789ABCDEFGH"},
		{"ABCD-EFGH-JKLM-NPQ", NULL},	/* 15 */
		{"ABCD-EFGH-JKLM-NPQRS", NULL}, /* 17 */
		{"ABCD-EFGH-JKLM-NPQ0", NULL},	/* 0 is not in the alphabet */
		{"ABCD-EFGH-JKLM-NPQI", NULL},	/* nor I */
		{"ABCD-EFGH-JKLM-NPQ1", NULL},
		{"ABCD-EFGH-JKLM-NPQ\xc4\xb0", NULL},
		{"", NULL},
		{NULL, NULL},
	};
	for (size_t i = 0; i < N(cases); i++) {
		char out[PIN_CODE_LEN + 1];
		int rc = pin_code_normalize(cases[i].in, out);
		if (cases[i].out == NULL)
			assert_int_equal(rc, -1);
		else {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].out);
		}
	}
}

static int64_t holder(struct fx *f, enum app_state st, int with_card, struct application *app)
{
	int64_t id = fx_application(f, REASON_ILK, st, 0, app);
	static const unsigned char sealed[60] = {1, 2, 3};
	if (with_card)
		assert_int_equal(cardpin_store(f->d, id, "SERI-1", sealed, sizeof sealed, sealed,
					       sizeof sealed, 1700000000),
				 0);
	return id;
}

static void test_only_delivered_with_a_card(void **state)
{
	struct fx *f = *state;
	struct application app;
	char shown[PIN_CODE_SHOWN + 1];
	holder(f, APP_SHIPPED, 1, &app);
	assert_int_equal(uc_pin_authorize(fx_ctx(f), &app, PIN_PURPOSE_SET, shown), UC_CONFLICT);
	assert_non_null(strstr(f->c.message, "teslim edildikten sonra"));
	fx_teardown(state);
	fx_setup(state);
	f = *state;
	holder(f, APP_DELIVERED, 0, &app);
	assert_int_equal(uc_pin_authorize(fx_ctx(f), &app, PIN_PURPOSE_SET, shown), UC_CONFLICT);
	assert_int_equal(db_query_int64(f->d, -1, "SELECT COUNT(*) FROM pin_authorizations", NULL),
			 0);
}

static void test_code_stored_hashed_and_refusals(void **state)
{
	struct fx *f = *state;
	struct application app;
	char a[PIN_CODE_SHOWN + 1], b[PIN_CODE_SHOWN + 1], pin[65];
	enum pin_purpose p;
	holder(f, APP_DELIVERED, 1, &app);
	assert_int_equal(uc_pin_authorize(fx_ctx(f), &app, PIN_PURPOSE_SET, a), UC_OK);
	assert_int_equal(uc_pin_authorize(fx_ctx(f), &app, PIN_PURPOSE_UNBLOCK, b), UC_OK);
	assert_int_equal(strlen(a), PIN_CODE_SHOWN);
	assert_string_not_equal(a, b);
	char norm[PIN_CODE_LEN + 1];
	assert_int_equal(pin_code_normalize(a, norm), 0);
	/* Neither form of the code is in the table. */
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM pin_authorizations WHERE "
					"code_hash = $1 OR code_hash = $2",
					a, norm, NULL),
			 0);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM pin_authorizations WHERE "
					"length(code_hash) = 64 AND expires_at - created_at = 600",
					NULL),
			 2);
	/* A made-up code, and a real one after its life. */
	assert_int_equal(uc_pin_exchange(fx_ctx(f), "ABCD-EFGH-JKLM-NPQR", "SERI-1", &p, pin,
					 sizeof pin),
			 UC_FORBIDDEN);
	struct uc_ctx *c = fx_ctx(f);
	c->now += 601;
	assert_int_equal(uc_pin_exchange(c, a, "SERI-1", &p, pin, sizeof pin), UC_FORBIDDEN);
	/* Another card: refused, and the authorization is spent. */
	assert_int_equal(uc_pin_exchange(fx_ctx(f), a, "SERI-2", &p, pin, sizeof pin),
			 UC_FORBIDDEN);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM pin_authorizations WHERE "
					"used_at IS NOT NULL",
					NULL),
			 1);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE action = "
					"'pin_release_refused'",
					NULL),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test_setup_teardown(test_only_delivered_with_a_card, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_code_stored_hashed_and_refusals, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
