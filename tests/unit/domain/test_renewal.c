/* Table-driven tests of domain/renewal.h: reasons, wet signature, dates,
 * reminders and fees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/renewal.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DAY INT64_C(86400)
#define NOW INT64_C(1780000000)
#define R(x) (1u << REASON_##x)

/* Certificate histories used by the tables. */
static const struct cert_summary h_valid_long[] = {{NOW - 400 * DAY, NOW + 700 * DAY, 0, 0}};
static const struct cert_summary h_valid_91[] = {{NOW - 900 * DAY, NOW + 91 * DAY, 0, 0}};
static const struct cert_summary h_valid_90[] = {{NOW - 900 * DAY, NOW + 90 * DAY, 0, 0}};
static const struct cert_summary h_valid_1s[] = {{NOW - 900 * DAY, NOW + 1, 0, 0}};
static const struct cert_summary h_expired[] = {{NOW - 1100 * DAY, NOW - 10 * DAY, 0, 0}};
static const struct cert_summary h_expired_now[] = {{NOW - 1100 * DAY, NOW, 0, 0}};
static const struct cert_summary h_revoked[] = {{NOW - 100 * DAY, NOW + 900 * DAY, 1, 0}};
/* Revoked for keyCompromise (Kayıp/Çalıntı in NES Bireysel) before its end. */
static const struct cert_summary h_lost[] = {{NOW - 100 * DAY, NOW + 900 * DAY, 1, 1}};
/* The same reason, but the certificate has ended since: a renewal again. */
static const struct cert_summary h_lost_expired[] = {{NOW - 1100 * DAY, NOW - DAY, 1, 1}};
/* An older lost certificate, then a newer one revoked for another reason. */
static const struct cert_summary h_lost_then_other[] = {
	{NOW - 900 * DAY, NOW + 100 * DAY, 1, 1},
	{NOW - 100 * DAY, NOW + 900 * DAY, 1, 0},
};
/* The newest one lost, an older one revoked for another reason. */
static const struct cert_summary h_other_then_lost[] = {
	{NOW - 900 * DAY, NOW + 100 * DAY, 1, 0},
	{NOW - 100 * DAY, NOW + 900 * DAY, 1, 1},
};
/* Lost, and another certificate still valid: the usual held rule. */
static const struct cert_summary h_lost_and_valid[] = {
	{NOW - 100 * DAY, NOW + 900 * DAY, 1, 1},
	{NOW - 50 * DAY, NOW + 950 * DAY, 0, 0},
};
static const struct cert_summary h_renewed[] = {
	{NOW - 1000 * DAY, NOW + 20 * DAY, 0, 0},
	{NOW + 20 * DAY, NOW + 1115 * DAY, 0, 0}, /* renewal issued, starts later */
};
static const struct cert_summary h_old_and_valid[] = {
	{NOW - 2000 * DAY, NOW - 900 * DAY, 0, 0},
	{NOW - 900 * DAY, NOW + 30 * DAY, 0, 0},
};
static const struct cert_summary h_two_valid[] = {
	{NOW - 100 * DAY, NOW + 900 * DAY, 0, 0},
	{NOW - 50 * DAY, NOW + 950 * DAY, 0, 0},
};
static const struct cert_summary h_revoked_and_expired[] = {
	{NOW - 2000 * DAY, NOW - 900 * DAY, 0, 0},
	{NOW - 900 * DAY, NOW + 30 * DAY, 1, 0},
};

static const struct {
	const char *name;
	const struct cert_summary *certs;
	size_t n;
	unsigned reasons;
	int wet[REASON__MAX]; /* ILK, YENILEME, KAYIP_CALINTI, DIGER */
} cases[] = {
	{"none", NULL, 0, R(ILK), {1, 1, 1, 1}},
	{"valid long", h_valid_long, 1, R(KAYIP_CALINTI) | R(DIGER), {1, 0, 1, 0}},
	{"valid 91 days", h_valid_91, 1, R(KAYIP_CALINTI) | R(DIGER), {1, 0, 1, 0}},
	{"valid 90 days", h_valid_90, 1, R(YENILEME) | R(KAYIP_CALINTI) | R(DIGER), {1, 0, 1, 0}},
	{"valid 1 s", h_valid_1s, 1, R(YENILEME) | R(KAYIP_CALINTI) | R(DIGER), {1, 0, 1, 0}},
	{"expired", h_expired, 1, R(YENILEME), {1, 1, 1, 1}},
	{"expires now", h_expired_now, 1, R(YENILEME), {1, 1, 1, 1}},
	{"revoked", h_revoked, 1, R(YENILEME), {1, 1, 1, 1}},
	{"renewed", h_renewed, 2, R(KAYIP_CALINTI) | R(DIGER), {1, 0, 1, 0}},
	{"old and valid",
	 h_old_and_valid,
	 2,
	 R(YENILEME) | R(KAYIP_CALINTI) | R(DIGER),
	 {1, 0, 1, 0}},
	{"two valid", h_two_valid, 2, R(KAYIP_CALINTI) | R(DIGER), {1, 0, 0, 0}},
	{"revoked and expired", h_revoked_and_expired, 2, R(YENILEME), {1, 1, 1, 1}},
	{"lost", h_lost, 1, R(KAYIP_CALINTI), {1, 1, 1, 1}},
	{"lost, since expired", h_lost_expired, 1, R(YENILEME), {1, 1, 1, 1}},
	{"lost, newer revoked otherwise", h_lost_then_other, 2, R(YENILEME), {1, 1, 1, 1}},
	{"revoked otherwise, newer lost", h_other_then_lost, 2, R(KAYIP_CALINTI), {1, 1, 1, 1}},
	{"lost and valid", h_lost_and_valid, 2, R(KAYIP_CALINTI) | R(DIGER), {1, 0, 1, 0}},
};

