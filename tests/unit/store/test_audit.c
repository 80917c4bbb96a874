/* The audit chain (src/store/audit.c): version 2 records are an unkeyed
 * BLAKE2b-256 over the length-prefixed fields (recomputed here from the
 * documented serialisation), version 1 records (keyed with the server
 * secret) written before them still verify, versions never go down, and
 * an edit or a deletion in the middle is named. Includes audit.c to write
 * version 1 records with its own record_hash. */
#include "../../../src/store/audit.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tmpdb.h"

struct fx {
	struct tmpdb t;
	db *d;
	char secret[160];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	tmpdb_make(&f->t);
	f->d = tmpdb_open(&f->t);
	snprintf(f->secret, sizeof f->secret, "%s/secret.key", f->t.dir);
	assert_int_equal(secret_init(f->secret), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->d);
	unlink(f->secret);
	tmpdb_remove(&f->t);
	free(f);
	return 0;
}

static void append(db *d, const char *action, const char *detail)
{
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(audit_append(d, &(struct audit_entry){.actor = "sistem",
							       .object = "application:2026-000001",
							       .action = action,
							       .detail = detail}),
			 0);
	assert_int_equal(db_commit(d), DB_OK);
}

/* A version 1 record as the code before checkpoints wrote it. */
static void append_v1(db *d, int64_t id, const char *prev, char hash[65])
{
	struct audit_entry e = {.actor = "yetkili:ayse", .object = "x", .action = "eski"};
	char ids[24], ats[24];
	assert_int_equal(record_hash(1, id, 1700000000 + id, &e, prev, hash), 0);
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	snprintf(ats, sizeof ats, "%lld", (long long)(1700000000 + id));
	assert_int_equal(db_execp(d,
				  "INSERT INTO audit_log (id, at, actor, object, action, "
				  "prev_hash, hash, chain_version) VALUES ($1, $2, $3, $4, $5, $6, "
				  "$7, 1)",
				  ids, ats, e.actor, e.object, e.action, prev, hash, NULL),
			 DB_OK);
}

static int verify(db *d, char *msg, size_t n, int64_t *count)
{
	return audit_verify(d, msg, n, count);
}

/* BLAKE2b-256, unkeyed, of "len:bytes;" fields ("-;" for NULL). */
static void expect_v2(int64_t id, int64_t at, const char *const fields[8], const char *prev,
		      char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	char buf[600];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	snprintf(buf, sizeof buf, "%lld/%lld", (long long)id, (long long)at);
	const char *all[9] = {buf,	 fields[0], fields[1], fields[2], fields[3],
			      fields[4], fields[5], fields[6], prev};
	for (int i = 0; i < 9; i++) {
		char one[700];
		int k = all[i] ? snprintf(one, sizeof one, "%zu:%s;", strlen(all[i]), all[i])
			       : snprintf(one, sizeof one, "-;");
		crypto_generichash_update(&st, (const unsigned char *)one, (size_t)k);
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void test_v2_is_unkeyed_and_documented(void **state)
{
	struct fx *f = *state;
	char msg[512], want[65], head[65];
	int64_t n = 0;
	append(f->d, "sms_verified", "ayrıntı");
	append(f->d, "approve", NULL);
	db_stmt *st = db_prepare(f->d, "SELECT id, at, actor, client_ip, object, action, "
				       "before_state, after_state, detail, prev_hash, hash, "
				       "chain_version FROM audit_log ORDER BY id");
	assert_non_null(st);
	const char *prev = "0";
	char prevbuf[65];
	while (db_step(st) == DB_ROW) {
		const char *fields[8];
		for (int i = 0; i < 7; i++)
			fields[i] = db_col_text(st, 2 + i);
		assert_int_equal(db_col_int64(st, 11), 2);
		assert_string_equal(db_col_text(st, 9), prev);
		expect_v2(db_col_int64(st, 0), db_col_int64(st, 1), fields, prev, want);
		assert_string_equal(db_col_text(st, 10), want);
		snprintf(prevbuf, sizeof prevbuf, "%s", want);
		prev = prevbuf;
	}
	db_finalize(st);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 0);
	assert_int_equal(n, 2);
	/* The head is the newest record's hash. */
	assert_int_equal(audit_chain_head(f->d, &n, head), 0);
	assert_int_equal(n, 2);
	assert_string_equal(head, want);
	assert_int_equal(audit_hash_at(f->d, 2, head), 0);
	assert_string_equal(head, want);
	assert_int_equal(audit_hash_at(f->d, 3, head), 1);
}

static void test_empty_head(void **state)
{
	struct fx *f = *state;
	char head[65];
	int64_t n = -1;
	assert_int_equal(audit_chain_head(f->d, &n, head), 0);
	assert_int_equal(n, 0);
	assert_int_equal(strspn(head, "0"), 64);
}

static void test_v1_then_v2_verifies(void **state)
{
	struct fx *f = *state;
	char h1[65], h2[65], msg[512];
	int64_t n = 0;
	append_v1(f->d, 1, "0", h1);
	append_v1(f->d, 2, h1, h2);
	append(f->d, "approve", NULL); /* version 2, chained to h2 */
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT prev_hash = $1 FROM audit_log WHERE id = 3", h2,
					NULL),
			 1);
	/* A version 1 record whose content changed no longer matches. */
	assert_int_equal(db_execp(f->d, "UPDATE audit_log SET detail = 'x' WHERE id = 1", NULL),
			 DB_OK);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 1);
	assert_non_null(strstr(msg, "Kayıt 1 değiştirilmiş"));
}

