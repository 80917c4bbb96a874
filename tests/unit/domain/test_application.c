/* Tests of domain/application.h: every (state, event) pair, flags, names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/application.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The allowed moves that do not depend on flags (flags in = 0), with
 * reason DIGER and no fee. Every other (state, event) pair with flags 0,
 * except those of AWAITING_APPROVAL, must be refused. */
static const struct {
	enum app_state from;
	enum app_event ev;
	enum app_state to;
	unsigned to_flags;
} allowed[] = {
	{APP_FORM_CONFIRMED, EV_SMS_VERIFIED, APP_SMS_VERIFIED, 0},
	{APP_SMS_VERIFIED, EV_SIGNING_STARTED, APP_SIGNING, 0},
	{APP_SMS_VERIFIED, EV_SIGNING_CHOSEN_WET, APP_AWAITING_APPROVAL, 3},
	{APP_SMS_VERIFIED, EV_SIGNING_CHOSEN_EAPPROVAL, APP_AWAITING_APPROVAL, 1},
	{APP_SIGNING, EV_SIGNING_CHOSEN_WET, APP_AWAITING_APPROVAL, 3},
	{APP_SIGNING, EV_SIGNING_CHOSEN_EAPPROVAL, APP_AWAITING_APPROVAL, 1},
	{APP_APPROVED, EV_PRODUCED, APP_PRODUCED, 0},
	{APP_PRODUCED, EV_SHIPPED, APP_SHIPPED, 0},
	{APP_SHIPPED, EV_DELIVERED, APP_DELIVERED, 0},
	{APP_FORM_CONFIRMED, EV_REJECTED, APP_REJECTED, 0},
	{APP_SMS_VERIFIED, EV_REJECTED, APP_REJECTED, 0},
	{APP_SIGNING, EV_REJECTED, APP_REJECTED, 0},
	{APP_APPROVED, EV_REJECTED, APP_REJECTED, 0},
	{APP_FORM_CONFIRMED, EV_CANCELLED, APP_CANCELLED, 0},
	{APP_SMS_VERIFIED, EV_CANCELLED, APP_CANCELLED, 0},
	{APP_SIGNING, EV_CANCELLED, APP_CANCELLED, 0},
	{APP_APPROVED, EV_CANCELLED, APP_CANCELLED, 0},
};

static int find_allowed(enum app_state s, enum app_event ev)
{
	size_t k;

	for (k = 0; k < N(allowed); k++) {
		if (allowed[k].from == s && allowed[k].ev == ev)
			return (int)k;
	}
	return -1;
}

static void test_every_pair_without_flags(void **state)
{
	enum app_state to;
	unsigned to_flags;
	int s, ev, k, rc;

	(void)state;
	for (s = 0; s < APP_STATE__MAX; s++) {
		if (s == APP_AWAITING_APPROVAL)
			continue;
		for (ev = 0; ev < EV__MAX; ev++) {
			to = APP_STATE__MAX;
			to_flags = 99;
			rc = app_transition((enum app_state)s, 0, (enum app_event)ev, REASON_DIGER,
					    0, &to, &to_flags);
			k = find_allowed((enum app_state)s, (enum app_event)ev);
			if (k < 0) {
				if (rc != -1 || to != APP_STATE__MAX || to_flags != 99)
					fail_msg("%s + %s allowed",
						 app_state_name((enum app_state)s),
						 app_event_name((enum app_event)ev));
				continue;
			}
			if (rc != 0 || to != allowed[k].to || to_flags != allowed[k].to_flags)
				fail_msg("%s + %s -> %d (%s, %u)",
					 app_state_name((enum app_state)s),
					 app_event_name((enum app_event)ev), rc, app_state_name(to),
					 to_flags);
		}
	}
}

/* AWAITING_APPROVAL with each non-empty flag set and each event. */
static void test_every_pair_awaiting(void **state)
{
	static const struct {
		enum app_event ev;
		unsigned clears;
	} clearing[] = {
		{EV_AUTHORITY_APPROVED, APP_NEEDS_APPROVAL},
		{EV_PAPERWORK_RECEIVED, APP_NEEDS_PAPERWORK},
		{EV_PAYMENT_RECEIVED, APP_NEEDS_PAYMENT},
	};
	enum app_state to, want;
	unsigned f, to_flags, clears;
	int ev, rc;
	size_t k;

	(void)state;
	for (f = 1; f <= 7; f++) {
		for (ev = 0; ev < EV__MAX; ev++) {
			to = APP_STATE__MAX;
			to_flags = 99;
			rc = app_transition(APP_AWAITING_APPROVAL, f, (enum app_event)ev,
					    REASON_DIGER, 0, &to, &to_flags);
			if (ev == EV_REJECTED || ev == EV_CANCELLED) {
				assert_int_equal(rc, 0);
				assert_int_equal(to,
						 ev == EV_REJECTED ? APP_REJECTED : APP_CANCELLED);
				assert_int_equal(to_flags, 0);
				continue;
			}
			clears = 0;
			for (k = 0; k < N(clearing); k++) {
				if (clearing[k].ev == (enum app_event)ev)
					clears = clearing[k].clears;
			}
			if (clears == 0 || (f & clears) == 0) {
				if (rc != -1)
					fail_msg("flags %u + %s allowed", f,
						 app_event_name((enum app_event)ev));
				continue;
			}
			want = (f & ~clears) == 0 ? APP_APPROVED : APP_AWAITING_APPROVAL;
			assert_int_equal(rc, 0);
			assert_int_equal(to, want);
			assert_int_equal(to_flags, f & ~clears);
		}
	}
}

