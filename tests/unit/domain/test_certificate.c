/* Table-driven tests of domain/certificate.h: stored status names, what
 * the holder sees of a certificate, which action is allowed from which
 * status, and the revocation reasons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/certificate.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define NOW 1800000000
#define LATER (NOW + 86400)
#define EARLIER (NOW - 86400)

static void test_status_names(void **state)
{
	(void)state;
	static const struct {
		enum cert_status st;
		const char *name;
	} cases[] = {
		{CERT_GOOD, "good"},
		{CERT_REVOKED, "revoked"},
		{CERT_HOLD, "hold"},
	};
	assert_int_equal(N(cases), CERT_STATUS__MAX);
	for (size_t i = 0; i < N(cases); i++) {
		assert_string_equal(cert_status_name(cases[i].st), cases[i].name);
		assert_string_equal(cert_status_names[cases[i].st], cases[i].name);
		assert_int_equal(cert_status_parse(cases[i].name), cases[i].st);
	}
	assert_string_equal(cert_status_name(CERT_STATUS__MAX), "?");
	assert_string_equal(cert_status_name((enum cert_status) - 1), "?");
	static const char *const bad[] = {NULL, "", "GOOD", "Hold", "good ", "suspended", "?"};
	for (size_t i = 0; i < N(bad); i++)
		if (cert_status_parse(bad[i]) != -1)
			fail_msg("case %zu: %s parsed", i, bad[i] ? bad[i] : "(null)");
}

static void test_view_of(void **state)
{
	(void)state;
	static const struct {
		enum cert_status st;
		int64_t not_after;
		enum holder_cert_view want;
	} cases[] = {
		{CERT_GOOD, LATER, HCV_GOOD},
		{CERT_GOOD, NOW + 1, HCV_GOOD},
		{CERT_GOOD, NOW, HCV_EXPIRED}, /* notAfter is the first moment it is expired */
		{CERT_GOOD, EARLIER, HCV_EXPIRED},
		{CERT_HOLD, LATER, HCV_HOLD},
		{CERT_HOLD, NOW, HCV_EXPIRED}, /* expired wins over hold */
		{CERT_HOLD, EARLIER, HCV_EXPIRED},
		{CERT_REVOKED, LATER, HCV_REVOKED},
		{CERT_REVOKED, NOW, HCV_REVOKED}, /* revoked wins over expired */
		{CERT_REVOKED, EARLIER, HCV_REVOKED},
		{CERT_STATUS__MAX, LATER, HCV_REVOKED}, /* unknown: can do nothing */
		{(enum cert_status) - 1, LATER, HCV_REVOKED},
	};
	for (size_t i = 0; i < N(cases); i++)
		if (holder_cert_view_of(cases[i].st, cases[i].not_after, NOW) != cases[i].want)
			fail_msg("case %zu: status %d not_after %lld", i, (int)cases[i].st,
				 (long long)cases[i].not_after);
}

static void test_view_names(void **state)
{
	(void)state;
	static const struct {
		enum holder_cert_view v;
		const char *code, *label;
	} cases[] = {
		{HCV_GOOD, "gecerli", "Geçerli"},
		{HCV_HOLD, "askida", "Askıda"},
		{HCV_REVOKED, "iptal", "İptal edildi"},
		{HCV_EXPIRED, "suresi_doldu", "Süresi doldu"},
		{HCV__MAX, "?", "?"},
		{(enum holder_cert_view) - 1, "?", "?"},
	};
	for (size_t i = 0; i < N(cases); i++) {
		assert_string_equal(holder_cert_view_code(cases[i].v), cases[i].code);
		assert_string_equal(holder_cert_view_label(cases[i].v), cases[i].label);
	}
}

/* Every view against every action: the whole rule in one table. */
static void test_view_allows(void **state)
{
	(void)state;
	static const struct {
		enum holder_cert_view v;
		int hold, release, revoke;
	} cases[] = {
		{HCV_GOOD, 1, 0, 1},	{HCV_HOLD, 0, 1, 1}, {HCV_REVOKED, 0, 0, 0},
		{HCV_EXPIRED, 0, 0, 0}, {HCV__MAX, 0, 0, 0}, {(enum holder_cert_view) - 1, 0, 0, 0},
	};
	for (size_t i = 0; i < N(cases); i++) {
		int want[HCA__MAX] = {cases[i].hold, cases[i].release, cases[i].revoke};
		for (int a = 0; a < HCA__MAX; a++)
			if (holder_cert_view_allows(cases[i].v, (enum holder_cert_action)a) !=
			    want[a])
				fail_msg("case %zu: view %d action %s", i, (int)cases[i].v,
					 holder_cert_action_name((enum holder_cert_action)a));
		assert_false(holder_cert_view_allows(cases[i].v, HCA__MAX));
		assert_false(holder_cert_view_allows(cases[i].v, (enum holder_cert_action) - 1));
	}
}