static void test_v1_needs_its_key(void **state)
{
	struct fx *f = *state;
	char h1[65], msg[512];
	int64_t n = 0;
	append_v1(f->d, 1, "0", h1);
	/* Recomputed without the key (as version 2): the stored hash differs. */
	assert_int_equal(db_execp(f->d, "UPDATE audit_log SET chain_version = 2", NULL), DB_OK);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 1);
	assert_non_null(strstr(msg, "Kayıt 1"));
}

static void test_version_never_goes_down(void **state)
{
	struct fx *f = *state;
	char msg[512];
	int64_t n = 0;
	append(f->d, "a", NULL);
	append(f->d, "b", NULL);
	assert_int_equal(
		db_execp(f->d, "UPDATE audit_log SET chain_version = 1 WHERE id = 2", NULL), DB_OK);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 1);
	assert_non_null(strstr(msg, "Kayıt 2: zincir sürümü"));
	assert_int_equal(
		db_execp(f->d, "UPDATE audit_log SET chain_version = 3 WHERE id = 2", NULL), DB_OK);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 1);
}

static void test_edit_and_delete_named(void **state)
{
	struct fx *f = *state;
	char msg[512];
	int64_t n = 0;
	for (int i = 0; i < 4; i++)
		append(f->d, "a", "b");
	assert_int_equal(db_execp(f->d, "UPDATE audit_log SET detail = 'c' WHERE id = 3", NULL),
			 DB_OK);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 1);
	assert_non_null(strstr(msg, "Kayıt 3 değiştirilmiş"));
	assert_int_equal(db_execp(f->d, "DELETE FROM audit_log WHERE id = 3", NULL), DB_OK);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 1);
	assert_non_null(strstr(msg, "Kayıt 3 eksik"));
	/* Cutting the newest records off is invisible to the chain alone. */
	assert_int_equal(db_execp(f->d, "DELETE FROM audit_log WHERE id >= 3", NULL), DB_OK);
	assert_int_equal(verify(f->d, msg, sizeof msg, &n), 0);
	assert_int_equal(n, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v2_is_unkeyed_and_documented, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_then_v2_verifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_needs_its_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_never_goes_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edit_and_delete_named, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
