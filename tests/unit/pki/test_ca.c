/* pki_ca_create / pki_ca_import, key custody (token, encrypted files,
 * offline root) and the root ceremony, checked with the openssl command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/internal.h"
#include "pki/keystore.h"
#include "pki/pki.h"
#include "util/config.h"

static const struct {
	const char *type;
	const char *expect; /* in `openssl x509 -text` of root.pem */
} key_types[] = {
	{"p256", "prime256v1"},
	{"p384", "secp384r1"},
	{"rsa3072", "Public-Key: (3072 bit)"},
};

static void check_hierarchy(const char *dir, const char *expect_key)
{
	char *out = NULL;
	struct stat st;
	char p[1024];
	/* Keys on the token: no key file, no private key anywhere in dir but
	 * the encrypted root key in dir/offline. */
	snprintf(p, sizeof p, "%s/issuing.key", dir);
	assert_int_not_equal(stat(p, &st), 0);
	snprintf(p, sizeof p, "%s/root.key", dir);
	assert_int_not_equal(stat(p, &st), 0);
	snprintf(p, sizeof p, "%s/token", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(p, sizeof p, "%s/token/pin", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_not_equal(tp_sh(&out, "grep -rlE 'BEGIN (RSA |EC )?PRIVATE KEY' %s", dir), 0);
	free(out);
	assert_int_equal(
		tp_sh(&out, "grep -l 'BEGIN ENCRYPTED PRIVATE KEY' %s/offline/root.key", dir), 0);
	free(out);
	assert_int_equal(
		tp_sh(&out,
		      "openssl pkey -in %s/offline/root.key -passin file:%s/offline/root.pass "
		      "-pubout >%s/k.pub && openssl x509 -in %s/root.pem -pubkey -noout | "
		      "cmp - %s/k.pub && rm %s/k.pub",
		      dir, dir, dir, dir, dir, dir),
		0);
	free(out);

	assert_int_equal(tp_sh(&out, "openssl verify -CAfile %s/root.pem %s/issuing.pem", dir, dir),
			 0);
	free(out);
	assert_int_equal(tp_sh(&out,
			       "openssl verify -purpose ocsphelper -CAfile %s/root.pem "
			       "-untrusted %s/issuing.pem %s/ocsp.pem",
			       dir, dir, dir),
			 0);
	free(out);

	assert_int_equal(tp_sh(&out,
			       "openssl x509 -noout -text -nameopt utf8,sep_comma_plus "
			       "-in %s/root.pem",
			       dir),
			 0);
	assert_non_null(strstr(out, expect_key));
	assert_non_null(strstr(out, "CN=e-İmza Kök Sertifika Hizmet Sağlayıcı"));
	assert_non_null(strstr(out, "X509v3 Basic Constraints: critical\n                CA:TRUE"));
	assert_non_null(strstr(out, "Certificate Sign, CRL Sign"));
	free(out);

	assert_int_equal(tp_sh(&out,
			       "openssl x509 -noout -text -nameopt utf8,sep_comma_plus "
			       "-in %s/issuing.pem",
			       dir),
			 0);
	assert_non_null(strstr(out, "CA:TRUE, pathlen:0"));
	assert_non_null(strstr(out, "/crl/root.crl"));
	assert_non_null(strstr(out, "CN=e-İmza Nitelikli Elektronik Sertifika Hizmet Sağlayıcı"));
	free(out);

	assert_int_equal(tp_sh(&out, "openssl x509 -noout -text -in %s/ocsp.pem", dir), 0);
	assert_non_null(strstr(out, "OCSP Signing"));
	assert_non_null(strstr(out, "OCSP No Check"));
	free(out);

	assert_int_equal(tp_sh(&out,
			       "openssl crl -inform DER -in %s/root.crl -noout -text "
			       "-CAfile %s/root.pem",
			       dir, dir),
			 0);
	assert_non_null(strstr(out, "verify OK"));
	assert_non_null(strstr(out, "No Revoked Certificates"));
	assert_non_null(strstr(out, "X509v3 CRL Number: \n                1"));
	free(out);
}

static void test_create_each_type(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof key_types / sizeof key_types[0]; i++) {
		char *tmp = tp_tmpdir(), dir[512], err[256] = "";
		snprintf(dir, sizeof dir, "%s/ca", tmp);
		tp_ok(pki_ca_create(dir, key_types[i].type, err, sizeof err), err);
		check_hierarchy(dir, key_types[i].expect);
		/* Idempotent: a second create refuses and changes nothing. */
		char p[600];
		snprintf(p, sizeof p, "%s/root.pem", dir);
		char *before = tp_slurp(p, NULL);
		assert_int_equal(pki_ca_create(dir, key_types[i].type, err, sizeof err), -1);
		assert_non_null(strstr(err, "zaten var"));
		char *after = tp_slurp(p, NULL);
		assert_string_equal(before, after);
		free(before);
		free(after);
		tp_rmtree(tmp);
		free(tmp);
	}
}

static void test_bad_key_type(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), dir[512], err[256] = "";
	snprintf(dir, sizeof dir, "%s/ca", tmp);
	assert_int_equal(pki_ca_create(dir, "rsa1024", err, sizeof err), -1);
	assert_non_null(strstr(err, "Anahtar türü geçersiz"));
	tp_rmtree(tmp);
	free(tmp);
}

