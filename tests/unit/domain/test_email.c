/* Table-driven tests of domain/email.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/email.h"

static const struct {
	const char *in;
	int valid;
} email_cases[] = {
	{"ali.veli@meb.gov.tr", 1},
	{"a@b.co", 1},
	{"user+tag@example.com", 1},
	{"o'brien@example.ie", 1},
	{"x!#$%&'*+/=?^_`{|}~-y@example.com", 1},
	{"ali@mail-server.example.com", 1},
	{"ALI@MEB.GOV.TR", 1},
	{"1@2a.com", 1},
	{"", 0},
	{"ali", 0},
	{"ali@", 0},
	{"@meb.gov.tr", 0},
	{"ali@@meb.gov.tr", 0},
	{"ali@veli@meb.gov.tr", 0},
	{".ali@meb.gov.tr", 0},
	{"ali.@meb.gov.tr", 0},
	{"ali..veli@meb.gov.tr", 0},
	{"ali veli@meb.gov.tr", 0},
	{"ali@localhost", 0},  /* no dot */
	{"ali@meb.gov.t", 0},  /* 1-letter TLD */
	{"ali@meb.gov.t1", 0}, /* digit in TLD */
	{"ali@meb..gov.tr", 0},
	{"ali@.meb.gov.tr", 0},
	{"ali@meb.gov.tr.", 0},
	{"ali@-meb.gov.tr", 0},
	{"ali@meb-.gov.tr", 0},
	{"ali@me_b.gov.tr", 0},
	{"ali@[127.0.0.1]", 0},
	{"\"ali\"@meb.gov.tr", 0},
	{"ayşe@meb.gov.tr", 0}, /* non-ASCII local part */
	{"ali@meb.gov.tr\n", 0},
	{"ali@meb.gov.tr ", 0},
	{"ali@müdürlük.gov.tr", 0},
	{"ali<script>@x.com", 0},
};

static void test_email_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(email_cases) / sizeof(email_cases[0]); i++) {
		if (email_valid(email_cases[i].in) != email_cases[i].valid)
			fail_msg("email_valid(\"%s\") != %d", email_cases[i].in,
				 email_cases[i].valid);
	}
	assert_int_equal(email_valid(NULL), 0);
}

/* Length limits: local 64, label 63, total 254. */
static void test_email_lengths(void **state)
{
	char s[400];

	(void)state;
	memset(s, 'a', 64);
	memcpy(s + 64, "@x.com", 7);
	assert_int_equal(email_valid(s), 1);
	memset(s, 'a', 65);
	memcpy(s + 65, "@x.com", 7);
	assert_int_equal(email_valid(s), 0);

	memcpy(s, "a@", 2);
	memset(s + 2, 'b', 63);
	memcpy(s + 65, ".com", 5);
	assert_int_equal(email_valid(s), 1);
	memset(s + 2, 'b', 64);
	memcpy(s + 66, ".com", 5);
	assert_int_equal(email_valid(s), 0);

	/* a@ + 4 labels of 60 + ".com" = 2 + 244 + 4 = 250 bytes: ok */
	memcpy(s, "a@", 2);
	for (int k = 0; k < 4; k++) {
		memset(s + 2 + k * 61, 'c', 60);
		s[2 + k * 61 + 60] = '.';
	}
	memcpy(s + 2 + 244, "com", 4);
	assert_int_equal(strlen(s), 249);
	assert_int_equal(email_valid(s), 1);
	/* 6 more bytes of local part: 255 bytes */
	memmove(s + 6, s, 250);
	memset(s, 'a', 6);
	assert_int_equal(strlen(s), 255);
	assert_int_equal(email_valid(s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email_table),
		cmocka_unit_test(test_email_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
