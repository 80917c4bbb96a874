/* Issuance through the signer, checked with openssl verify / x509 -text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/pki.h"
#include "pki/signer.h"
#include "util/clock.h"

static char *tmp;
static char cadir[512];
static db *d;

#define TCKN "10000000146"

static int setup(void **state)
{
	(void)state;
	char err[256] = "";
	tmp = tp_tmpdir();
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	if (pki_ca_create(cadir, "p256", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(pki_init(cadir), 0);
	d = tp_open_db(tmp, "pki");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pki_shutdown();
	db_close(d);
	tp_rmtree(tmp);
	free(tmp);
	return 0;
}

/* Makes key + CSR with the openssl CLI; returns the CSR PEM (caller frees). */
static char *make_csr(const char *name, const char *newkey)
{
	char *out = NULL, p[600];
	int rc = tp_sh(&out,
		       "cd %s && openssl req -new -newkey %s -nodes -keyout %s.key "
		       "-subj /CN=ignored -out %s.csr",
		       tmp, newkey, name, name);
	if (rc != 0)
		fail_msg("openssl req: %s", out);
	free(out);
	snprintf(p, sizeof p, "%s/%s.csr", tmp, name);
	return tp_slurp(p, NULL);
}

static void write_pem(const char *name, const struct pki_issued *o)
{
	char p[600], *out = NULL;
	snprintf(p, sizeof p, "%s/%s.der", tmp, name);
	tp_write(p, o->der, o->der_len);
	assert_int_equal(tp_sh(&out, "openssl x509 -inform DER -in %s/%s.der -out %s/%s.pem", tmp,
			       name, tmp, name),
			 0);
	free(out);
}