static void test_renewal_reasons_and_wet(void **state)
{
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		if (renewal_allowed_reasons(cases[i].certs, cases[i].n, NOW) != cases[i].reasons)
			fail_msg("%s: reasons %#x", cases[i].name,
				 renewal_allowed_reasons(cases[i].certs, cases[i].n, NOW));
		for (r = 0; r < REASON__MAX; r++) {
			if (renewal_requires_wet_signature((enum app_reason)r, cases[i].certs,
							   cases[i].n, NOW) != cases[i].wet[r])
				fail_msg("%s: wet for %s", cases[i].name,
					 app_reason_name((enum app_reason)r));
		}
	}
	assert_int_equal(renewal_requires_wet_signature(REASON__MAX, h_two_valid, 2, NOW), 1);
}

static void test_renewal_dates(void **state)
{
	const struct cert_summary future = {NOW - DAY, NOW + 20 * DAY, 0, 0};
	const struct cert_summary past = {NOW - 900 * DAY, NOW - DAY, 0, 0};
	const struct {
		int64_t not_after, now;
		int days;
		int due;
	} rem[] = {
		{NOW + 90 * DAY, NOW, 90, 1}, {NOW + 90 * DAY + 1, NOW, 90, 0},
		{NOW + 25 * DAY, NOW, 25, 1}, {NOW + 26 * DAY, NOW, 25, 0},
		{NOW + 1, NOW, 25, 1},	      {NOW, NOW, 25, 0},
		{NOW - DAY, NOW, 90, 0},      {NOW + DAY, NOW, -1, 0},
	};
	size_t i;

	(void)state;
	assert_int_equal(renewal_new_not_before(&future, NOW), NOW + 20 * DAY);
	assert_int_equal(renewal_new_not_before(&past, NOW), NOW);
	assert_int_equal(renewal_new_not_before(NULL, NOW), NOW);
	for (i = 0; i < N(rem); i++) {
		if (renewal_reminder_due(rem[i].not_after, rem[i].now, rem[i].days) != rem[i].due)
			fail_msg("reminder case %zu", i);
	}
}

static void test_fee(void **state)
{
	static const long fees[REASON__MAX] = {0, 0, 17000, 0};
	const struct {
		const char *in;
		int rc;
		long kurus;
	} parse[] = {
		{"170", 0, 17000},
		{"170.00", 0, 17000},
		{"170,50", 0, 17050},
		{"170,5", 0, 17050},
		{"0", 0, 0},
		{"0,01", 0, 1},
		{"999999999", 0, 99999999900L},
		{"1000000000", -1, 0},
		{"170,", -1, 0},
		{",50", -1, 0},
		{"170,505", -1, 0},
		{"-170", -1, 0},
		{"170 TL", -1, 0},
		{"1.700,00", -1, 0},
		{"", -1, 0},
		{" 170", -1, 0},
		{"17a", -1, 0},
	};
	const struct {
		long kurus;
		const char *out;
	} fmt[] = {
		{17000, "170,00 TL"},
		{17050, "170,50 TL"},
		{5, "0,05 TL"},
		{0, "0,00 TL"},
		{100000, "1.000,00 TL"},
		{123456, "1.234,56 TL"},
		{99999999900L, "999.999.999,00 TL"},
		{-17000, "-170,00 TL"},
	};
	char out[32];
	long k;
	size_t i;

	(void)state;
	assert_int_equal(fee_for_reason(REASON_KAYIP_CALINTI, fees), 17000);
	assert_int_equal(fee_for_reason(REASON_ILK, fees), 0);
	assert_int_equal(fee_for_reason(REASON__MAX, fees), -1);
	for (i = 0; i < N(parse); i++) {
		k = -42;
		if (fee_parse_tl(parse[i].in, &k) != parse[i].rc)
			fail_msg("fee_parse_tl(\"%s\")", parse[i].in);
		if (parse[i].rc == 0 && k != parse[i].kurus)
			fail_msg("fee_parse_tl(\"%s\") = %ld", parse[i].in, k);
		if (parse[i].rc != 0 && k != -42)
			fail_msg("fee_parse_tl(\"%s\") wrote on failure", parse[i].in);
	}
	for (i = 0; i < N(fmt); i++) {
		fee_format_tl(fmt[i].kurus, out);
		assert_string_equal(out, fmt[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renewal_reasons_and_wet),
		cmocka_unit_test(test_renewal_dates),
		cmocka_unit_test(test_fee),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
