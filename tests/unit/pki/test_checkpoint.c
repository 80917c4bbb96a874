/* Signed audit checkpoints (src/pki/checkpoint.c, signer_checkpoint.c):
 * the signer signs the documented message with the audit key, refuses a
 * count below its last checkpoint's (also after a restart, from its
 * journal), the same count with another head, and a time that is not now;
 * pki_checkpoint_make stores what it got and verify catches a forged one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/checkpoint.h"
#include "pki/pki.h"
#include "pki/signer.h"
#include "store/audit.h"
#include "util/clock.h"

static char *tmp;
static char cadir[512];

static int setup(void **state)
{
	(void)state;
	char err[256] = "";
	tmp = tp_tmpdir();
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	if (pki_ca_create(cadir, "p256", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(pki_init(cadir), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pki_shutdown();
	tp_rmtree(tmp);
	free(tmp);
	return 0;
}

static void head_of(char c, char out[AUDIT_HEAD_HEX + 1])
{
	memset(out, c, AUDIT_HEAD_HEX);
	out[AUDIT_HEAD_HEX] = '\0';
}

/* Asks the signer to sign (count, head of `h`, at). 0 signed (the
 * signature in c), -1 refused (the reason in err). */
static int ask(struct audit_checkpoint *c, int64_t count, char h, int64_t at, char *err, size_t n)
{
	unsigned char req[PKI_CHECKPOINT_REQ_LEN], *sig = NULL;
	size_t siglen = 0;
	memset(c, 0, sizeof *c);
	c->count = count;
	c->at = at;
	head_of(h, c->head);
	assert_int_equal(pki_checkpoint_request(c, req), 0);
	int rc = signer_sign(SIGNER_SIGN_CHECKPOINT, req, sizeof req, &sig, &siglen, err, n);
	if (rc == 0) {
		assert_int_equal(siglen, PKI_CHECKPOINT_SIG_LEN);
		for (size_t i = 0; i < siglen; i++)
			snprintf(c->signature + 2 * i, 3, "%02x", sig[i]);
	}
	free(sig);
	return rc;
}

static void test_key_files(void **state)
{
	(void)state;
	char p[600];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", cadir, PKI_AUDIT_KEY_FILE);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(p, sizeof p, "%s/%s", cadir, PKI_AUDIT_PUB_FILE);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	char *out = NULL;
	assert_int_equal(tp_sh(&out, "openssl pkey -pubin -in %s -noout -text", p), 0);
	assert_non_null(strstr(out, "ED25519"));
	free(out);
}

static void test_signs_documented_message(void **state)
{
	(void)state;
	struct audit_checkpoint c;
	char err[256] = "", p[600], *out = NULL;
	unsigned char req[PKI_CHECKPOINT_REQ_LEN], msg[PKI_CHECKPOINT_MSG_LEN], sig[64];
	assert_int_equal(ask(&c, 3, 'a', clock_now(), err, sizeof err), 0);
	assert_int_equal(pki_checkpoint_verify(cadir, &c, err, sizeof err), 0);
	/* openssl's own Ed25519 verification of "eimza audit checkpoint v1" ||
	 * u64 count || head || i64 time. */
	assert_int_equal(pki_checkpoint_request(&c, req), 0);
	pki_checkpoint_message(req, msg);
	assert_memory_equal(msg, "eimza audit checkpoint v1", 25);
	assert_int_equal(msg[25 + 7], 3);
	snprintf(p, sizeof p, "%s/msg", tmp);
	tp_write(p, msg, sizeof msg);
	for (int i = 0; i < 64; i++)
		sscanf(c.signature + 2 * i, "%2hhx", &sig[i]);
	snprintf(p, sizeof p, "%s/sig", tmp);
	tp_write(p, sig, sizeof sig);
	assert_int_equal(tp_sh(&out,
			       "openssl pkeyutl -verify -pubin -inkey %s/audit.pub -rawin "
			       "-in %s/msg -sigfile %s/sig",
			       cadir, tmp, tmp),
			 0);
	free(out);
	/* One bit of the count changed: no longer valid. */
	c.count = 2;
	assert_int_equal(pki_checkpoint_verify(cadir, &c, err, sizeof err), 1);
}

