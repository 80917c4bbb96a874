/* Table-driven tests of domain/progress.h: the status page's text per
 * state, and that an approved application never asks the applicant to
 * contact their authority again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/progress.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	enum app_state st;
	unsigned flags;
	enum progress_step step;
	const char *name, *heading;
	int restart;
} cases[] = {
	{APP_FORM_CONFIRMED, 0, PROGRESS_SMS, "sms", "Cep telefonu doğrulaması bekleniyor", 0},
	{APP_SMS_VERIFIED, 0, PROGRESS_SIGNING_METHOD, "signing_method", "İmza yöntemi seçilmedi",
	 0},
	{APP_SIGNING, 0, PROGRESS_SIGNING, "signing", "E-onay imzası bekleniyor", 0},
	{APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL, PROGRESS_AUTHORITY, "authority",
	 "Kurum onayı bekleniyor", 0},
	{APP_AWAITING_APPROVAL, APP_NEEDS_APPROVAL | APP_NEEDS_PAPERWORK | APP_NEEDS_PAYMENT,
	 PROGRESS_AUTHORITY, "authority", "Kurum onayı bekleniyor", 0},
	{APP_AWAITING_APPROVAL, APP_NEEDS_PAPERWORK, PROGRESS_AFTER_APPROVAL, "after_approval",
	 "Kurum onayı alındı", 0},
	{APP_AWAITING_APPROVAL, APP_NEEDS_PAYMENT, PROGRESS_AFTER_APPROVAL, "after_approval",
	 "Kurum onayı alındı", 0},
	{APP_APPROVED, 0, PROGRESS_APPROVED, "approved", "Başvurunuz onaylandı", 0},
	{APP_PRODUCED, 0, PROGRESS_PRODUCED, "produced", "Sertifikanız üretildi", 0},
	{APP_SHIPPED, 0, PROGRESS_SHIPPED, "shipped", "Kartınız kargoda", 0},
	{APP_DELIVERED, 0, PROGRESS_DELIVERED, "delivered", "Teslim edildi", 0},
	{APP_REJECTED, 0, PROGRESS_REJECTED, "rejected", "Başvurunuz reddedildi", 1},
	{APP_CANCELLED, 0, PROGRESS_CANCELLED, "cancelled", "Başvurunuz iptal edildi", 1},
};

static void test_progress_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		enum progress_step s = progress_of(cases[i].st, cases[i].flags);
		if (s != cases[i].step)
			fail_msg("%s/%u: step %d", app_state_name(cases[i].st), cases[i].flags,
				 (int)s);
		const struct progress_text *t = progress_text(s);
		assert_non_null(t);
		assert_string_equal(progress_name(s), cases[i].name);
		assert_string_equal(t->heading, cases[i].heading);
		assert_int_equal(t->restart, cases[i].restart);
		assert_true(strlen(t->text) > 20);
	}
}

/* Every state has a step, every step a text; only the steps from
 * AWAITING_APPROVAL with the authority's decision pending speak of
 * contacting the authority. */
static void test_progress_every_state(void **state)
{
	(void)state;
	for (int st = 0; st < APP_STATE__MAX; st++) {
		for (unsigned f = 0; f <= APP_FLAGS_ALL; f++) {
			enum progress_step s = progress_of((enum app_state)st, f);
			assert_true(s < PROGRESS__MAX);
			const struct progress_text *t = progress_text(s);
			int asks = strstr(t->text, "irtibata") != NULL ||
				   strstr(t->heading, "onayı bekleniyor") != NULL;
			int pending = st == APP_AWAITING_APPROVAL && (f & APP_NEEDS_APPROVAL);
			if (asks != pending)
				fail_msg("%s/%u: asks %d", app_state_name((enum app_state)st), f,
					 asks);
		}
	}
	assert_int_equal(progress_of(APP_STATE__MAX, 0), PROGRESS__MAX);
	assert_null(progress_text(PROGRESS__MAX));
	assert_string_equal(progress_name(PROGRESS__MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_progress_table),
		cmocka_unit_test(test_progress_every_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
