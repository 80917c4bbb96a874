/* CRL generation benchmark: N revoked rows (default 1,000,000; argv[1]),
 * one full CRL, timed; the result is checked with openssl crl. Run with
 * `meson test -C build --benchmark pki_crl_bench` or directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/x509.h>

#include "helpers.h"
#include "pki/der.h"
#include "pki/internal.h"
#include "pki/pki.h"
#include "util/clock.h"

static long rows = 1000000;

#define INS \
	"INSERT INTO certificates (serial_hex, tckn, subject, not_before, not_after, der, " \
	"status, revoked_at, reason, created_at) VALUES ($1, '10000000146', 'x', $2, $3, " \
	"$4, 'revoked', $5, $6, $2)"

static void test_bench(void **state)
{
	(void)state;
	char *tmp = tp_tmpdir(), cadir[512], err[256] = "", *out = NULL, p[600];
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	tp_ok(pki_ca_create(cadir, "p256", err, sizeof err), err);
	assert_int_equal(pki_init(cadir), 0);
	db *d = tp_open_db(tmp, "bench");

	int64_t t0 = clock_mono_us(), now = clock_now();
	assert_int_equal(db_begin(d), DB_OK);
	db_stmt *s = db_prepare(d, INS);
	assert_non_null(s);
	for (long i = 0; i < rows; i++) {
		unsigned char sn[PKI_SERIAL_LEN];
		char hex[2 * PKI_SERIAL_LEN + 1];
		pki_random_serial(sn);
		der_hex(sn, sizeof sn, hex);
		db_bind_text(s, 1, hex);
		db_bind_int64(s, 2, now - 86400);
		db_bind_int64(s, 3, now + 86400 * 365);
		db_bind_blob(s, 4, "x", 1);
		db_bind_int64(s, 5, now - (i % 1000));
		db_bind_int64(s, 6, i % 6);
		assert_int_equal(db_step(s), DB_DONE);
		db_finalize(s);
		s = db_prepare(d, INS);
	}
	db_finalize(s);
	assert_int_equal(db_commit(d), DB_OK);
	int64_t t1 = clock_mono_us();
	tp_ok(pki_crl_generate(d, err, sizeof err), err);
	int64_t t2 = clock_mono_us();

	unsigned char *der = NULL;
	size_t len = 0;
	int64_t tu, nu, num;
	assert_int_equal(pki_crl_get(d, PKI_CA_ISSUING, &der, &len, &tu, &nu, &num), 0);
	int64_t t3 = clock_mono_us();
	const unsigned char *q = der;
	X509_CRL *crl = d2i_X509_CRL(NULL, &q, (long)len);
	assert_non_null(crl);
	assert_int_equal(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)), rows);
	X509_CRL_free(crl);
	int64_t t4 = clock_mono_us();
	snprintf(p, sizeof p, "%s/big.crl", tmp);
	tp_write(p, der, len);
	assert_int_equal(tp_sh(&out,
			       "openssl crl -inform DER -in %s -noout -crlnumber -CAfile "
			       "%s/issuing.pem",
			       p, cadir),
			 0);
	assert_non_null(strstr(out, "verify OK"));
	free(out);
	fprintf(stderr,
		"bench: %ld rows inserted in %.2f s; CRL (%zu bytes) built+signed+stored "
		"in %.2f s; read back in %.2f s; parsed by OpenSSL in %.2f s\n",
		rows, (t1 - t0) / 1e6, len, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
	free(der);
	pki_shutdown();
	db_close(d);
	tp_rmtree(tmp);
	free(tmp);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rows = strtol(argv[1], NULL, 10);
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_bench)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