/* The file keys are encrypted PKCS#8; the passphrase opens them, another
 * does not. */
static void test_file_storage(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), dir[512], p[600], err[256] = "", *out = NULL;
	snprintf(dir, sizeof dir, "%s/ca", tmp);
	struct pki_ca_opts o = {.key_type = "p256", .storage = "file"};
	tp_ok(pki_ca_create_with(dir, &o, err, sizeof err), err);
	assert_int_equal(
		tp_sh(&out,
		      "grep -c 'BEGIN ENCRYPTED PRIVATE KEY' %s/issuing.key %s/ocsp.key && "
		      "openssl pkey -in %s/issuing.key -passin file:%s/keys.pass -pubout "
		      ">%s/k.pub && openssl x509 -in %s/issuing.pem -pubkey -noout | "
		      "cmp - %s/k.pub",
		      dir, dir, dir, dir, tmp, dir, tmp),
		0);
	free(out);
	EVP_PKEY *ik = NULL, *ok = NULL;
	tp_ok(pki_keys_load(dir, &ik, &ok, err, sizeof err), err);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(ok);
	snprintf(p, sizeof p, "%s/other.pass", tmp);
	tp_write(p, "not the passphrase\n", 19);
	config_set("ca.key_passphrase_file", p);
	assert_int_equal(pki_keys_load(dir, &ik, &ok, err, sizeof err), -1);
	assert_non_null(strstr(err, "parola yanlış"));
	config_set("ca.key_passphrase_file", "");
	tp_rmtree(tmp);
	free(tmp);
}

static void test_import(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), src[512], dst[512], a[600], b[600], c[600], err[256] = "";
	char *out = NULL;
	snprintf(src, sizeof src, "%s/src", tmp);
	snprintf(dst, sizeof dst, "%s/dst", tmp);
	struct pki_ca_opts o = {.key_type = "p256", .storage = "file"};
	assert_int_equal(pki_ca_create_with(src, &o, err, sizeof err), 0);
	/* What an operator brings: the issuing key as plain PEM. */
	assert_int_equal(tp_sh(&out,
			       "cd %s && openssl pkey -in issuing.key -passin file:keys.pass -out "
			       "%s/i.pem && openssl pkey -in ocsp.key -passin file:keys.pass -out "
			       "%s/o.pem",
			       src, tmp, tmp),
			 0);
	free(out);
	snprintf(a, sizeof a, "%s/issuing.pem", src);
	snprintf(b, sizeof b, "%s/i.pem", tmp);
	snprintf(c, sizeof c, "%s/root.pem", src);
	/* Wrong key for the certificate. */
	char wrong[600];
	snprintf(wrong, sizeof wrong, "%s/o.pem", tmp);
	assert_int_equal(pki_ca_import(dst, a, wrong, c, err, sizeof err), -1);
	assert_non_null(strstr(err, "ait değil"));
	assert_int_equal(pki_ca_import(dst, a, b, c, err, sizeof err), 0);
	assert_int_equal(tp_sh(&out,
			       "openssl verify -CAfile %s/root.pem -untrusted %s/issuing.pem "
			       "%s/ocsp.pem && cmp %s/issuing.pem %s/issuing.pem && "
			       "grep -q 'BEGIN ENCRYPTED PRIVATE KEY' %s/issuing.key",
			       dst, dst, dst, src, dst, dst),
			 0);
	free(out);
	assert_int_equal(pki_ca_import(dst, a, b, c, err, sizeof err), -1);
	tp_rmtree(tmp);
	free(tmp);
}

