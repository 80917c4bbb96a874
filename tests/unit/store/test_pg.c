/* db.h over PostgreSQL against a real server: EIMZA_TEST_PG_URL names one
 * (a server URL without a database, as scripts/pg-cluster.sh prints); each
 * run makes its own database and drops it. Without the variable the test is
 * skipped (exit 77); tests/integration/test_pg_store.py runs it in the
 * PostgreSQL pass of the integration suite.
 *
 * What only a server can show: BYTEA round trips, constraint and deadlock
 * classification (a deadlock marks the handle retryable), the statement
 * timeout, db_lock() excluding another connection, prepared statements
 * kept per connection, and db_thread() replacing a connection the server
 * ended. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

static char server_url[512];
static char test_url[600];
static char db_name[64];

static db *open_or_die(const char *url)
{
	char err[256];
	db *d = db_open(url, err, sizeof err);
	if (d == NULL) {
		fprintf(stderr, "test_pg: %s\n", err);
		abort();
	}
	return d;
}

static int make_database(void)
{
	char sql[128];
	char url[600];
	snprintf(url, sizeof url, "%s/postgres", server_url);
	db *admin = open_or_die(url);
	snprintf(db_name, sizeof db_name, "unit_%ld", (long)getpid());
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db_name);
	int rc = db_exec(admin, sql);
	db_close(admin);
	snprintf(test_url, sizeof test_url, "%s/%s", server_url, db_name);
	return rc == DB_OK ? 0 : -1;
}

static void drop_database(void)
{
	char sql[128];
	char url[600];
	snprintf(url, sizeof url, "%s/postgres", server_url);
	db *admin = open_or_die(url);
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db_name);
	db_exec(admin, sql);
	db_close(admin);
}

static void test_migrate_and_bytea(void **state)
{
	static const unsigned char der[] = {0x30, 0x00, 0x00, 0xff, 0x5c, 0x27, 0x00, 0x01};
	(void)state;
	db *d = open_or_die(test_url);
	assert_string_equal(db_backend(d), "postgresql");
	assert_int_equal(db_migrate(d), 0);
	assert_int_equal(db_migrate(d), 0); /* again: nothing to do */
	db_stmt *s = db_prepare(d, "INSERT INTO crl_state (ca, number, this_update, next_update, "
				   "der) VALUES ($1, $2, $3, $4, $5)");
	db_bind_text(s, 1, "issuing");
	db_bind_int64(s, 2, 7);
	db_bind_int64(s, 3, 100);
	db_bind_int64(s, 4, 200);
	db_bind_blob(s, 5, der, sizeof der);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	/* The same blob twice in one row: both cells stay valid together. */
	s = db_prepare(d, "SELECT der, number, der FROM crl_state WHERE ca = $1");
	db_bind_text(s, 1, "issuing");
	assert_int_equal(db_step(s), DB_ROW);
	size_t n1 = 0, n2 = 0;
	const unsigned char *a = db_col_blob(s, 0, &n1);
	const unsigned char *b = db_col_blob(s, 2, &n2);
	assert_int_equal(n1, sizeof der);
	assert_int_equal(n2, sizeof der);
	assert_memory_equal(a, der, sizeof der);
	assert_memory_equal(b, der, sizeof der);
	assert_int_equal(db_col_int64(s, 1), 7);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	/* Hex text stored in a BYTEA column reads back as the same text. */
	assert_int_equal(db_execp(d,
				  "INSERT INTO applications (number, tckn, ad, soyad, "
				  "dogum_yeri, dogum_tarihi, sicil_no, kurum_kodu, kurum_adi, "
				  "yetki_birimi, reason, years, security_word_hash, birim, unvan, "
				  "adres, posta_kodu, il, ilce, eposta, is_tel, cep_tel, operator, "
				  "bilgi_kanali, state, otp_hash, created_at, updated_at) VALUES "
				  "('B1', 't', 'a', 's', 'y', 'd', 's', 'k', 'k', 'Y', 'ILK', 3, "
				  "'h', 'b', 'u', 'a', '67100', 67, 'i', 'e', 't', 'c', 'o', "
				  "'IKISI', 'FORM_CONFIRMED', $1, 1, 1)",
				  "9f86d081884c7d65", NULL),
			 DB_OK);
	s = db_prepare(d, "SELECT otp_hash FROM applications WHERE otp_hash = $1");
	db_bind_text(s, 1, "9f86d081884c7d65");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "9f86d081884c7d65");
	db_finalize(s);
	db_close(d);
}

static void test_constraint_and_prepared_once(void **state)
{
	(void)state;
	db *d = open_or_die(test_url);
	for (int i = 0; i < 3; i++) {
		db_stmt *s = db_prepare(d, "INSERT INTO meta (key, value) VALUES ($1, $2)");
		db_bind_text(s, 1, "k");
		db_bind_text(s, 2, "v");
		assert_int_equal(db_step(s), i == 0 ? DB_DONE : DB_CONSTRAINT);
		db_finalize(s);
		assert_false(db_retryable(d));
	}
	/* Three runs, one server-side prepared statement. */
	assert_int_equal(db_query_int64(d, -1,
					"SELECT COUNT(*) FROM pg_prepared_statements WHERE "
					"statement LIKE 'INSERT INTO meta%'",
					NULL),
			 1);
	db_close(d);
}

struct deadlock_arg {
	const char *first, *second;
	pthread_barrier_t *barrier;
	int rc;
	int retryable;
};

