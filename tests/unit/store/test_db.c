/* db.h over SQLite: migrations, parameters, errors, transactions, cache,
 * per-thread connections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>

#include "store/db.h"
#include "tmpdb.h"
#include "util/assets.h"

static int setup(void **state)
{
	struct tmpdb *t = calloc(1, sizeof *t);
	tmpdb_make(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tmpdb_remove(*state);
	free(*state);
	return 0;
}

static int64_t count_migrations_embedded(void)
{
	int64_t n = 0;
	for (const struct asset *a = eimza_assets; a->name != NULL; a++)
		if (strncmp(a->name, "src/store/migrations/", 21) == 0 &&
		    strstr(a->name, ".sql") != NULL)
			n++;
	return n;
}

static void test_migrate_once(void **state)
{
	struct tmpdb *t = *state;
	db *d = tmpdb_open(t);
	int64_t n = count_migrations_embedded();

	assert_true(n >= 1);
	assert_string_equal(db_backend(d), "sqlite");
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM schema_migrations", NULL), n);
	assert_int_equal(db_query_int64(d, -1,
					"SELECT COUNT(*) FROM schema_migrations WHERE "
					"version = 1 AND name = '0001_core.sql'",
					NULL),
			 1);
	int64_t at = db_query_int64(d, -1, "SELECT MAX(applied_at) FROM schema_migrations", NULL);
	/* Applying again changes nothing and does not fail on existing tables. */
	assert_int_equal(db_migrate(d), 0);
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM schema_migrations", NULL), n);
	assert_int_equal(
		db_query_int64(d, -1, "SELECT MAX(applied_at) FROM schema_migrations", NULL), at);
	/* The core tables exist and pragmas are on. */
	assert_int_equal(db_query_int64(d, -1,
					"SELECT COUNT(*) FROM sqlite_master WHERE name IN "
					"('provinces','districts','registry','institutions',"
					"'personnel','authority_units','meta')",
					NULL),
			 7);
	assert_int_equal(db_query_int64(d, -1, "PRAGMA foreign_keys", NULL), 1);
	db_close(d);
	/* A second connection sees WAL mode and the applied migrations. */
	d = tmpdb_open(t);
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM schema_migrations", NULL), n);
	db_stmt *s = db_prepare(d, "PRAGMA journal_mode");
	assert_non_null(s);
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "wal");
	db_finalize(s);
	db_close(d);
}

static void test_params(void **state)
{
	db *d = tmpdb_open(*state);
	static const unsigned char blob[] = {0, 1, 2, 0xff};

	assert_int_equal(db_exec(d, "CREATE TABLE t (a BIGINT, b TEXT, c BLOB, e TEXT)"), DB_OK);
	db_stmt *s = db_prepare(d, "INSERT INTO t (b, a, c, e) VALUES ($2, $1, $3, $4)");
	assert_non_null(s);
	assert_int_equal(db_bind_int64(s, 1, -42), DB_OK);
	assert_int_equal(db_bind_textn(s, 2, "Şişli-extra", 7), DB_OK);
	assert_int_equal(db_bind_blob(s, 3, blob, sizeof blob), DB_OK);
	assert_int_equal(db_bind_text(s, 4, NULL), DB_OK);
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);
	assert_int_equal(db_changes(d), 1);

	s = db_prepare(d, "SELECT a, b, c, e FROM t WHERE a = $1 OR b = $1");
	assert_non_null(s);
	db_bind_int64(s, 1, -42);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int64(s, 0), -42);
	assert_string_equal(db_col_text(s, 1), "Şişli");
	size_t n = 0;
	const unsigned char *p = db_col_blob(s, 2, &n);
	assert_int_equal(n, sizeof blob);
	assert_memory_equal(p, blob, sizeof blob);
	assert_null(db_col_text(s, 3));
	assert_true(db_col_is_null(s, 3));
	assert_false(db_col_is_null(s, 0));
	assert_int_equal(db_step(s), DB_DONE);
	db_finalize(s);

	/* Binding a parameter the statement lacks fails, and the statement
	 * then refuses to run. */
	s = db_prepare(d, "INSERT INTO t (a) VALUES ($1)");
	assert_int_equal(db_bind_int64(s, 2, 1), DB_ERR);
	assert_int_equal(db_step(s), DB_ERR);
	db_finalize(s);
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM t", NULL), 1);

	/* Variadic helpers bind text parameters in order. */
	assert_int_equal(db_execp(d, "INSERT INTO t (a, b) VALUES ($1, $2)", "7", "yedi", NULL),
			 DB_OK);
	assert_int_equal(db_query_int64(d, -1, "SELECT a FROM t WHERE b = $1", "yedi", NULL), 7);
	assert_int_equal(db_query_int64(d, 99, "SELECT a FROM t WHERE b = $1", "yok", NULL), 99);
	assert_null(db_prepare(d, "SELECT FROM WHERE"));
	db_close(d);
}

