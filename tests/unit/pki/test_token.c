/* The CA keys on the SoftHSM2 token `init` makes (PKCS#11): generated on
 * the token, no key file; issuance and CRLs work and verify with openssl; a
 * wrong PIN stops the signer; the token named by config works too. */
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
#include "pki/signer.h"
#include "util/config.h"

#define SOFTHSM "/usr/lib/softhsm/libsofthsm2.so"

static char *tmp;
static char cadir[512];

/* `init`'s default: a SoftHSM2 token in cadir/token with the keys made on
 * it. */
static int setup(void **state)
{
	(void)state;
	char err[256] = "";
	tmp = tp_tmpdir();
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	if (pki_ca_create(cadir, "p256", err, sizeof err) != 0)
		fail_msg("%s", err);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_set("ca.pkcs11_module", "");
	config_set("ca.pkcs11_pin", "");
	tp_rmtree(tmp);
	free(tmp);
	return 0;
}

static void test_wrong_pin(void **state)
{
	(void)state;
	config_set("ca.pkcs11_pin", "9999");
	assert_int_equal(pki_init(cadir), -1);
	config_set("ca.pkcs11_pin", "");
}

/* The private keys are on the token, sensitive and never extractable. */
static void test_keys_on_token(void **state)
{
	(void)state;
	char *out = NULL;
	assert_int_equal(tp_sh(&out,
			       "SOFTHSM2_CONF=%s/token/softhsm2.conf pkcs11-tool --module %s "
			       "--list-objects --type privkey --login --pin $(cat %s/token/pin)",
			       cadir, SOFTHSM, cadir),
			 0);
	assert_non_null(strstr(out, "label:      issuing"));
	assert_non_null(strstr(out, "label:      ocsp"));
	assert_non_null(strstr(out, "never extractable"));
	free(out);
	assert_int_not_equal(tp_sh(&out, "grep -rlE 'BEGIN (RSA |EC )?PRIVATE KEY' %s", cadir), 0);
	free(out);
}

static void test_issue_and_crl_with_token(void **state)
{
	(void)state;
	char err[256] = "", p[600], *out = NULL;
	snprintf(p, sizeof p, "%s/issuing.key", cadir);
	assert_int_not_equal(access(p, F_OK), 0); /* no key file */
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

/* A real HSM is a config change: module, URIs and PIN file from the
 * config (here the same SoftHSM2 token, found through SOFTHSM2_CONF). */
static void test_token_from_config(void **state)
{
	(void)state;
	char p[600];
	snprintf(p, sizeof p, "%s/token/softhsm2.conf", cadir);
	setenv("SOFTHSM2_CONF", p, 1);
	snprintf(p, sizeof p, "%s/token/pin", cadir);
	config_set("ca.pkcs11_module", SOFTHSM);
	config_set("ca.pkcs11_uri", "pkcs11:token=eimza-ca;object=issuing");
	config_set("ca.pkcs11_ocsp_uri", "pkcs11:token=eimza-ca;object=ocsp");
	config_set("ca.pkcs11_pin_file", p);
	assert_int_equal(pki_init(cadir), 0);
	assert_int_equal(signer_ping(), 0);
	pki_shutdown();
	config_set("ca.pkcs11_uri", "pkcs11:token=eimza-ca;object=nokey");
	assert_int_equal(pki_init(cadir), -1);
	config_set("ca.pkcs11_module", "");
	config_set("ca.pkcs11_uri", "");
	config_set("ca.pkcs11_ocsp_uri", "");
	config_set("ca.pkcs11_pin_file", "");
}

int main(void)
{
	if (access(SOFTHSM, R_OK) != 0) {
		fprintf(stderr, "SoftHSM2 not installed: skipped\n");
		return 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrong_pin),
		cmocka_unit_test(test_keys_on_token),
		cmocka_unit_test(test_issue_and_crl_with_token),
		cmocka_unit_test(test_token_from_config),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