static void *deadlock_side(void *p)
{
	struct deadlock_arg *a = p;
	db *d = open_or_die(test_url);
	db_begin(d);
	db_execp(d, "UPDATE meta SET value = 'x' WHERE key = $1", a->first, NULL);
	pthread_barrier_wait(a->barrier);
	a->rc = db_execp(d, "UPDATE meta SET value = 'y' WHERE key = $1", a->second, NULL);
	a->retryable = db_retryable(d);
	if (a->rc == DB_OK)
		db_commit(d);
	else
		db_rollback(d);
	db_close(d);
	return NULL;
}

static void test_deadlock_is_busy_and_retryable(void **state)
{
	(void)state;
	db *d = open_or_die(test_url);
	assert_int_equal(db_execp(d, "INSERT INTO meta (key, value) VALUES ('d1', ''), ('d2', '')",
				  NULL),
			 DB_OK);
	db_close(d);
	pthread_barrier_t barrier;
	pthread_barrier_init(&barrier, NULL, 2);
	struct deadlock_arg x = {"d1", "d2", &barrier, 0, 0}, y = {"d2", "d1", &barrier, 0, 0};
	pthread_t tx, ty;
	pthread_create(&tx, NULL, deadlock_side, &x);
	pthread_create(&ty, NULL, deadlock_side, &y);
	pthread_join(tx, NULL);
	pthread_join(ty, NULL);
	pthread_barrier_destroy(&barrier);
	/* PostgreSQL ends one of the two (40P01); the other goes through. */
	assert_true((x.rc == DB_OK) != (y.rc == DB_OK));
	struct deadlock_arg *lost = x.rc == DB_OK ? &y : &x;
	assert_int_equal(lost->rc, DB_BUSY);
	assert_true(lost->retryable);
}

static void test_statement_timeout(void **state)
{
	(void)state;
	db_set_statement_timeout(100);
	db *d = open_or_die(test_url);
	db_set_statement_timeout(0);
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM pg_sleep(1)", NULL), -1);
	assert_non_null(strstr(db_errmsg(d), "statement timeout"));
	assert_false(db_retryable(d));
	db_close(d);
	d = open_or_die(test_url); /* opened after the reset: no limit */
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM pg_sleep(0.3)", NULL), 1);
	db_close(d);
}

static void test_lock_excludes_other_connection(void **state)
{
	(void)state;
	db *a = open_or_die(test_url), *b = open_or_die(test_url);
	assert_int_equal(db_begin(a), DB_OK);
	assert_int_equal(db_lock(a, "audit_log"), DB_OK);
	assert_int_equal(db_begin(b), DB_OK);
	const char *try = "SELECT CASE WHEN pg_try_advisory_xact_lock(hashtext($1)) THEN 1 ELSE "
			  "0 END";
	assert_int_equal(db_query_int64(b, -1, try, "audit_log", NULL), 0);
	assert_int_equal(db_query_int64(b, -1, try, "another", NULL), 1);
	assert_int_equal(db_commit(a), DB_OK); /* the lock ends with the transaction */
	assert_int_equal(db_rollback(b), DB_OK);
	assert_int_equal(db_begin(b), DB_OK);
	assert_int_equal(db_query_int64(b, -1, try, "audit_log", NULL), 1);
	assert_int_equal(db_commit(b), DB_OK);
	assert_string_equal(db_skip_locked(a), " FOR UPDATE SKIP LOCKED");
	db_close(a);
	db_close(b);
}

static void test_thread_connection_replaced_after_server_ends_it(void **state)
{
	char pid[24];
	(void)state;
	db_global_init(test_url);
	db *d = db_thread();
	assert_non_null(d);
	int64_t before = db_query_int64(d, -1, "SELECT pg_backend_pid()", NULL);
	assert_true(before > 0);
	snprintf(pid, sizeof pid, "%lld", (long long)before);
	db *killer = open_or_die(test_url);
	assert_int_equal(db_query_int64(killer, -1,
					"SELECT COUNT(*) FROM pg_terminate_backend($1::int)", pid,
					NULL),
			 1);
	db_close(killer);
	/* The next statement on the old connection fails... */
	assert_int_equal(db_query_int64(d, -1, "SELECT 1", NULL), -1);
	/* ...and the thread gets a new one. */
	d = db_thread();
	assert_non_null(d);
	int64_t after = db_query_int64(d, -1, "SELECT pg_backend_pid()", NULL);
	assert_true(after > 0 && after != before);
	db_thread_close();
}

int main(void)
{
	const char *url = getenv("EIMZA_TEST_PG_URL");
	if (url == NULL || url[0] == '\0') {
		fprintf(stderr, "test_pg: EIMZA_TEST_PG_URL not set, skipped\n");
		return 77;
	}
	snprintf(server_url, sizeof server_url, "%s", url);
	size_t n = strlen(server_url);
	if (n > 0 && server_url[n - 1] == '/')
		server_url[n - 1] = '\0';
	if (make_database() != 0) {
		fprintf(stderr, "test_pg: cannot create the test database\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_and_bytea),
		cmocka_unit_test(test_constraint_and_prepared_once),
		cmocka_unit_test(test_deadlock_is_busy_and_retryable),
		cmocka_unit_test(test_statement_timeout),
		cmocka_unit_test(test_lock_excludes_other_connection),
		cmocka_unit_test(test_thread_connection_replaced_after_server_ends_it),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	drop_database();
	return rc;
}