/* The offline root key signs the next root CRL and a renewed issuing CA
 * certificate for the same key (what `ca ceremony` does). */
static void test_root_ceremony(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), dir[512], off[512], p[600], q[600], err[256] = "", *out = NULL;
	char pass[KEYS_PASS_MAX], serial[PKI_SERIAL_HEX_MAX + 1];
	long number = 0;
	snprintf(dir, sizeof dir, "%s/ca", tmp);
	snprintf(off, sizeof off, "%s/offline", tmp);
	struct pki_ca_opts o = {.key_type = "p256", .root_out = off};
	tp_ok(pki_ca_create_with(dir, &o, err, sizeof err), err);
	snprintf(p, sizeof p, "%s/offline", dir);
	assert_int_not_equal(access(p, F_OK), 0); /* only where --root-out said */
	snprintf(p, sizeof p, "%s/root.pass", off);
	tp_ok(pki_secret_read(p, pass, sizeof pass, err, sizeof err), err);
	snprintf(q, sizeof q, "%s/root.key", off);
	assert_null(pki_key_read_encrypted(q, "wrong", 0, err, sizeof err));
	EVP_PKEY *rk = pki_key_read_encrypted(q, pass, 0, err, sizeof err);
	assert_non_null(rk);
	tp_ok(pki_ca_root_crl(dir, rk, &number, err, sizeof err), err);
	assert_int_equal(number, 2);
	assert_int_equal(tp_sh(&out,
			       "openssl crl -inform DER -in %s/root.crl -noout -text -CAfile "
			       "%s/root.pem",
			       dir, dir),
			 0);
	assert_non_null(strstr(out, "verify OK"));
	assert_non_null(strstr(out, "X509v3 CRL Number: \n                2"));
	/* AKI, and AIA caIssuers where the root certificate is published. */
	assert_non_null(strstr(out, "X509v3 Authority Key Identifier"));
	assert_non_null(strstr(out, "Authority Information Access"));
	assert_non_null(strstr(out, "CA Issuers - URI:"));
	assert_non_null(strstr(out, "/depo/root.crt"));
	free(out);
	snprintf(p, sizeof p, "%s/issuing.pem", dir);
	char *before = tp_slurp(p, NULL);
	tp_ok(pki_ca_renew_issuing(dir, rk, NULL, NULL, serial, err, sizeof err), err);
	char *after = tp_slurp(p, NULL);
	assert_string_not_equal(before, after);
	assert_int_equal(tp_sh(&out,
			       "openssl verify -CAfile %s/root.pem %s/issuing.pem && "
			       "openssl x509 -in %s/issuing.pem -noout -serial",
			       dir, dir, dir),
			 0);
	assert_non_null(strstr(out, serial));
	free(out);
	/* The signer still loads the token key against the renewed cert. */
	EVP_PKEY *ik = NULL;
	tp_ok(pki_keys_load(dir, &ik, NULL, err, sizeof err), err);
	X509 *x = pki_load_cert(p);
	assert_int_equal(X509_check_private_key(x, ik), 1);
	X509_free(x);
	EVP_PKEY_free(ik);
	pki_keys_close();
	EVP_PKEY_free(rk);
	free(before);
	free(after);
	tp_rmtree(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_each_type), cmocka_unit_test(test_bad_key_type),
		cmocka_unit_test(test_file_storage),	 cmocka_unit_test(test_import),
		cmocka_unit_test(test_root_ceremony),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