static void test_issue_ec(void **state)
{
	(void)state;
	char err[256] = "", *out = NULL;
	char *csr = make_csr("ayse", "ec -pkeyopt ec_paramgen_curve:P-256");
	struct pki_issue_req rq = {.csr_pem = csr,
				   .tckn = TCKN,
				   .given_name = "AYŞE",
				   .surname = "IŞIK",
				   .years = 2,
				   .application_id = 42,
				   .email = "ayse@example.org"};
	struct pki_issued o;
	int64_t before = clock_now();
	tp_ok(pki_issue(d, &rq, &o, err, sizeof err), err);
	assert_int_equal(strlen(o.serial_hex), 40);
	assert_true(o.not_before >= before && o.not_before <= before + 5);
	/* two calendar years: 730 or 731 days */
	assert_true(o.not_after - o.not_before >= 730 * 86400LL);
	assert_true(o.not_after - o.not_before <= 731 * 86400LL);
	write_pem("ayse", &o);
	assert_int_equal(tp_sh(&out,
			       "openssl verify -CAfile %s/root.pem -untrusted %s/issuing.pem "
			       "%s/ayse.pem",
			       cadir, cadir, tmp),
			 0);
	free(out);
	assert_int_equal(tp_sh(&out,
			       "openssl x509 -in %s/ayse.pem -noout -text "
			       "-nameopt utf8,sep_comma_plus_space",
			       tmp),
			 0);
	static const char *const want[] = {
		"serialNumber=PNOTR-" TCKN,
		"CN=AYŞE IŞIK",
		"GN=AYŞE",
		"SN=IŞIK",
		"C=TR",
		"X509v3 Key Usage: critical\n                Non Repudiation\n",
		"Policy: 2.16.792.1.2.1.1.5.7.1.1",
		"qcStatements",
		"/crl/issuing.crl",
		"OCSP - URI:http://127.0.0.1:8080/ocsp",
		"CA Issuers - URI:http://127.0.0.1:8080/depo/issuing.crt",
		"email:ayse@example.org",
		"X509v3 Authority Key Identifier",
		"X509v3 Subject Key Identifier",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (strstr(out, want[i]) == NULL)
			fail_msg("missing %s in\n%s", want[i], out);
	assert_null(strstr(out, "CA:TRUE"));
	/* a CSR's key: no QCP-n-qscd */
	assert_null(strstr(out, "0.4.0.194112.1.2"));
	free(out);
	/* qcStatements content: compliance, legislation TR, BTK NES, type
	 * esign, PDS (tr, en); no SSCD for a CSR's key. */
	assert_int_equal(tp_sh(&out,
			       "openssl asn1parse -in %s/ayse.pem -strparse $(openssl "
			       "asn1parse -in %s/ayse.pem | grep -A1 'qcStatements' | tail -1 "
			       "| cut -d: -f1)",
			       tmp, tmp),
			 0);
	static const char *const qc[] = {
		"0.4.0.1862.1.1",
		"0.4.0.1862.1.7",
		"2.16.792.1.61.0.1.5070.1.1",
		"0.4.0.1862.1.6",
		"0.4.0.1862.1.6.1",
		"0.4.0.1862.1.5",
		"PRINTABLESTRING   :tr",
		"IA5STRING         :http://127.0.0.1:8080/depo/pds-tr.txt",
		"PRINTABLESTRING   :en",
		"IA5STRING         :http://127.0.0.1:8080/depo/pds-en.txt"};
	for (size_t i = 0; i < sizeof qc / sizeof qc[0]; i++)
		if (strstr(out, qc[i]) == NULL)
			fail_msg("qcStatements lacks %s:\n%s", qc[i], out);
	assert_null(strstr(out, "0.4.0.1862.1.4"));
	free(out);

	/* The person's history. */
	assert_int_equal(pki_cert_list_for_tckn(d, TCKN, NULL, NULL), 1);
	assert_int_equal(pki_cert_list_for_tckn(d, "10000000078", NULL, NULL), 0);

	pki_issued_free(&o);
	free(csr);
}

/* A renewal starts when the current certificate ends. The current one is
 * issued by a signer whose clock is 700 days behind (the signer takes the
 * time when it starts), so that it ends within its renewal window. */
static void test_renewal(void **state)
{
	(void)state;
	char err[256] = "", *out = NULL;
	char *csr = make_csr("renew", "ec -pkeyopt ec_paramgen_curve:P-256");
	struct pki_issue_req rq = {.csr_pem = csr,
				   .tckn = "10000000078",
				   .given_name = "AYŞE",
				   .surname = "IŞIK",
				   .years = 2,
				   .application_id = 42};
	struct pki_issued o, o2;
	clock_set_offset(-700 * 86400LL);
	assert_int_equal(signer_start(cadir), 0);
	tp_ok(pki_issue(d, &rq, &o, err, sizeof err), err);
	clock_set_offset(0);
	assert_int_equal(signer_start(cadir), 0);
	assert_true(o.not_after > clock_now() + 25 * 86400LL);
	assert_true(o.not_after < clock_now() + 35 * 86400LL);

	struct pki_issue_req rn = rq;
	rn.renews = o.serial_hex;
	rn.years = 3;
	rn.application_id = 43;
	rn.application_ref = "2026-000043";
	tp_ok(pki_issue(d, &rn, &o2, err, sizeof err), err);
	assert_int_equal(o2.not_before, o.not_after);
	write_pem("renew1", &o);
	write_pem("renew2", &o2);
	assert_int_equal(tp_sh(&out,
			       "openssl x509 -in %s/renew1.pem -noout -enddate && openssl x509 "
			       "-in %s/renew2.pem -noout -startdate",
			       tmp, tmp),
			 0);
	char *end = strstr(out, "notAfter="), *start = strstr(out, "notBefore=");
	assert_non_null(end);
	assert_non_null(start);
	assert_memory_equal(end + 9, start + 10, 24);
	free(out);
	assert_int_equal(pki_cert_list_for_tckn(d, "10000000078", NULL, NULL), 2);
	assert_string_not_equal(o.serial_hex, o2.serial_hex);

	/* The new one is far from its end: renewing it is refused. */
	pki_issued_free(&o);
	rn.renews = o2.serial_hex;
	assert_int_equal(pki_issue(d, &rn, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "imza birimi isteği reddetti"));
	pki_issued_free(&o2);
	free(csr);
}

static void test_issue_rsa_p384(void **state)
{
	(void)state;
	static const char *const keys[] = {"rsa:2048", "ec -pkeyopt ec_paramgen_curve:P-384"};
	for (size_t i = 0; i < 2; i++) {
		char err[256] = "", name[16], *out = NULL;
		snprintf(name, sizeof name, "k%zu", i);
		char *csr = make_csr(name, keys[i]);
		struct pki_issue_req rq = {.csr_pem = csr,
					   .tckn = TCKN,
					   .given_name = "ALİ",
					   .surname = "ÇELİK",
					   .years = 1};
		struct pki_issued o;
		tp_ok(pki_issue(d, &rq, &o, err, sizeof err), err);
		write_pem(name, &o);
		assert_int_equal(tp_sh(&out,
				       "openssl verify -CAfile %s/root.pem -untrusted "
				       "%s/issuing.pem %s/%s.pem",
				       cadir, cadir, tmp, name),
				 0);
		free(out);
		pki_issued_free(&o);
		free(csr);
	}
}

static void test_refused_csrs(void **state)
{
	(void)state;
	char err[256] = "", *out = NULL, p[600];
	/* RSA 1024 */
	char *csr = make_csr("weak", "rsa:1024");
	struct pki_issue_req rq = {.csr_pem = csr,
				   .tckn = TCKN,
				   .given_name = "A",
				   .surname = "B",
				   .years = 1};
	struct pki_issued o;
	assert_int_equal(pki_issue(d, &rq, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "RSA anahtar uzunluğu"));
	free(csr);

	/* P-521 is not allowed. */
	csr = make_csr("p521", "ec -pkeyopt ec_paramgen_curve:P-521");
	rq.csr_pem = csr;
	assert_int_equal(pki_issue(d, &rq, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "P-256 veya P-384"));
	free(csr);

	/* A broken signature (last byte of the DER flipped): no proof of possession. */
	free(make_csr("bad", "ec -pkeyopt ec_paramgen_curve:P-256"));
	assert_int_equal(tp_sh(&out, "openssl req -in %s/bad.csr -outform DER -out %s/bad.der", tmp,
			       tmp),
			 0);
	free(out);
	snprintf(p, sizeof p, "%s/bad.der", tmp);
	size_t len = 0;
	char *der = tp_slurp(p, &len);
	der[len - 1] ^= 0x01;
	rq.csr_pem = der;
	rq.csr_len = len;
	assert_int_equal(pki_issue(d, &rq, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "imzası doğrulanamadı"));
	der[len - 1] ^= 0x01; /* intact again: accepted */
	tp_ok(pki_issue(d, &rq, &o, err, sizeof err), err);
	pki_issued_free(&o);
	free(der);

	/* Garbage, bad T.C. number, bad term. */
	static const struct {
		const char *csr, *tckn;
		int years;
		const char *msg;
	} rows[] = {
		{"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n", TCKN, 1, "okunamadı"},
		{"\x30\x03\x02\x01\x01", TCKN, 1, "okunamadı"},
		{"x", "12345678901", 1, "geçersiz"},
		{"x", TCKN, 4, "1 ile 3 yıl"},
		{"x", TCKN, 0, "1 ile 3 yıl"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct pki_issue_req b = {.csr_pem = rows[i].csr,
					  .tckn = rows[i].tckn,
					  .given_name = "A",
					  .surname = "B",
					  .years = rows[i].years};
		assert_int_equal(pki_issue(d, &b, &o, err, sizeof err), -1);
		if (strstr(err, rows[i].msg) == NULL)
			fail_msg("row %zu: %s", i, err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_ec),
		cmocka_unit_test(test_renewal),
		cmocka_unit_test(test_issue_rsa_p384),
		cmocka_unit_test(test_refused_csrs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
