/* The signer's journal (src/pki/journal.c): records survive reopening,
 * CRL numbers only go up, two handles (two signer processes) share one
 * chain, and an edited or cut journal does not open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/journal.h"

static char *tmp;
static char path[512];

static int setup(void **state)
{
	(void)state;
	static int n;
	tmp = tp_tmpdir();
	snprintf(path, sizeof path, "%s/journal-%d", tmp, n++);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tp_rmtree(tmp);
	free(tmp);
	return 0;
}

static struct journal_rec cert(const char *serial, const char *subject)
{
	struct journal_rec r = {.kind = JOURNAL_CERT,
				.not_before = 1700000000,
				.not_after = 1731536000};
	snprintf(r.serial_hex, sizeof r.serial_hex, "%s", serial);
	snprintf(r.subject, sizeof r.subject, "%s", subject);
	journal_sha256_hex(serial, strlen(serial), r.sha256);
	return r;
}

static struct journal_rec crl(int64_t number, int64_t entries)
{
	struct journal_rec r = {.kind = JOURNAL_CRL,
				.number = number,
				.this_update = 1700000000 + number,
				.entries = entries};
	journal_sha256_hex(&number, sizeof number, r.sha256);
	return r;
}

static void append_ok(struct journal *j, struct journal_rec r)
{
	char err[256] = "";
	if (journal_lock(j, err, sizeof err) != 0)
		fail_msg("lock: %s", err);
	int rc = journal_append(j, &r, err, sizeof err);
	journal_unlock(j);
	if (rc != 0)
		fail_msg("append: %s", err);
}

/* Writes three records: a certificate and CRLs 1 and 2. */
static void write_three(void)
{
	struct journal j;
	char err[256] = "";
	assert_int_equal(journal_open(&j, path, err, sizeof err), 0);
	append_ok(&j, cert("0A1B", "CN=Ayşe Yılmaz,C=TR"));
	append_ok(&j, crl(1, 0));
	append_ok(&j, crl(2, 1));
	journal_close(&j);
}

static void test_reopen_learns_numbers_and_serials(void **state)
{
	(void)state;
	struct journal j;
	char err[256] = "";
	write_three();
	assert_int_equal(journal_open(&j, path, err, sizeof err), 0);
	assert_int_equal(j.line, 3);
	assert_int_equal(j.last_crl, 2);
	assert_true(journal_has_serial(&j, "0A1B"));
	assert_false(journal_has_serial(&j, "0A1C"));
	journal_close(&j);
}

static void test_crl_numbers_only_go_up(void **state)
{
	(void)state;
	static const struct {
		int64_t number;
		int rc;
	} rows[] = {{1, 0}, {1, -1}, {0, -1}, {3, 0}, {2, -1}, {4, 0}};
	struct journal j;
	char err[256] = "";
	assert_int_equal(journal_open(&j, path, err, sizeof err), 0);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct journal_rec r = crl(rows[i].number, 0);
		assert_int_equal(journal_lock(&j, err, sizeof err), 0);
		int rc = journal_append(&j, &r, err, sizeof err);
		journal_unlock(&j);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d (%s)", i, rc, err);
	}
	assert_int_equal(j.last_crl, 4);
	journal_close(&j);
}

/* Two handles are two signer processes on one CA directory: each sees the
 * other's records when it takes the lock. */
static void test_two_handles_share_one_chain(void **state)
{
	(void)state;
	struct journal a, b;
	char err[256] = "";
	assert_int_equal(journal_open(&a, path, err, sizeof err), 0);
	assert_int_equal(journal_open(&b, path, err, sizeof err), 0);
	append_ok(&a, crl(1, 0));
	append_ok(&a, cert("01", "CN=x"));
	assert_int_equal(journal_lock(&b, err, sizeof err), 0);
	assert_int_equal(b.last_crl, 1);
	assert_true(journal_has_serial(&b, "01"));
	struct journal_rec r = crl(b.last_crl + 1, 3);
	assert_int_equal(journal_append(&b, &r, err, sizeof err), 0);
	journal_unlock(&b);
	append_ok(&a, crl(3, 0)); /* a caught up with b's number 2 */
	journal_close(&a);
	journal_close(&b);
	assert_int_equal(journal_open(&a, path, err, sizeof err), 0);
	assert_int_equal(a.line, 4);
	assert_int_equal(a.last_crl, 3);
	journal_close(&a);
}

static int count(const struct journal_rec *r, void *arg)
{
	long *n = arg;
	(*n)++;
	return r->kind == JOURNAL_CERT && strcmp(r->subject, "CN=Ayşe Yılmaz,C=TR") != 0 ? 9 : 0;
}

static void test_read_walks_every_record(void **state)
{
	(void)state;
	char err[256] = "";
	long n = 0;
	assert_int_equal(journal_read(path, count, &n, err, sizeof err), 0); /* missing: empty */
	assert_int_equal(n, 0);
	write_three();
	assert_int_equal(journal_read(path, count, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
}

/* Each row damages a fresh three-record journal; none may open or read. */
static void test_damaged_journal_refused(void **state)
{
	(void)state;
	static const struct {
		const char *what, *from, *to, *reason;
	} rows[] = {
		{"serial edited", "0A1B", "0A1C", "edited"},
		{"entry count edited", "\t1\t", "\t7\t", "edited"},
		{"CRL number edited", "crl\t2", "crl\t5", "edited"},
		{"last line cut", NULL, NULL, "truncated"},
		{"first record deleted", "", NULL, "edited"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[256] = "";
		size_t len = 0;
		struct journal j;
		tp_rmtree(path);
		remove(path);
		write_three();
		char *s = tp_slurp(path, &len);
		assert_non_null(s);
		if (rows[i].to != NULL) {
			char *at = strstr(s, rows[i].from);
			assert_non_null(at);
			memcpy(at, rows[i].to, strlen(rows[i].to));
			tp_write(path, s, len);
		} else if (rows[i].from == NULL) {
			tp_write(path, s, len - 5);
		} else {
			char *nl = strchr(s, '\n');
			tp_write(path, nl + 1, len - (size_t)(nl + 1 - s));
		}
		free(s);
		if (journal_open(&j, path, err, sizeof err) == 0)
			fail_msg("%s: opened", rows[i].what);
		if (strstr(err, rows[i].reason) == NULL)
			fail_msg("%s: %s", rows[i].what, err);
		long n = 0;
		assert_int_equal(journal_read(path, count, &n, err, sizeof err), -1);
	}
}

static void test_fields_with_tabs_refused(void **state)
{
	(void)state;
	struct journal j;
	char err[256] = "", line[512];
	struct journal_rec r = cert("0A", "CN=a\tb");
	assert_int_equal(journal_format(&r, line, sizeof line), -1);
	assert_int_equal(journal_open(&j, path, err, sizeof err), 0);
	assert_int_equal(journal_lock(&j, err, sizeof err), 0);
	assert_int_equal(journal_append(&j, &r, err, sizeof err), -1);
	journal_unlock(&j);
	assert_int_equal(j.line, 0);
	journal_close(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reopen_learns_numbers_and_serials, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_crl_numbers_only_go_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_handles_share_one_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_walks_every_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_journal_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fields_with_tabs_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
