/* Table-driven tests of domain/totp.h: the RFC 4226 appendix D and RFC 6238
 * appendix B (SHA-1) vectors, the drift window, replay, base32. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/totp.h"

static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_KEYLEN 20

static const int64_t hotp_cases[] = {755224, 287082, 359152, 969429, 338314,
				     254676, 287922, 162583, 399871, 520489};

static void test_hotp_rfc4226(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hotp_cases / sizeof hotp_cases[0]; i++)
		assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, i, 6), hotp_cases[i]);
}

static const struct {
	int64_t t;
	int64_t code8;
} totp_cases[] = {
	{59, 94287082},		{1111111109, 7081804},	{1111111111, 14050471},
	{1234567890, 89005924}, {2000000000, 69279037}, {20000000000LL, 65353130},
};

static void test_totp_rfc6238(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof totp_cases / sizeof totp_cases[0]; i++) {
		int64_t step = totp_step_of(totp_cases[i].t);
		assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, (uint64_t)step, 8),
				 totp_cases[i].code8);
		assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, (uint64_t)step, 6),
				 totp_cases[i].code8 % 1000000);
	}
}

static const struct {
	const char *code;
	int64_t now, last_step, want;
} verify_cases[] = {
	{"287082", 59, 0, 1},	    /* the RFC's own step */
	{"287082", 59 + 30, 0, 1},  /* one step late: allowed */
	{"287082", 59 - 30, 0, 1},  /* one step early: allowed */
	{"287082", 59 + 60, 0, -1}, /* two steps late: refused */
	{"287082", 59, 1, -1},	    /* replay of the same step */
	{"287083", 59, 0, -1},	    /* wrong code */
	{"28708", 59, 0, -1},	    /* too short */
	{"2870820", 59, 0, -1},	    /* too long */
	{"28708a", 59, 0, -1},	    /* not a digit */
	{"", 59, 0, -1},
	{"081804", 1111111109, 0, 37037036}, /* 6-digit form of an RFC vector */
};

static void test_totp_verify(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof verify_cases / sizeof verify_cases[0]; i++)
		assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, verify_cases[i].code,
					     verify_cases[i].now, verify_cases[i].last_step),
				 verify_cases[i].want);
	assert_int_equal(totp_verify(rfc_key, RFC_KEYLEN, NULL, 59, 0), -1);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	assert_int_equal(totp_hotp(rfc_key, 0, 1, 6), -1);
	assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, 1, 5), -1);
	assert_int_equal(totp_hotp(rfc_key, RFC_KEYLEN, 1, 9), -1);
	assert_int_equal(totp_step_of(-5), 0);
}

static const struct {
	const char *raw, *b32;
} b32_cases[] = {
	{"", ""},
	{"f", "MY"},
	{"fo", "MZXQ"},
	{"foo", "MZXW6"},
	{"foob", "MZXW6YQ"},
	{"fooba", "MZXW6YTB"},
	{"foobar", "MZXW6YTBOI"},
	{"12345678901234567890", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"},
};

static void test_base32(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof b32_cases / sizeof b32_cases[0]; i++) {
		char out[64];
		unsigned char back[64];
		size_t n = strlen(b32_cases[i].raw);
		assert_int_equal(totp_base32_encode((const unsigned char *)b32_cases[i].raw, n, out,
						    sizeof out),
				 0);
		assert_string_equal(out, b32_cases[i].b32);
		assert_int_equal(totp_base32_decode(b32_cases[i].b32, back, sizeof back), (int)n);
		assert_memory_equal(back, b32_cases[i].raw, n);
	}
	unsigned char back[8];
	char small[4];
	assert_int_equal(totp_base32_decode("mzxw 6ytb", back, sizeof back), 5);
	assert_memory_equal(back, "fooba", 5);
	assert_int_equal(totp_base32_decode("MZ1W", back, sizeof back), -1);
	assert_int_equal(totp_base32_decode("MZXW6YTBOI", back, 3), -1);
	assert_int_equal(totp_base32_encode((const unsigned char *)"foo", 3, small, sizeof small),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hotp_rfc4226), cmocka_unit_test(test_totp_rfc6238),
		cmocka_unit_test(test_totp_verify),  cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_base32),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