static void test_signing_flags(void **state)
{
	const struct {
		enum app_state from;
		enum app_event ev;
		enum app_reason reason;
		int fee_due, rc;
		unsigned flags;
	} cases[] = {
		{APP_SMS_VERIFIED, EV_SIGNING_CHOSEN_WET, REASON_ILK, 0, 0, 3},
		{APP_SMS_VERIFIED, EV_SIGNING_CHOSEN_EAPPROVAL, REASON_ILK, 0, -1, 0},
		{APP_SIGNING, EV_SIGNING_CHOSEN_EAPPROVAL, REASON_ILK, 0, -1, 0},
		{APP_SMS_VERIFIED, EV_SIGNING_CHOSEN_WET, REASON_KAYIP_CALINTI, 1, 0, 7},
		{APP_SMS_VERIFIED, EV_SIGNING_CHOSEN_EAPPROVAL, REASON_KAYIP_CALINTI, 1, 0, 5},
		{APP_SIGNING, EV_SIGNING_CHOSEN_EAPPROVAL, REASON_KAYIP_CALINTI, 0, 0, 1},
		{APP_SIGNING, EV_SIGNING_CHOSEN_EAPPROVAL, REASON_YENILEME, 0, 0, 1},
		{APP_SIGNING, EV_SIGNING_CHOSEN_WET, REASON_YENILEME, 0, 0, 3},
		{APP_SMS_VERIFIED, EV_SIGNING_CHOSEN_WET, REASON_DIGER, 1, 0, 7},
	};
	enum app_state to;
	unsigned to_flags;
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		to_flags = 99;
		assert_int_equal(app_transition(cases[i].from, 0, cases[i].ev, cases[i].reason,
						cases[i].fee_due, &to, &to_flags),
				 cases[i].rc);
		if (cases[i].rc == 0) {
			assert_int_equal(to, APP_AWAITING_APPROVAL);
			assert_int_equal(to_flags, cases[i].flags);
		}
	}
}

static void test_bad_inputs(void **state)
{
	enum app_state to;
	unsigned tf;

	(void)state;
	assert_int_equal(app_transition(APP_AWAITING_APPROVAL, 8, EV_AUTHORITY_APPROVED, REASON_ILK,
					0, &to, &tf),
			 -1);
	assert_int_equal(app_transition(APP_AWAITING_APPROVAL, 9, EV_AUTHORITY_APPROVED, REASON_ILK,
					0, &to, &tf),
			 -1);
	assert_int_equal(app_transition(APP_SMS_VERIFIED, 1, EV_SIGNING_STARTED, REASON_ILK, 0, &to,
					&tf),
			 -1);
	assert_int_equal(app_transition(APP_STATE__MAX, 0, EV_CANCELLED, REASON_ILK, 0, &to, &tf),
			 -1);
	assert_int_equal(
		app_transition((enum app_state) - 1, 0, EV_CANCELLED, REASON_ILK, 0, &to, &tf), -1);
	assert_int_equal(app_transition(APP_FORM_CONFIRMED, 0, EV__MAX, REASON_ILK, 0, &to, &tf),
			 -1);
	assert_int_equal(app_transition(APP_FORM_CONFIRMED, 0, EV_SMS_VERIFIED, REASON__MAX, 0, &to,
					&tf),
			 -1);
	/* AWAITING_APPROVAL with no flag left: nothing to clear */
	assert_int_equal(app_transition(APP_AWAITING_APPROVAL, 0, EV_AUTHORITY_APPROVED, REASON_ILK,
					0, &to, &tf),
			 -1);
}

