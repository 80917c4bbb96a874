/* Expiry reminders: 90 and 25 days before the end, once each, only for a
 * valid certificate whose holder has not renewed yet. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "notify/outbox.h"
#include "notify/reminders.h"
#include "helpers.h"

#define DAY 86400
#define T0 1800000000 /* 2027-01-15 */

struct env {
	char *dir;
	db *d;
};

static void exec_ok(db *d, const char *sql)
{
	assert_int_equal(db_exec(d, sql), 0);
}

static void add_cert(db *d, const char *serial, const char *tckn, int64_t nb, int64_t na,
		     const char *status)
{
	db_stmt *st = db_prepare(d, "INSERT INTO certificates (serial_hex, tckn, application_id, "
				    "subject, not_before, not_after, der, status, created_at) "
				    "VALUES ($1, $2, 0, 'CN=x', $3, $4, X'00', $5, $3)");
	assert_non_null(st);
	db_bind_text(st, 1, serial);
	db_bind_text(st, 2, tckn);
	db_bind_int64(st, 3, nb);
	db_bind_int64(st, 4, na);
	db_bind_text(st, 5, status);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
}

static void add_application(db *d, const char *tckn, const char *mobile)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "INSERT INTO applications (number, tckn, ad, soyad, dogum_yeri, dogum_tarihi, "
		 "sicil_no, kurum_kodu, kurum_adi, yetki_birimi, reason, years, "
		 "security_word_hash, birim, unvan, adres, posta_kodu, il, ilce, eposta, is_tel, "
		 "cep_tel, operator, bilgi_kanali, state, created_at, updated_at) VALUES "
		 "('2026-%s', '%s', 'Gülşen', 'Işık', 'Bartın', '1982-07-19', '1', 'k', 'Okul', "
		 "'BARTIN-MEM', 'ILK', 3, 'h', 'b', 'u', 'a', '74100', 74, 'Merkez', "
		 "'gulsen@example.org', '3782271010', '%s', 'TURKCELL', 'SMS', 'DELIVERED', 0, 0)",
		 tckn, tckn, mobile);
	exec_ok(d, sql);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	e->dir = th_tmpdir();
	e->d = th_open_db(e->dir, "reminders");
	add_application(e->d, "10000000146", "5321112233");
	add_application(e->d, "17291716060", "5324445566");
	/* Ends in 80 days. */
	add_cert(e->d, "AA01", "10000000146", T0 - 300 * DAY, T0 + 80 * DAY, "good");
	/* Ends in 80 days, but already renewed. */
	add_cert(e->d, "BB01", "17291716060", T0 - 300 * DAY, T0 + 80 * DAY, "good");
	add_cert(e->d, "BB02", "17291716060", T0 + 80 * DAY, T0 + 445 * DAY, "good");
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	db_close(e->d);
	th_rmtree(e->dir);
	free(e->dir);
	free(e);
	return 0;
}

static int64_t count(db *d, const char *like)
{
	return db_query_int64(d, -1,
			      "SELECT COUNT(*) FROM outbox WHERE channel = 'email' AND "
			      "subject LIKE $1",
			      like, NULL);
}

static void test_ninety_then_twenty_five(void **state)
{
	struct env *e = *state;
	/* 100 days before the end: nothing yet. */
	assert_int_equal(reminders_run(e->d, T0 - 20 * DAY), 0);
	/* 80 days before: the 3-month reminder, e-mail and SMS, once. */
	assert_int_equal(reminders_run(e->d, T0), 1);
	assert_int_equal(th_count(e->d, NULL), 2);
	assert_int_equal(count(e->d, "%3 ay%"), 1);
	assert_int_equal(reminders_run(e->d, T0 + DAY), 0);
	/* 20 days before: the 25-day reminder. */
	assert_int_equal(reminders_run(e->d, T0 + 60 * DAY), 1);
	assert_int_equal(th_count(e->d, NULL), 4);
	assert_int_equal(db_query_int64(e->d, -1,
					"SELECT COUNT(*) FROM outbox WHERE channel = "
					"'sms' AND recipient = '+905321112233'",
					NULL),
			 2);
	assert_int_equal(reminders_run(e->d, T0 + 61 * DAY), 0);
	/* The renewed holder is never reminded. */
	assert_int_equal(db_query_int64(e->d, -1,
					"SELECT COUNT(*) FROM outbox WHERE recipient = "
					"'+905324445566'",
					NULL),
			 0);
}

static void test_late_start_sends_only_the_nearer_reminder(void **state)
{
	struct env *e = *state;
	assert_int_equal(reminders_run(e->d, T0 + 70 * DAY), 1);
	assert_int_equal(db_query_int64(e->d, -1, "SELECT COUNT(*) FROM reminders_sent", NULL), 1);
	assert_int_equal(db_query_int64(e->d, -1,
					"SELECT COUNT(*) FROM reminders_sent WHERE "
					"kind = 'd25'",
					NULL),
			 1);
	assert_int_equal(reminders_run(e->d, T0 + 71 * DAY), 0);
}

static void test_revoked_or_expired_not_reminded(void **state)
{
	struct env *e = *state;
	exec_ok(e->d, "UPDATE certificates SET status = 'revoked' WHERE serial_hex = 'AA01'");
	assert_int_equal(reminders_run(e->d, T0), 0);
	exec_ok(e->d, "UPDATE certificates SET status = 'good' WHERE serial_hex = 'AA01'");
	assert_int_equal(reminders_run(e->d, T0 + 81 * DAY), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ninety_then_twenty_five, setup, teardown),
		cmocka_unit_test_setup_teardown(test_late_start_sends_only_the_nearer_reminder,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoked_or_expired_not_reminded, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
