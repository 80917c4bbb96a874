/* The issuing CA key on a SoftHSM2 token (PKCS#11 via libp11): the key file
 * is removed, issuance and CRLs still work and verify with openssl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/pki.h"
#include "util/config.h"

#define SOFTHSM "/usr/lib/softhsm/libsofthsm2.so"

static char *tmp;
static char cadir[512];

static int setup(void **state)
{
	(void)state;
	char err[256] = "", p[600], *out = NULL;
	tmp = tp_tmpdir();
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	snprintf(p, sizeof p, "%s/softhsm2.conf", tmp);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fprintf(f, "directories.tokendir = %s/tokens\nobjectstore.backend = file\n", tmp);
	fclose(f);
	setenv("SOFTHSM2_CONF", p, 1);
	if (pki_ca_create(cadir, "p256", err, sizeof err) != 0)
		fail_msg("%s", err);
	int rc = tp_sh(&out,
		       "mkdir %s/tokens && softhsm2-util --init-token --free --label eimza "
		       "--pin 1234 --so-pin 5678 >/dev/null && openssl pkcs8 -topk8 -nocrypt "
		       "-in %s/issuing.key -out %s/issuing.p8 && softhsm2-util --import "
		       "%s/issuing.p8 --token eimza --label issuing --id 01 --pin 1234 && "
		       "shred -u %s/issuing.key %s/issuing.p8",
		       tmp, cadir, tmp, tmp, cadir, tmp);
	if (rc != 0)
		fail_msg("softhsm setup: %s", out);
	free(out);
	config_set("ca.pkcs11_module", SOFTHSM);
	config_set("ca.pkcs11_uri", "pkcs11:token=eimza;object=issuing");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_set("ca.pkcs11_module", "");
	tp_rmtree(tmp);
	free(tmp);
	return 0;
}

static void test_wrong_pin(void **state)
{
	(void)state;
	config_set("ca.pkcs11_pin", "9999");
	assert_int_equal(pki_init(cadir), -1);
}

static void test_issue_and_crl_with_token(void **state)
{
	(void)state;
	char err[256] = "", p[600], *out = NULL;
	config_set("ca.pkcs11_pin", "1234");
	snprintf(p, sizeof p, "%s/issuing.key", cadir);
	assert_int_not_equal(access(p, F_OK), 0); /* no key file any more */
	assert_int_equal(pki_init(cadir), 0);
	db *d = tp_open_db(tmp, "pki");
	assert_int_equal(tp_sh(&out,
			       "cd %s && openssl req -new -newkey ec -pkeyopt "
			       "ec_paramgen_curve:P-256 -nodes -keyout a.key -subj /CN=x "
			       "-out a.csr",
			       tmp),
			 0);
	free(out);
	snprintf(p, sizeof p, "%s/a.csr", tmp);
	char *csr = tp_slurp(p, NULL);
	struct pki_issue_req rq = {.csr_pem = csr,
				   .tckn = "10000000146",
				   .given_name = "AYŞE",
				   .surname = "IŞIK",
				   .years = 1};
	struct pki_issued o;
	tp_ok(pki_issue(d, &rq, &o, err, sizeof err), err);
	snprintf(p, sizeof p, "%s/a.der", tmp);
	tp_write(p, o.der, o.der_len);
	assert_int_equal(tp_sh(&out,
			       "openssl x509 -inform DER -in %s/a.der -out %s/a.pem && "
			       "openssl verify -CAfile %s/root.pem -untrusted %s/issuing.pem "
			       "%s/a.pem",
			       tmp, tmp, cadir, cadir, tmp),
			 0);
	assert_non_null(strstr(out, "a.pem: OK"));
	free(out);
	tp_ok(pki_revoke(d, o.serial_hex, PKI_REASON_SUPERSEDED, 0, err, sizeof err), err);
	unsigned char *crl = NULL;
	size_t len = 0;
	int64_t tu, nu, num;
	assert_int_equal(pki_crl_get(d, PKI_CA_ISSUING, &crl, &len, &tu, &nu, &num), 0);
	snprintf(p, sizeof p, "%s/i.crl", tmp);
	tp_write(p, crl, len);
	free(crl);
	assert_int_equal(tp_sh(&out,
			       "openssl crl -inform DER -in %s/i.crl -noout -text -CAfile "
			       "%s/issuing.pem",
			       tmp, cadir),
			 0);
	assert_non_null(strstr(out, "verify OK"));
	assert_non_null(strstr(out, o.serial_hex));
	free(out);
	/* The OCSP responder certificate can be renewed with the token key. */
	assert_int_equal(pki_ca_renew_ocsp(cadir, 1, err, sizeof err), 0);
	assert_int_equal(tp_sh(&out,
			       "openssl verify -CAfile %s/root.pem -untrusted %s/issuing.pem "
			       "%s/ocsp.pem",
			       cadir, cadir, cadir),
			 0);
	free(out);
	pki_issued_free(&o);
	free(csr);
	pki_shutdown();
	db_close(d);
}

int main(void)
{
	if (access(SOFTHSM, R_OK) != 0) {
		fprintf(stderr, "SoftHSM2 not installed: skipped\n");
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrong_pin),
		cmocka_unit_test(test_issue_and_crl_with_token),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
