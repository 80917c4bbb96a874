/* The OCSP responder certificate's renewal (issue 9): the due rule, and the
 * signer renewing it without writing a file, checked with openssl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/pem.h>

#include "helpers.h"
#include "pki/internal.h"
#include "pki/journal.h"
#include "pki/ocsp_cert.h"
#include "pki/pki.h"
#include "util/config.h"

#define H 3600
#define D 86400

static void test_due_rule(void **state)
{
	(void)state;
	static const struct {
		int64_t now, not_before, not_after, renew_before;
		int due;
	} cases[] = {
		/* half the life (7 days: due from 3.5 days on) */
		{0, 0, 7 * D, 0, 0},
		{7 * D / 2 - 1, 0, 7 * D, 0, 0},
		{7 * D / 2, 0, 7 * D, 0, 0}, /* exactly half remains */
		{7 * D / 2 + 1, 0, 7 * D, 0, 1},
		{7 * D - 1, 0, 7 * D, 0, 1},
		/* an odd life: half of 61 s remains at 30.5 s */
		{30, 0, 61, 0, 0},
		{31, 0, 61, 0, 1},
		/* expired, not yet valid (the clock went back), empty life */
		{7 * D, 0, 7 * D, 0, 1},
		{8 * D, 0, 7 * D, 0, 1},
		{-1, 0, 7 * D, 0, 1},
		{5, 10, 10, 0, 1},
		{5, 10, 9, 0, 1},
		/* a number of hours */
		{7 * D - 24 * H, 0, 7 * D, 24 * H, 0},
		{7 * D - 24 * H + 1, 0, 7 * D, 24 * H, 1},
		{D, 0, 7 * D, 24 * H, 0},
		/* hours not shorter than the life: half the life instead */
		{D, 0, 7 * D, 7 * D, 0},
		{4 * D, 0, 7 * D, 7 * D, 1},
		{D, 0, 7 * D, 30 * D, 0},
		/* a real date */
		{1796284800 + 4 * D, 1796284800, 1796284800 + 7 * D, 0, 1},
		{1796284800 + 3 * D, 1796284800, 1796284800 + 7 * D, 0, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = pki_ocsp_cert_due(cases[i].now, cases[i].not_before, cases[i].not_after,
					    cases[i].renew_before);
		if (got != cases[i].due)
			fail_msg("case %zu: due %d, want %d", i, got, cases[i].due);
	}
}

static void test_config_life(void **state)
{
	(void)state;
	assert_int_equal(pki_ocsp_cert_life(), 7 * D);
	assert_int_equal(pki_ocsp_cert_renew_before(), 0);
	assert_int_equal(config_set("ca.ocsp_days", "2"), 0);
	assert_int_equal(config_set("ca.ocsp_renew_before", "12"), 0);
	assert_int_equal(pki_ocsp_cert_life(), 2 * D);
	assert_int_equal(pki_ocsp_cert_renew_before(), 12 * H);
	assert_int_equal(config_set("ca.ocsp_lifetime_minutes", "3"), 0);
	assert_int_equal(pki_ocsp_cert_life(), 180);
	config_set("ca.ocsp_days", "7");
	config_set("ca.ocsp_renew_before", "0");
	config_set("ca.ocsp_lifetime_minutes", "0");
}

static char *serial_of(X509 *x)
{
	char hex[PKI_SERIAL_HEX_MAX + 1];
	assert_int_equal(pki_serial_hex(X509_get0_serialNumber(x), hex), 0);
	return strdup(hex);
}

static void write_pem(const char *path, X509 *x)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
}

static int count_ocsp_records(const char *dir)
{
	char *out = NULL;
	assert_int_equal(tp_sh(&out, "grep -c '^ocsp\t' %s/journal || true", dir), 0);
	int n = atoi(out);
	free(out);
	return n;
}

/* Forced renewal through the signer: a new serial for the same key,
 * journaled with its DER, ocsp.pem untouched; a restart keeps it. */