static void test_constraints(void **state)
{
	db *d = tmpdb_open(*state);

	assert_int_equal(db_execp(d, "INSERT INTO meta (key, value) VALUES ($1, $2)", "k", "v",
				  NULL),
			 DB_OK);
	assert_int_equal(db_execp(d, "INSERT INTO meta (key, value) VALUES ($1, $2)", "k", "w",
				  NULL),
			 DB_CONSTRAINT);
	/* Foreign key: personnel needs an institution. */
	db_stmt *s = db_prepare(d, "INSERT INTO personnel (tckn, sicil_no, kurum_kodu, unvan, "
				   "updated_at) VALUES ($1, $2, $3, $4, 0)");
	db_bind_text(s, 1, "10000000146");
	db_bind_text(s, 2, "1");
	db_bind_text(s, 3, "YOK");
	db_bind_text(s, 4, "Öğretmen");
	assert_int_equal(db_step(s), DB_CONSTRAINT);
	assert_true(strlen(db_errmsg(d)) > 0);
	db_finalize(s);
	assert_int_equal(db_exec(d, "THIS IS NOT SQL"), DB_ERR);
	db_close(d);
}

static void test_transactions(void **state)
{
	db *d = tmpdb_open(*state);

	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(db_execp(d, "INSERT INTO meta (key) VALUES ($1)", "a", NULL), DB_OK);
	assert_int_equal(db_rollback(d), DB_OK);
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM meta", NULL), 0);
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(db_execp(d, "INSERT INTO meta (key) VALUES ($1)", "b", NULL), DB_OK);
	assert_int_equal(db_commit(d), DB_OK);
	assert_int_equal(db_query_int64(d, -1, "SELECT COUNT(*) FROM meta", NULL), 1);
	db_close(d);
}

/* A second writer waits for the busy timeout and then gets DB_BUSY. */
static void test_busy(void **state)
{
	struct tmpdb *t = *state;
	db *a = tmpdb_open(t), *b = tmpdb_open(t);

	assert_int_equal(db_begin(a), DB_OK);
	assert_int_equal(db_begin(b), DB_BUSY);
	assert_int_equal(db_rollback(a), DB_OK);
	assert_int_equal(db_begin(b), DB_OK);
	assert_int_equal(db_commit(b), DB_OK);
	db_close(a);
	db_close(b);
}

/* The same SQL prepared twice at once gets two statements; a finalized
 * cached statement is reset and reusable. */
static void test_stmt_cache(void **state)
{
	db *d = tmpdb_open(*state);
	const char *sql = "SELECT key FROM meta WHERE key >= $1 ORDER BY key";
	int outer_rows = 0;

	for (int i = 0; i < 3; i++) {
		char k[2] = {(char)('a' + i), 0};
		db_execp(d, "INSERT INTO meta (key) VALUES ($1)", k, NULL);
	}
	db_stmt *o = db_prepare(d, sql);
	db_bind_text(o, 1, "a");
	while (db_step(o) == DB_ROW) {
		db_stmt *in = db_prepare(d, sql);
		assert_ptr_not_equal(in, o);
		db_bind_text(in, 1, db_col_text(o, 0));
		int n = 0;
		while (db_step(in) == DB_ROW)
			n++;
		assert_int_equal(n, 3 - outer_rows);
		db_finalize(in);
		outer_rows++;
	}
	db_finalize(o);
	assert_int_equal(outer_rows, 3);
	/* Reused after finalize: bindings cleared, starts from the top. */
	for (int r = 0; r < 100; r++) {
		db_stmt *s = db_prepare(d, sql);
		db_bind_text(s, 1, "b");
		assert_int_equal(db_step(s), DB_ROW);
		assert_string_equal(db_col_text(s, 0), "b");
		db_finalize(s);
	}
	db_close(d);
}

static void *thread_main(void *arg)
{
	db *d = db_thread();
	char k[32];

	if (d == NULL || db_thread() != d)
		return NULL;
	snprintf(k, sizeof k, "t%ld", (long)(intptr_t)arg);
	if (db_execp(d, "INSERT INTO meta (key) VALUES ($1)", k, NULL) != DB_OK)
		return NULL;
	return d;
}

static void test_threads(void **state)
{
	struct tmpdb *t = *state;
	db *d = tmpdb_open(t);
	pthread_t th[4];
	void *res[4];

	db_global_init(t->path);
	for (long i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&th[i], NULL, thread_main, (void *)(intptr_t)i), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], &res[i]);
		assert_non_null(res[i]);
	}
	assert_int_equal(
		db_query_int64(d, -1, "SELECT COUNT(*) FROM meta WHERE key LIKE 't%'", NULL), 4);
	db *mine = db_thread();
	assert_non_null(mine);
	assert_ptr_not_equal(mine, d);
	db_thread_close();
	db_close(d);
}

static void test_open_errors(void **state)
{
	char err[256] = "";

	assert_null(db_open("postgresql://localhost/none", err, sizeof err));
	assert_true(strlen(err) > 0);
	err[0] = '\0';
	assert_null(db_open("/nonexistent-dir/x/y.db", err, sizeof err));
	assert_non_null(strstr(err, "açılamadı"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrate_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_constraints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stmt_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test(test_open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