/* The same rule from the stored status and notAfter. */
static void test_action_allowed(void **state)
{
	(void)state;
	static const struct {
		enum cert_status st;
		int64_t not_after;
		enum holder_cert_action a;
		int allowed;
	} cases[] = {
		{CERT_GOOD, LATER, HCA_HOLD, 1},
		{CERT_GOOD, LATER, HCA_RELEASE, 0},
		{CERT_GOOD, LATER, HCA_REVOKE, 1},
		{CERT_HOLD, LATER, HCA_HOLD, 0},
		{CERT_HOLD, LATER, HCA_RELEASE, 1},
		{CERT_HOLD, LATER, HCA_REVOKE, 1},
		{CERT_REVOKED, LATER, HCA_HOLD, 0},
		{CERT_REVOKED, LATER, HCA_RELEASE, 0},
		{CERT_REVOKED, LATER, HCA_REVOKE, 0},
		{CERT_GOOD, NOW, HCA_HOLD, 0}, /* expired this second */
		{CERT_GOOD, NOW, HCA_REVOKE, 0},
		{CERT_GOOD, NOW + 1, HCA_HOLD, 1},
		{CERT_HOLD, EARLIER, HCA_RELEASE, 0}, /* a held one that expired */
		{CERT_HOLD, EARLIER, HCA_REVOKE, 0},
		{CERT_GOOD, LATER, HCA__MAX, 0},
		{CERT_STATUS__MAX, LATER, HCA_HOLD, 0},
		{CERT_STATUS__MAX, LATER, HCA_REVOKE, 0},
	};
	for (size_t i = 0; i < N(cases); i++)
		if (holder_cert_action_allowed(cases[i].st, cases[i].a, cases[i].not_after, NOW) !=
		    cases[i].allowed)
			fail_msg("case %zu: %s from %s", i, holder_cert_action_name(cases[i].a),
				 cert_status_name(cases[i].st));
}

/* The audit action and the status each action leaves (also the audit
 * record's after state). */
static void test_actions(void **state)
{
	(void)state;
	static const struct {
		enum holder_cert_action a;
		const char *name;
		enum cert_status after;
	} cases[] = {
		{HCA_HOLD, "hold", CERT_HOLD},
		{HCA_RELEASE, "release", CERT_GOOD},
		{HCA_REVOKE, "revoke", CERT_REVOKED},
		{HCA__MAX, "?", CERT_STATUS__MAX},
		{(enum holder_cert_action) - 1, "?", CERT_STATUS__MAX},
	};
	for (size_t i = 0; i < N(cases); i++) {
		assert_string_equal(holder_cert_action_name(cases[i].a), cases[i].name);
		assert_int_equal(holder_cert_action_result(cases[i].a), cases[i].after);
	}
	/* An allowed action always changes the status it starts from. */
	for (int st = 0; st < CERT_STATUS__MAX; st++)
		for (int a = 0; a < HCA__MAX; a++)
			if (holder_cert_action_allowed((enum cert_status)st,
						       (enum holder_cert_action)a, LATER, NOW))
				assert_int_not_equal(
					holder_cert_action_result((enum holder_cert_action)a), st);
}

static void test_revoke_reasons(void **state)
{
	(void)state;
	static const struct {
		enum holder_revoke_reason r;
		const char *code, *label;
		int crl;
	} cases[] = {
		{HRR_ANAHTAR, "ANAHTAR", "Anahtar ele geçirildi", 1},
		{HRR_KAYIP_CALINTI, "KAYIP_CALINTI", "Kayıp/Çalıntı", 1},
		{HRR_BILGI_DEGISTI, "BILGI_DEGISTI", "Bilgiler değişti", 3},
		{HRR_KULLANIM_SONA_ERDI, "KULLANIM_SONA_ERDI", "Kullanım sona erdi", 5},
	};
	assert_int_equal(N(cases), HRR__MAX);
	for (size_t i = 0; i < N(cases); i++) {
		assert_string_equal(holder_revoke_reason_code(cases[i].r), cases[i].code);
		assert_string_equal(holder_revoke_reason_label(cases[i].r), cases[i].label);
		assert_int_equal(holder_revoke_reason_parse(cases[i].code), cases[i].r);
		assert_int_equal(holder_revoke_reason_crl(cases[i].r), cases[i].crl);
	}
	static const enum holder_revoke_reason out[] = {HRR__MAX, (enum holder_revoke_reason) - 1};
	for (size_t i = 0; i < N(out); i++) {
		assert_string_equal(holder_revoke_reason_code(out[i]), "?");
		assert_string_equal(holder_revoke_reason_label(out[i]), "?");
		assert_int_equal(holder_revoke_reason_crl(out[i]), -1);
	}
	static const char *const bad[] = {NULL,	      "",  "YOK",	   "anahtar",
					  "ANAHTAR ", "?", "Kayıp/Çalıntı"};
	for (size_t i = 0; i < N(bad); i++)
		if (holder_revoke_reason_parse(bad[i]) != -1)
			fail_msg("case %zu: %s parsed", i, bad[i] ? bad[i] : "(null)");
}

static void test_reason_labels(void **state)
{
	(void)state;
	static const struct {
		int reason;
		const char *label;
	} cases[] = {
		{1, "Anahtar ele geçirildi / Kayıp-Çalıntı"},
		{3, "Bilgiler değişti"},
		{4, "Yerine yenisi verildi"},
		{5, "Kullanım sona erdi"},
		{6, "Askıya alındı"},
		{9, "Yetki geri alındı"},
		{0, "Belirtilmedi"},
		{8, "Belirtilmedi"},
		{-1, "Belirtilmedi"},
		{99, "Belirtilmedi"},
	};
	for (size_t i = 0; i < N(cases); i++)
		assert_string_equal(cert_reason_label_tr(cases[i].reason), cases[i].label);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_names),   cmocka_unit_test(test_view_of),
		cmocka_unit_test(test_view_names),     cmocka_unit_test(test_view_allows),
		cmocka_unit_test(test_action_allowed), cmocka_unit_test(test_actions),
		cmocka_unit_test(test_revoke_reasons), cmocka_unit_test(test_reason_labels),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
