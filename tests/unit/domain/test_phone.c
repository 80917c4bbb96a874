/* Table-driven tests of domain/phone.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/phone.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	const char *in, *out; /* out NULL: rejected */
} mobile_cases[] = {
	{"05321234567", "5321234567"},
	{"5321234567", "5321234567"},
	{"+905321234567", "5321234567"},
	{"+90 532 123 45 67", "5321234567"},
	{"00905321234567", "5321234567"},
	{"905321234567", "5321234567"},
	{"0 (532) 123-45-67", "5321234567"},
	{"0532 123 45 67", "5321234567"},
	{"(0532)1234567", "5321234567"},
	{"03721234567", NULL}, /* landline */
	{"4321234567", NULL},
	{"532123456", NULL},	/* 9 digits */
	{"053212345678", NULL}, /* 11 after the 0 */
	{"+15321234567", NULL}, /* foreign */
	{"+44 5321234567", NULL},
	{"0532.123.45.67", NULL},
	{"0532/1234567", NULL},
	{"5321234567+", NULL},
	{"++905321234567", NULL},
	{"0532 123 45 6a", NULL},
	{"0\xef\xbc\x95"
	 "321234567",
	 NULL}, /* full-width 5 */
	{"", NULL},
	{"+", NULL},
	{"90", NULL},
	{"9053212345678", NULL}, /* 13 digits: 90 not stripped */
	{"00000000000000000000000005321234567", NULL},
};

static const struct {
	const char *in, *out;
} landline_cases[] = {
	{"03721234567", "3721234567"},
	{"0 (372) 123 45 67", "3721234567"},
	{"+90 312 123 45 67", "3121234567"},
	{"00902121234567", "2121234567"},
	{"4441234", NULL}, /* short number */
	{"04441234567", "4441234567"},
	{"05321234567", NULL}, /* mobile */
	{"08501234567", NULL}, /* 850 not a landline */
	{"01234567890", NULL},
	{"372123456", NULL},
	{"", NULL},
};

static void test_phone_mobile(void **state)
{
	char out[11];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < N(mobile_cases); i++) {
		memset(out, 'x', sizeof(out));
		rc = phone_normalize_mobile(mobile_cases[i].in, out);
		if (mobile_cases[i].out == NULL) {
			if (rc != -1 || out[0] != '\0')
				fail_msg("mobile accepted \"%s\"", mobile_cases[i].in);
			continue;
		}
		if (rc != 0)
			fail_msg("mobile rejected \"%s\"", mobile_cases[i].in);
		assert_string_equal(out, mobile_cases[i].out);
	}
	assert_int_equal(phone_normalize_mobile(NULL, out), -1);
}

static void test_phone_landline(void **state)
{
	char out[11];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < N(landline_cases); i++) {
		rc = phone_normalize_landline(landline_cases[i].in, out);
		if (landline_cases[i].out == NULL) {
			if (rc != -1)
				fail_msg("landline accepted \"%s\"", landline_cases[i].in);
			continue;
		}
		if (rc != 0)
			fail_msg("landline rejected \"%s\"", landline_cases[i].in);
		assert_string_equal(out, landline_cases[i].out);
	}
}

static const struct {
	const char *norm, *op;
} op_cases[] = {
	{"5001234567", "Türk Telekom"}, {"5051234567", "Türk Telekom"},
	{"5091234567", "Türk Telekom"}, {"5301234567", "Turkcell"},
	{"5321234567", "Turkcell"},	{"5391234567", "Turkcell"},
	{"5401234567", "Vodafone"},	{"5421234567", "Vodafone"},
	{"5491234567", "Vodafone"},	{"5501234567", "Türk Telekom"},
	{"5591234567", "Türk Telekom"}, {"5611234567", "Turkcell"},
	{"5601234567", NULL},		{"5621234567", NULL},
	{"5101234567", NULL},		{"5741234567", NULL},
	{"3721234567", NULL},		{"532123456", NULL},
	{"53212345678", NULL},		{"53a1234567", NULL},
};

static void test_phone_operator(void **state)
{
	const char *op;
	size_t i;

	(void)state;
	for (i = 0; i < N(op_cases); i++) {
		op = phone_operator_hint(op_cases[i].norm);
		if (op_cases[i].op == NULL)
			assert_null(op);
		else
			assert_string_equal(op, op_cases[i].op);
	}
	assert_null(phone_operator_hint(NULL));
}

static const struct {
	const char *norm, *mask;
} mask_cases[] = {
	{"5321234567", "0 (5**) *** ** 67"},
	{"5059876501", "0 (5**) *** ** 01"},
	{"3721234589", "0 (3**) *** ** 89"},
	{"532123456", ""},
	{"53212345678", ""},
	{"532123456x", ""},
};

static void test_phone_mask(void **state)
{
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < N(mask_cases); i++) {
		phone_mask(mask_cases[i].norm, out);
		assert_string_equal(out, mask_cases[i].mask);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_mobile),
		cmocka_unit_test(test_phone_landline),
		cmocka_unit_test(test_phone_operator),
		cmocka_unit_test(test_phone_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