/* The whole wet-signed lost/stolen path, clearing flags in another order. */
static void test_full_path(void **state)
{
	static const enum app_event path[] = {
		EV_SMS_VERIFIED,       EV_SIGNING_STARTED,
		EV_SIGNING_CHOSEN_WET, EV_PAYMENT_RECEIVED,
		EV_PAPERWORK_RECEIVED, EV_AUTHORITY_APPROVED,
		EV_PRODUCED,	       EV_SHIPPED,
		EV_DELIVERED,
	};
	static const enum app_state states[] = {
		APP_SMS_VERIFIED,      APP_SIGNING,	      APP_AWAITING_APPROVAL,
		APP_AWAITING_APPROVAL, APP_AWAITING_APPROVAL, APP_APPROVED,
		APP_PRODUCED,	       APP_SHIPPED,	      APP_DELIVERED,
	};
	static const unsigned flags[] = {0, 0, 7, 3, 1, 0, 0, 0, 0};
	enum app_state s = APP_FORM_CONFIRMED;
	unsigned f = 0;
	size_t i;

	(void)state;
	for (i = 0; i < N(path); i++) {
		assert_int_equal(app_transition(s, f, path[i], REASON_KAYIP_CALINTI, 1, &s, &f), 0);
		assert_int_equal(s, states[i]);
		assert_int_equal(f, flags[i]);
	}
	assert_int_equal(app_state_is_terminal(s), 1);
}

static void test_open_terminal(void **state)
{
	static const int open[APP_STATE__MAX] = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
	static const int term[APP_STATE__MAX] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
	int s;

	(void)state;
	for (s = 0; s < APP_STATE__MAX; s++) {
		assert_int_equal(app_state_is_open((enum app_state)s), open[s]);
		assert_int_equal(app_state_is_terminal((enum app_state)s), term[s]);
	}
	assert_int_equal(app_state_is_open(APP_STATE__MAX), 0);
}

static void test_names(void **state)
{
	static const char *const labels[APP_STATE__MAX] = {
		"Form onaylandı",
		"SMS doğrulandı",
		"İmza yöntemi bekleniyor",
		"Kurum onayı bekleniyor",
		"Onaylandı, üretim bekleniyor",
		"Üretildi",
		"Kargoya verildi",
		"Teslim edildi",
		"Reddedildi",
		"İptal edildi",
	};
	static const char *const reasons[REASON__MAX] = {"ILK", "YENILEME", "KAYIP_CALINTI",
							 "DIGER"};
	static const char *const rlabels[REASON__MAX] = {"İlk Başvuru", "Yenileme", "Kayıp/Çalıntı",
							 "Diğer"};
	int i;

	(void)state;
	for (i = 0; i < APP_STATE__MAX; i++) {
		assert_int_equal(app_state_parse(app_state_name((enum app_state)i)), i);
		assert_string_equal(app_state_label_tr((enum app_state)i), labels[i]);
	}
	for (i = 0; i < EV__MAX; i++)
		assert_int_equal(app_event_parse(app_event_name((enum app_event)i)), i);
	for (i = 0; i < REASON__MAX; i++) {
		assert_string_equal(app_reason_name((enum app_reason)i), reasons[i]);
		assert_int_equal(app_reason_parse(reasons[i]), i);
		assert_string_equal(app_reason_label_tr((enum app_reason)i), rlabels[i]);
	}
	assert_string_equal(app_state_name(APP_AWAITING_APPROVAL), "AWAITING_APPROVAL");
	assert_string_equal(app_event_name(EV_SIGNING_CHOSEN_WET), "SIGNING_CHOSEN_WET");
	assert_int_equal(app_state_parse("approved"), -1);
	assert_int_equal(app_state_parse(""), -1);
	assert_int_equal(app_state_parse(NULL), -1);
	assert_int_equal(app_reason_parse("ilk"), -1);
	assert_int_equal(app_event_parse("NOPE"), -1);
	assert_string_equal(app_state_name(APP_STATE__MAX), "?");
	assert_string_equal(app_reason_label_tr(REASON__MAX), "?");
	assert_string_equal(app_flag_label_tr(APP_NEEDS_PAPERWORK),
			    "Islak imzalı evrak bekleniyor");
	assert_null(app_flag_label_tr((enum app_flag)3));
}

static void test_number_format(void **state)
{
	const struct {
		int year;
		int64_t seq;
		int rc;
		const char *out;
	} cases[] = {
		{2026, 123, 0, "2026-000123"},
		{2026, 1, 0, "2026-000001"},
		{2026, 999999, 0, "2026-999999"},
		{2026, 1234567, 0, "2026-1234567"},
		{2026, INT64_C(999999999999), 0, "2026-999999999999"},
		{2026, INT64_C(1000000000000), -1, ""},
		{2026, 0, -1, ""},
		{2026, -5, -1, ""},
		{0, 5, -1, ""},
		{10000, 5, -1, ""},
		{999, 5, 0, "0999-000005"},
	};
	char out[24];
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		assert_int_equal(app_number_format(cases[i].year, cases[i].seq, out), cases[i].rc);
		assert_string_equal(out, cases[i].out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair_without_flags),
		cmocka_unit_test(test_every_pair_awaiting),
		cmocka_unit_test(test_signing_flags),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_full_path),
		cmocka_unit_test(test_open_terminal),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_number_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