static void test_signer_renews(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), dir[512], p[600], err[256] = "", *out = NULL;
	snprintf(dir, sizeof dir, "%s/ca", tmp);
	assert_int_equal(pki_ca_create(dir, "p256", err, sizeof err), 0);
	snprintf(p, sizeof p, "%s/ocsp.pem", dir);
	char *pem_before = tp_slurp(p, NULL);
	tp_ok(pki_init(dir), "pki_init");
	char *first = serial_of(pki_ocsp_cert());
	tp_ok(pki_ca_renew_ocsp(dir, 0, err, sizeof err), err); /* not due */
	char *same = serial_of(pki_ocsp_cert());
	assert_string_equal(first, same);
	assert_int_equal(count_ocsp_records(dir), 0);

	tp_ok(pki_ca_renew_ocsp(dir, 1, err, sizeof err), err);
	char *renewed = serial_of(pki_ocsp_cert());
	assert_string_not_equal(first, renewed);
	assert_int_equal(count_ocsp_records(dir), 1);
	/* At most one forced renewal a minute. */
	assert_int_equal(pki_ca_renew_ocsp(dir, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "less than"));

	snprintf(p, sizeof p, "%s/current.pem", tmp);
	write_pem(p, pki_ocsp_cert());
	assert_int_equal(tp_sh(&out,
			       "openssl verify -CAfile %s/root.pem -untrusted %s/issuing.pem "
			       "-purpose ocsphelper %s && openssl x509 -noout -text -in %s",
			       dir, dir, p, p),
			 0);
	assert_non_null(strstr(out, ": OK"));
	assert_non_null(strstr(out, "OCSP No Check"));
	assert_non_null(strstr(out, "OCSP Signing"));
	assert_non_null(strstr(out, "Digital Signature"));
	free(out);
	/* The key is the old one: same public key as ocsp.pem. */
	assert_int_equal(tp_sh(&out,
			       "openssl x509 -noout -pubkey -in %s > %s/a.pub && "
			       "openssl x509 -noout -pubkey -in %s/ocsp.pem > %s/b.pub && "
			       "cmp %s/a.pub %s/b.pub",
			       p, tmp, dir, tmp, tmp, tmp),
			 0);
	free(out);
	pki_shutdown();

	snprintf(p, sizeof p, "%s/ocsp.pem", dir);
	char *pem_after = tp_slurp(p, NULL);
	assert_string_equal(pem_before, pem_after);
	/* A new signer finds the newest certificate in the journal. */
	tp_ok(pki_init(dir), "pki_init");
	char *again = serial_of(pki_ocsp_cert());
	assert_string_equal(renewed, again);
	assert_int_equal(count_ocsp_records(dir), 1);
	pki_shutdown();
	free(pem_before);
	free(pem_after);
	free(first);
	free(same);
	free(renewed);
	free(again);
	tp_rmtree(tmp);
	free(tmp);
}

static struct journal_rec ocsp_rec(const char *serial, int64_t not_before, const char *b64)
{
	struct journal_rec r = {.kind = JOURNAL_OCSP,
				.not_before = not_before,
				.not_after = not_before + 7 * D};
	snprintf(r.serial_hex, sizeof r.serial_hex, "%s", serial);
	snprintf(r.subject, sizeof r.subject, "CN=OCSP,O=eimza,C=TR");
	snprintf(r.der_b64, sizeof r.der_b64, "%s", b64);
	journal_sha256_hex(b64, strlen(b64), r.sha256);
	return r;
}

static int collect_ocsp(const struct journal_rec *r, void *arg)
{
	int *count = arg;
	if (r->kind == JOURNAL_OCSP) {
		assert_string_equal(r->subject, "CN=OCSP,O=eimza,C=TR");
		assert_true(strcmp(r->der_b64, "QUJD") == 0 || strcmp(r->der_b64, "REVGRw==") == 0);
		(*count)++;
	}
	return 0;
}

/* ocsp records: kept with their DER, the newest by notBefore remembered
 * (also when an older one is appended after it), their serials never
 * signed again; one without DER is not written. */
static void test_journal_ocsp_records(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), path[512], err[256] = "";
	struct journal j, k;
	snprintf(path, sizeof path, "%s/journal", tmp);
	assert_int_equal(journal_open(&j, path, err, sizeof err), 0);
	assert_null(j.ocsp_b64);
	assert_int_equal(journal_lock(&j, err, sizeof err), 0);
	struct journal_rec newer = ocsp_rec("0A", 1800000000, "REVGRw=="),
			   older = ocsp_rec("0B", 1700000000, "QUJD"),
			   empty = ocsp_rec("0C", 1900000000, "");
	assert_int_equal(journal_append(&j, &newer, err, sizeof err), 0);
	assert_int_equal(journal_append(&j, &older, err, sizeof err), 0);
	assert_int_equal(journal_append(&j, &empty, err, sizeof err), -1);
	journal_unlock(&j);
	assert_string_equal(j.ocsp_b64, "REVGRw==");
	assert_int_equal(j.ocsp_not_before, 1800000000);
	journal_close(&j);
	assert_int_equal(journal_open(&k, path, err, sizeof err), 0);
	assert_string_equal(k.ocsp_b64, "REVGRw==");
	assert_true(journal_has_serial(&k, "0A"));
	assert_true(journal_has_serial(&k, "0B"));
	assert_int_equal(k.line, 2);
	journal_close(&k);
	int count = 0;
	assert_int_equal(journal_read(path, collect_ocsp, &count, err, sizeof err), 0);
	assert_int_equal(count, 2);
	tp_rmtree(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due_rule),
		cmocka_unit_test(test_config_life),
		cmocka_unit_test(test_journal_ocsp_records),
		cmocka_unit_test(test_signer_renews),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
