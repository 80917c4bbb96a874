/* The PostgreSQL dialect rules (src/store/db_pg_dialect.c): migration
 * rewrites, SQLSTATE classes, parameter counting. Table-driven, no server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/db.h"
#include "store/db_pg_dialect.h"

static void test_rewrite_script(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"CREATE TABLE t (id INTEGER PRIMARY KEY, der BLOB NOT NULL)",
		 "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, der BYTEA NOT NULL)"},
		{"id integer primary key", "id BIGSERIAL PRIMARY KEY"},
		/* whole words only */
		{"blobs BLOBBY x_blob BLOB_x", "blobs BLOBBY x_blob BLOB_x"},
		{"a BIGINT PRIMARY KEY", "a BIGINT PRIMARY KEY"},
		/* not inside strings or comments */
		{"c TEXT DEFAULT 'BLOB' -- a BLOB here\nd BLOB",
		 "c TEXT DEFAULT 'BLOB' -- a BLOB here\nd BYTEA"},
		{"x \"BLOB\" BLOB", "x \"BLOB\" BYTEA"},
		{"", ""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b;
		buf_init(&b, 4096);
		assert_int_equal(db_pg_rewrite_script(&b, cases[i].in), 0);
		assert_string_equal(b.data != NULL ? b.data : "", cases[i].out);
		buf_free(&b);
	}
}

static void test_rewrite_overflow(void **state)
{
	buf b;
	(void)state;
	buf_init(&b, 8);
	assert_int_equal(db_pg_rewrite_script(&b, "CREATE TABLE t (x BLOB)"), -1);
	buf_free(&b);
}

static void test_sqlstate(void **state)
{
	static const struct {
		const char *state;
		int rc, retry;
	} cases[] = {
		{"23505", DB_CONSTRAINT, 0}, /* unique_violation */
		{"23503", DB_CONSTRAINT, 0}, /* foreign_key_violation */
		{"23514", DB_CONSTRAINT, 0}, /* check_violation */
		{"40001", DB_BUSY, 1},	     /* serialization_failure */
		{"40P01", DB_BUSY, 1},	     /* deadlock_detected */
		{"55P03", DB_BUSY, 0},	     /* lock_not_available */
		{"57014", DB_ERR, 0},	     /* query_canceled (statement timeout) */
		{"42P01", DB_ERR, 0},	     /* undefined_table */
		{"40002", DB_ERR, 0},	     /* integrity in commit: not a retry */
		{NULL, DB_ERR, 0},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(db_pg_sqlstate_rc(cases[i].state), cases[i].rc);
		assert_int_equal(db_pg_sqlstate_retryable(cases[i].state), cases[i].retry);
	}
}

static void test_max_param(void **state)
{
	static const struct {
		const char *sql;
		int max, want;
	} cases[] = {
		{"SELECT 1", 64, 0},
		{"SELECT $1, $2", 64, 2},
		{"UPDATE t SET a = $3 WHERE b = $1", 64, 3},
		{"SELECT '$9' , $1", 64, 1},
		{"SELECT \"$7\" FROM t WHERE x = $2", 64, 2},
		{"SELECT $65", 64, -1},
		{"SELECT $12", 12, 12},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(db_pg_max_param(cases[i].sql, cases[i].max), cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite_script),
		cmocka_unit_test(test_rewrite_overflow),
		cmocka_unit_test(test_sqlstate),
		cmocka_unit_test(test_max_param),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