static void test_monotonic(void **state)
{
	(void)state;
	struct audit_checkpoint c;
	char err[256] = "";
	int64_t now = clock_now();
	assert_int_equal(ask(&c, 10, 'b', now, err, sizeof err), 0);
	/* Lower: refused, naming both counts. */
	assert_int_equal(ask(&c, 9, 'c', now, err, sizeof err), -1);
	assert_non_null(strstr(err, "below the last checkpoint's 10"));
	/* The same count and head again: fine (a shutdown after a timer). */
	assert_int_equal(ask(&c, 10, 'b', now, err, sizeof err), 0);
	/* The same count with another head: a rewrite, refused. */
	assert_int_equal(ask(&c, 10, 'd', now, err, sizeof err), -1);
	assert_non_null(strstr(err, "another head"));
	/* After a restart the signer still knows, from its journal. */
	signer_stop();
	assert_int_equal(signer_start(cadir), 0);
	assert_int_equal(ask(&c, 9, 'c', now, err, sizeof err), -1);
	assert_non_null(strstr(err, "below"));
	assert_int_equal(ask(&c, 11, 'e', now, err, sizeof err), 0);
	/* The journal holds each signed checkpoint as a record. */
	char *out = NULL;
	assert_int_equal(tp_sh(&out, "grep -c '^checkpoint' %s/journal", cadir), 0);
	assert_int_equal(strtol(out, NULL, 10), 4);
	free(out);
	struct audit_checkpoint j;
	assert_int_equal(pki_checkpoint_from_journal(cadir, &j, err, sizeof err), 1);
	assert_int_equal(j.count, 11);
	assert_string_equal(j.signature, c.signature);
}

static void test_refuses_other_times_and_sizes(void **state)
{
	(void)state;
	struct audit_checkpoint c;
	char err[256] = "";
	unsigned char *sig = NULL, req[PKI_CHECKPOINT_REQ_LEN] = {0};
	size_t siglen = 0;
	assert_int_equal(ask(&c, 100, 'f', clock_now() - 3600, err, sizeof err), -1);
	assert_non_null(strstr(err, "is not now"));
	assert_int_equal(ask(&c, 100, 'f', clock_now() + 3600, err, sizeof err), -1);
	/* A short payload is refused; a count above INT64_MAX too. */
	assert_int_equal(
		signer_sign(SIGNER_SIGN_CHECKPOINT, req, 47, &sig, &siglen, err, sizeof err), -1);
	assert_non_null(strstr(err, "malformed"));
	memset(req, 0xff, 8);
	assert_int_equal(signer_sign(SIGNER_SIGN_CHECKPOINT, req, sizeof req, &sig, &siglen, err,
				     sizeof err),
			 -1);
	/* An oversized one is not even sent. */
	assert_int_equal(signer_sign(SIGNER_SIGN_CHECKPOINT, req, PKI_CHECKPOINT_REQ_LEN + 1, &sig,
				     &siglen, err, sizeof err),
			 -1);
	assert_int_equal(signer_ping(), 0);
}

static void test_make_stores_and_skips_unchanged(void **state)
{
	(void)state;
	char err[256] = "";
	struct audit_checkpoint c, stored;
	db *d = tp_open_db(tmp, "make");
	assert_non_null(d);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(db_begin(d), DB_OK);
		assert_int_equal(audit_append(d, &(struct audit_entry){.actor = "sistem",
								       .object = "test",
								       .action = "a"}),
				 0);
		assert_int_equal(db_commit(d), DB_OK);
	}
	/* The signer's last count (11, from test_monotonic) is above 3. */
	assert_int_equal(pki_checkpoint_make(d, 1, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "below"));
	for (int i = 0; i < 9; i++) {
		assert_int_equal(db_begin(d), DB_OK);
		assert_int_equal(audit_append(d, &(struct audit_entry){.actor = "sistem",
								       .object = "test",
								       .action = "b"}),
				 0);
		assert_int_equal(db_commit(d), DB_OK);
	}
	assert_int_equal(pki_checkpoint_make(d, 0, &c, err, sizeof err), 1);
	assert_int_equal(c.count, 12);
	assert_int_equal(audit_checkpoint_newest(d, &stored), 1);
	assert_string_equal(stored.signature, c.signature);
	assert_int_equal(pki_checkpoint_verify(cadir, &stored, err, sizeof err), 0);
	/* Nothing new: nothing signed unless forced. */
	assert_int_equal(pki_checkpoint_make(d, 0, NULL, err, sizeof err), 0);
	assert_int_equal(pki_checkpoint_make(d, 1, NULL, err, sizeof err), 1);
	/* A forged row (another head, the old signature) does not verify. */
	head_of('0', stored.head);
	assert_int_equal(pki_checkpoint_verify(cadir, &stored, err, sizeof err), 1);
	db_close(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_signs_documented_message),
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_refuses_other_times_and_sizes),
		cmocka_unit_test(test_make_stores_and_skips_unchanged),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
