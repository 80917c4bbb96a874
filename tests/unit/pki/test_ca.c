/* pki_ca_create / pki_ca_import, checked with the openssl command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/pki.h"

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
	snprintf(p, sizeof p, "%s/issuing.key", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(p, sizeof p, "%s/ocsp.key", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

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
	assert_non_null(strstr(out, "CN=eimza Kök Sertifika Hizmet Sağlayıcı"));
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
	assert_non_null(strstr(out, "CN=eimza Nitelikli Elektronik Sertifika Hizmet Sağlayıcı"));
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

static void test_import(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), src[512], dst[512], a[600], b[600], c[600], err[256] = "";
	char *out = NULL;
	snprintf(src, sizeof src, "%s/src", tmp);
	snprintf(dst, sizeof dst, "%s/dst", tmp);
	assert_int_equal(pki_ca_create(src, "p256", err, sizeof err), 0);
	snprintf(a, sizeof a, "%s/issuing.pem", src);
	snprintf(b, sizeof b, "%s/issuing.key", src);
	snprintf(c, sizeof c, "%s/root.pem", src);
	/* Wrong key for the certificate. */
	char wrong[600];
	snprintf(wrong, sizeof wrong, "%s/ocsp.key", src);
	assert_int_equal(pki_ca_import(dst, a, wrong, c, err, sizeof err), -1);
	assert_non_null(strstr(err, "ait değil"));
	assert_int_equal(pki_ca_import(dst, a, b, c, err, sizeof err), 0);
	assert_int_equal(tp_sh(&out,
			       "openssl verify -CAfile %s/root.pem -untrusted %s/issuing.pem "
			       "%s/ocsp.pem && cmp %s/issuing.pem %s/issuing.pem",
			       dst, dst, dst, src, dst),
			 0);
	free(out);
	assert_int_equal(pki_ca_import(dst, a, b, c, err, sizeof err), -1);
	tp_rmtree(tmp);
	free(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_each_type),
		cmocka_unit_test(test_bad_key_type),
		cmocka_unit_test(test_import),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
