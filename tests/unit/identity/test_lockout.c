/* Lockouts in the database: counts, window, expiry (moving the clock),
 * hashed T.C. numbers, and survival across reopening the database file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "identity/lockout.h"
#include "tmpdb.h"
#include "util/clock.h"

#define MAXF 3
#define WINDOW 3600
#define LOCK 900

static int setup(void **state)
{
	static struct tmpdb t;
	clock_set_offset(0);
	if (tmpdb_create(&t) != 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	tmpdb_destroy(*state);
	clock_set_offset(0);
	return 0;
}

static int fail_at(db *d, const char *scope, const char *key, int64_t now)
{
	return lockout_fail(d, scope, key, MAXF, WINDOW, LOCK, now);
}

static void test_counts_then_locks(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	int64_t now = clock_now();

	assert_int_equal(lockout_until(d, "ip", "192.0.2.1", now), 0);
	assert_int_equal(fail_at(d, "ip", "192.0.2.1", now), 0);
	assert_int_equal(fail_at(d, "ip", "192.0.2.1", now + 1), 0);
	assert_int_equal(lockout_until(d, "ip", "192.0.2.1", now + 1), 0);
	assert_int_equal(fail_at(d, "ip", "192.0.2.1", now + 2), 1);
	assert_int_equal(lockout_until(d, "ip", "192.0.2.1", now + 2), now + 2 + LOCK);
	/* other keys and other scopes are not affected */
	assert_int_equal(lockout_until(d, "ip", "192.0.2.2", now + 2), 0);
	assert_int_equal(lockout_until(d, "tckn", "192.0.2.1", now + 2), 0);
}

static void test_expiry_with_clock(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	int64_t now = clock_now();

	for (int i = 0; i < MAXF; i++)
		fail_at(d, "tckn", "10000000146", clock_now());
	assert_int_equal(lockout_until(d, "tckn", "10000000146", clock_now()), now + LOCK);
	clock_set_offset(LOCK - 1);
	assert_int_equal(lockout_until(d, "tckn", "10000000146", clock_now()), now + LOCK);
	clock_set_offset(LOCK);
	assert_int_equal(lockout_until(d, "tckn", "10000000146", clock_now()), 0);
	/* after the lock the count starts again: MAXF - 1 failures do not lock */
	for (int i = 0; i < MAXF - 1; i++)
		assert_int_equal(fail_at(d, "tckn", "10000000146", clock_now()), 0);
	assert_int_equal(lockout_until(d, "tckn", "10000000146", clock_now()), 0);
	assert_int_equal(fail_at(d, "tckn", "10000000146", clock_now()), 1);
}

static void test_window(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	int64_t now = clock_now();

	assert_int_equal(fail_at(d, "ip", "198.51.100.7", now), 0);
	assert_int_equal(fail_at(d, "ip", "198.51.100.7", now + 10), 0);
	/* the window (from the first failure) is over: counting starts again */
	assert_int_equal(fail_at(d, "ip", "198.51.100.7", now + WINDOW), 0);
	assert_int_equal(fail_at(d, "ip", "198.51.100.7", now + WINDOW + 1), 0);
	assert_int_equal(lockout_until(d, "ip", "198.51.100.7", now + WINDOW + 1), 0);
	assert_int_equal(fail_at(d, "ip", "198.51.100.7", now + WINDOW + 2), 1);
	assert_int_equal(lockout_until(d, "ip", "198.51.100.7", now + WINDOW + 2),
			 now + WINDOW + 2 + LOCK);
}

static void test_clear(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	int64_t now = clock_now();

	fail_at(d, "tckn", "12345678950", now);
	fail_at(d, "tckn", "12345678950", now);
	lockout_clear(d, "tckn", "12345678950");
	assert_int_equal(fail_at(d, "tckn", "12345678950", now), 0);
	assert_int_equal(fail_at(d, "tckn", "12345678950", now), 0);
	assert_int_equal(fail_at(d, "tckn", "12345678950", now), 1);
	lockout_clear(d, "tckn", "12345678950");
	assert_int_equal(lockout_until(d, "tckn", "12345678950", now), 0);
}

static void test_max_one(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	int64_t now = clock_now();

	assert_int_equal(lockout_fail(d, "staff", "admin", 1, WINDOW, 60, now), 1);
	assert_int_equal(lockout_until(d, "staff", "admin", now), now + 60);
	assert_int_equal(lockout_until(d, "staff", "admin", now + 60), 0);
}

/* The table holds the IP as given and the T.C. number only as a hash. */
static void test_stored_keys(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	int64_t now = clock_now();

	fail_at(d, "tckn", "23456789138", now);
	fail_at(d, "ip", "203.0.113.9", now);
	assert_int_equal(db_query_int64(d, -1,
					"SELECT count(*) FROM login_failures WHERE "
					"key = $1",
					"23456789138", NULL),
			 0);
	assert_int_equal(db_query_int64(d, -1,
					"SELECT count(*) FROM login_failures WHERE "
					"scope = 'tckn' AND length(key) = 64",
					NULL),
			 1);
	assert_int_equal(db_query_int64(d, -1,
					"SELECT count FROM login_failures "
					"WHERE scope = 'ip' AND key = $1",
					"203.0.113.9", NULL),
			 1);
	lockout_clear(d, "tckn", "23456789138");
	assert_int_equal(db_query_int64(d, -1,
					"SELECT count(*) FROM login_failures WHERE "
					"scope = 'tckn'",
					NULL),
			 0);
}

static void test_hostile_keys(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	int64_t now = clock_now();
	char longkey[600];

	memset(longkey, 'a', sizeof longkey - 1);
	longkey[sizeof longkey - 1] = '\0';
	const char *const keys[] = {"' OR 1=1 --", "a\nb\x01", longkey};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		for (int j = 0; j < MAXF - 1; j++)
			assert_int_equal(fail_at(d, "ip", keys[i], now), 0);
		assert_int_equal(fail_at(d, "ip", keys[i], now), 1);
		assert_int_equal(lockout_until(d, "ip", keys[i], now), now + LOCK);
	}
	assert_int_equal(lockout_until(d, "ip", "' OR 1=2 --", now), 0);
	assert_int_equal(db_query_int64(d, -1, "SELECT max(length(key)) FROM login_failures", NULL),
			 64);
	assert_int_equal(lockout_until(d, NULL, "x", now), 0);
	assert_int_equal(lockout_fail(d, "ip", NULL, MAXF, WINDOW, LOCK, now), -1);
}

static void test_survives_reopen(void **state)
{
	struct tmpdb *t = *state;
	int64_t now = clock_now();

	for (int i = 0; i < MAXF; i++)
		fail_at(t->d, "tckn", "34567891238", now);
	fail_at(t->d, "ip", "192.0.2.50", now);
	db_close(t->d);
	t->d = NULL;
	assert_int_equal(tmpdb_open(t), 0);
	assert_int_equal(lockout_until(t->d, "tckn", "34567891238", now + 1), now + LOCK);
	/* the count in the window survived too */
	assert_int_equal(fail_at(t->d, "ip", "192.0.2.50", now + 1), 0);
	assert_int_equal(fail_at(t->d, "ip", "192.0.2.50", now + 2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_then_locks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiry_with_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_max_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stored_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_survives_reopen, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
