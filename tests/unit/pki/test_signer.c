/* The signer process: profile checks before signing, framing limits, exit
 * on unknown operations, no restart after death. Includes signer.c to reach its channel. */
#include "../../../src/pki/signer.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/pki.h"
#include "pki/profile.h"
#include "util/clock.h"

static char *tmp;
static char cadir[512];
static EVP_PKEY *subject_key;

static int setup(void **state)
{
	(void)state;
	char err[256] = "";
	tmp = tp_tmpdir();
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	if (pki_ca_create(cadir, "p384", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(pki_init(cadir), 0);
	subject_key = pki_keygen("p256");
	assert_non_null(subject_key);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pki_shutdown();
	EVP_PKEY_free(subject_key);
	tp_rmtree(tmp);
	free(tmp);
	return 0;
}

enum mutation {
	M_NONE,
	M_CA_TRUE,
	M_KU_DIGSIG,
	M_FIVE_YEARS,
	M_SMALL_SERIAL,
	M_ISSUER,
	M_NO_POLICY,
	M_EKU,
	M_SIGALG,
	M_SUBJECT_O,
	M__MAX
};

/* A profile certificate, mutated, signed through the signer: 0 or -1. */
static int try_sign(enum mutation m, char *err, size_t n)
{
	struct pki_subject s = {"10000000146", "AYŞE", "IŞIK", NULL};
	unsigned char serial[20];
	int64_t now = clock_now();
	pki_random_serial(serial);
	size_t sl = m == M_SMALL_SERIAL ? 4 : sizeof serial;
	int64_t na = now + (m == M_FIVE_YEARS ? 5 : 1) * 365 * 86400LL;
	X509 *x = pki_profile_build(subject_key, &s, serial, sl, now, na, pki_issuing_cert(), err,
				    n);
	assert_non_null(x);
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, pki_issuing_cert(), x, NULL, NULL, 0);
	X509_EXTENSION *e = NULL;
	switch (m) {
	case M_CA_TRUE:
		e = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, "critical,CA:TRUE");
		break;
	case M_KU_DIGSIG:
		X509_EXTENSION_free(X509_delete_ext(x, X509_get_ext_by_NID(x, NID_key_usage, -1)));
		e = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage,
					"critical,nonRepudiation,keyCertSign");
		break;
	case M_ISSUER: X509_set_issuer_name(x, X509_get_subject_name(pki_root_cert())); break;
	case M_NO_POLICY:
		X509_EXTENSION_free(
			X509_delete_ext(x, X509_get_ext_by_NID(x, NID_certificate_policies, -1)));
		break;
	case M_EKU: e = X509V3_EXT_conf_nid(NULL, &ctx, NID_ext_key_usage, "serverAuth"); break;
	case M_SIGALG: {
		X509_ALGOR *a = (X509_ALGOR *)X509_get0_tbs_sigalg(x);
		X509_ALGOR_set0(a, OBJ_nid2obj(NID_ecdsa_with_SHA256), V_ASN1_UNDEF, NULL);
		break;
	}
	case M_SUBJECT_O:
		X509_NAME_add_entry_by_NID(X509_get_subject_name(x), NID_organizationName,
					   MBSTRING_UTF8, (const unsigned char *)"Evil", -1, -1, 0);
		break;
	default: break;
	}
	if (e != NULL) {
		X509_add_ext(x, e, -1);
		X509_EXTENSION_free(e);
	}
	unsigned char *tbs = NULL, *sig = NULL;
	size_t siglen = 0;
	int tl = i2d_re_X509_tbs(x, &tbs);
	assert_true(tl > 0);
	int rc = signer_sign(SIGNER_SIGN_CERT, tbs, (size_t)tl, &sig, &siglen, err, n);
	if (rc == 0)
		assert_true(siglen > 0);
	free(sig);
	OPENSSL_free(tbs);
	X509_free(x);
	return rc;
}

static void test_profile_enforced(void **state)
{
	(void)state;
	static const struct {
		enum mutation m;
		int rc;
		const char *why;
	} rows[] = {
		{M_NONE, 0, ""},
		{M_CA_TRUE, -1, "extensions"},
		{M_KU_DIGSIG, -1, "extensions"},
		{M_FIVE_YEARS, -1, "validity"},
		{M_SMALL_SERIAL, -1, "serial"},
		{M_ISSUER, -1, "issuer"},
		{M_NO_POLICY, -1, "extensions"},
		{M_EKU, -1, "extensions"},
		{M_SIGALG, -1, "algorithm"},
		{M_SUBJECT_O, -1, "subject"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[256] = "";
		int rc = try_sign(rows[i].m, err, sizeof err);
		if (rc != rows[i].rc || strstr(err, rows[i].why) == NULL)
			fail_msg("row %zu: rc %d err '%s'", i, rc, err);
		if (rc != 0)
			assert_non_null(strstr(err, "signer refused"));
	}
}

/* TBSCertList with this CRL number, as crl.c writes it (no entries). */
static void crl_tbs(buf *b, int64_t number, int wrong_issuer)
{
	unsigned char *name = NULL;
	X509 *who = wrong_issuer ? pki_root_cert() : pki_issuing_cert();
	int nl = i2d_X509_NAME(X509_get_subject_name(who), &name);
	buf_reset(b);
	der_put_uint(b, DER_INTEGER, 1);
	pki_sigalg_der(X509_get0_pubkey(pki_issuing_cert()), b);
	buf_append(b, name, (size_t)nl);
	der_put_time(b, clock_now());
	der_put_time(b, clock_now() + 3600);
	size_t e = b->len, x = b->len;
	der_put_oid(b, "2.5.29.20");
	size_t os = b->len;
	der_put_uint(b, DER_INTEGER, (uint64_t)number);
	der_wrap(b, os, DER_OCTET_STRING);
	der_wrap(b, x, DER_SEQUENCE);
	der_wrap(b, e, DER_SEQUENCE);
	der_wrap(b, e, DER_CTX0);
	der_wrap(b, 0, DER_SEQUENCE);
	OPENSSL_free(name);
}

/* The number the signer assigned (the first 8 bytes of its reply). */
static int64_t reply_number(const unsigned char *r)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | r[i];
	return (int64_t)v;
}

/* The signer assigns CRL numbers from its journal: whatever number the
 * request carries, each signed CRL gets the last one + 1, also after a
 * restart; a wrong issuer is refused and uses no number. */
static void test_crl_number_assigned_by_signer(void **state)
{
	(void)state;
	static const struct {
		int64_t asked;
		int wrong_issuer, restart, rc;
	} rows[] = {{5, 0, 0, 0},  {5, 0, 0, 0}, {1, 0, 1, 0},
		    {6, 1, 0, -1}, {0, 0, 0, 0}, {1000, 0, 1, 0}};
	int64_t last = -1;
	buf b;
	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char err[256] = "";
		unsigned char *sig = NULL;
		size_t sl = 0;
		if (rows[i].restart)
			assert_int_equal(signer_start(cadir), 0);
		crl_tbs(&b, rows[i].asked, rows[i].wrong_issuer);
		int rc = signer_sign(SIGNER_SIGN_CRL, b.data, b.len, &sig, &sl, err, sizeof err);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d (%s)", i, rc, err);
		if (rc == 0) {
			assert_true(sl > 8);
			int64_t got = reply_number(sig);
			if (last >= 0 && got != last + 1)
				fail_msg("row %zu: number %lld after %lld", i, (long long)got,
					 (long long)last);
			last = got;
		}
		free(sig);
	}
	buf_free(&b);
}

/* The journal's text (caller frees). */
static char *journal_text(void)
{
	char p[600];
	size_t len = 0;
	snprintf(p, sizeof p, "%s/%s", cadir, JOURNAL_FILE);
	return tp_slurp(p, &len);
}

/* A signed certificate is journaled with the hash of the DER the caller
 * assembles; the same serial is never signed again, even after a restart. */
static void test_cert_journaled_once(void **state)
{
	(void)state;
	struct pki_subject s = {"10000000146", "AYŞE", "IŞIK", NULL};
	unsigned char serial[20], *tbs = NULL, *sig = NULL;
	char err[256] = "", hex[PKI_SERIAL_HEX_MAX + 1], line[512];
	size_t siglen = 0;
	int64_t now = clock_now();
	pki_random_serial(serial);
	X509 *x = pki_profile_build(subject_key, &s, serial, sizeof serial, now,
				    now + 365 * 86400LL, pki_issuing_cert(), err, sizeof err);
	assert_non_null(x);
	int tl = i2d_re_X509_tbs(x, &tbs);
	assert_true(tl > 0);
	assert_int_equal(pki_serial_hex(X509_get0_serialNumber(x), hex), 0);
	if (signer_sign(SIGNER_SIGN_CERT, tbs, (size_t)tl, &sig, &siglen, err, sizeof err) != 0)
		fail_msg("%s", err);
	buf der, alg;
	buf_init(&der, 1 << 16);
	buf_init(&alg, 256);
	pki_sigalg_der(X509_get0_pubkey(pki_issuing_cert()), &alg);
	pki_assemble(&der, tbs, (size_t)tl, alg.data, alg.len, sig, siglen);
	char h[JOURNAL_HASH_HEX + 1];
	journal_sha256_hex(der.data, der.len, h);
	snprintf(line, sizeof line, "cert\t%s\t%lld\t%lld\t%s\t", hex, (long long)now,
		 (long long)(now + 365 * 86400LL), h);
	char *text = journal_text();
	if (strstr(text, line) == NULL)
		fail_msg("no '%s' in:\n%s", line, text);
	free(text);
	free(sig);
	for (int restart = 0; restart < 2; restart++) {
		if (restart)
			assert_int_equal(signer_start(cadir), 0);
		assert_int_equal(signer_sign(SIGNER_SIGN_CERT, tbs, (size_t)tl, &sig, &siglen, err,
					     sizeof err),
				 -1);
		assert_non_null(strstr(err, "already signed"));
	}
	buf_free(&der);
	buf_free(&alg);
	OPENSSL_free(tbs);
	X509_free(x);
}

/* ResponseData naming the responder by this key hash, one good status. */
static void ocsp_tbs(buf *b, const unsigned char *keyhash)
{
	static const unsigned char zeros[20] = {0};
	unsigned char rid[] = {0xa2, 0x16, 0x04, 0x14};
	buf_reset(b);
	buf_append(b, rid, sizeof rid);
	buf_append(b, keyhash, 20);
	der_put_gentime(b, clock_now());
	size_t rs = b->len, one = b->len, cid = b->len, alg = b->len;
	der_put_oid(b, "1.3.14.3.2.26");
	der_put_header(b, DER_NULL, 0);
	der_wrap(b, alg, DER_SEQUENCE);
	der_put_tlv(b, DER_OCTET_STRING, zeros, 20);
	der_put_tlv(b, DER_OCTET_STRING, zeros, 20);
	der_put_uint(b, DER_INTEGER, 1234);
	der_wrap(b, cid, DER_SEQUENCE);
	der_put_header(b, 0x80, 0);
	der_put_gentime(b, clock_now());
	der_wrap(b, one, DER_SEQUENCE);
	der_wrap(b, rs, DER_SEQUENCE);
	der_wrap(b, 0, DER_SEQUENCE);
}

static void test_ocsp_responder_id(void **state)
{
	(void)state;
	static const unsigned char other[20] = {1, 2, 3};
	char err[256] = "";
	unsigned char *sig = NULL;
	size_t sl = 0;
	buf b;
	buf_init(&b, 1 << 16);
	ocsp_tbs(&b, pki_ocsp_keyhash());
	assert_int_equal(signer_sign(SIGNER_SIGN_OCSP, b.data, b.len, &sig, &sl, err, sizeof err),
			 0);
	free(sig);
	ocsp_tbs(&b, pki_issuing_keyhash()); /* the CA itself is not the responder */
	assert_int_equal(signer_sign(SIGNER_SIGN_OCSP, b.data, b.len, &sig, &sl, err, sizeof err),
			 -1);
	assert_non_null(strstr(err, "responder id"));
	ocsp_tbs(&b, other);
	assert_int_equal(signer_sign(SIGNER_SIGN_OCSP, b.data, b.len, &sig, &sl, err, sizeof err),
			 -1);
	buf_free(&b);
}

static void test_garbage_payloads(void **state)
{
	(void)state;
	char err[256];
	unsigned char *sig = NULL;
	size_t sl;
	static const unsigned char junk[] = {0x30, 0x03, 0x02, 0x01, 0x01};
	for (int op = SIGNER_SIGN_CERT; op <= SIGNER_SIGN_OCSP; op++) {
		assert_int_equal(signer_sign((enum signer_op)op, junk, sizeof junk, &sig, &sl, err,
					     sizeof err),
				 -1);
		assert_non_null(strstr(err, "refused"));
		assert_int_equal(signer_sign((enum signer_op)op, "", 0, &sig, &sl, err, sizeof err),
				 -1);
	}
	assert_int_equal(signer_ping(), 0);
}

/* Raw frame straight onto the channel; returns the child's exit status. */
static int child_exit_after(uint32_t op, uint32_t len)
{
	pid_t pid = signer_pid();
	uint32_t h[2] = {htonl(op), htonl(len)};
	siginfo_t si = {0};
	assert_true(pid > 0);
	assert_int_equal(write_all(signer_fd, h, sizeof h), 0);
	/* WNOWAIT: the child stays signer_pid() (reaped by signer_start), as
	 * after a crash. */
	assert_int_equal(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
	return si.si_code == CLD_EXITED ? si.si_status : -1;
}

static int deaths;

static void on_death(void)
{
	deaths++;
}

/* The next call finds the signer gone: it fails, the death is reported
 * once, and the signer is not restarted (only signer_start() starts one). */
static void expect_gone_then_restart(void)
{
	int before = deaths;
	assert_int_equal(signer_ping(), -1);
	assert_int_equal(signer_ping(), -1);
	assert_int_equal(deaths, before + 1);
	assert_int_equal(signer_start(cadir), 0);
	assert_int_equal(signer_ping(), 0);
}

static void test_unknown_op_and_oversize(void **state)
{
	(void)state;
	pid_t first = signer_pid();
	signer_on_death(on_death);
	assert_int_equal(child_exit_after(99, 0), 2);
	expect_gone_then_restart();
	assert_true(signer_pid() > 0 && signer_pid() != first);
	assert_int_equal(child_exit_after(SIGNER_SIGN_CERT, SIGNER_MAX_FRAME + 1), 2);
	expect_gone_then_restart();
	assert_int_equal(child_exit_after(SIGNER_PING, 65), 2);
	expect_gone_then_restart();
	signer_on_death(NULL);
	/* The parent refuses to send oversized requests itself. */
	char err[128];
	unsigned char *sig;
	size_t sl;
	assert_int_equal(signer_sign(SIGNER_SIGN_OCSP, "", SIGNER_MAX_FRAME + 1, &sig, &sl, err,
				     sizeof err),
			 -1);
}

static void test_eof_stops_child(void **state)
{
	(void)state;
	pid_t pid = signer_pid();
	int st = 0;
	close(signer_fd);
	signer_fd = -1;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	signer_child = -1;
	assert_int_equal(signer_start(cadir), 0);
	assert_int_equal(signer_ping(), 0);
}

static void test_parent_has_no_key(void **state)
{
	(void)state;
	/* The parent process never opened a private key file: the only keys in
	 * this process are the test's own subject key. Check the CA key file is
	 * not among our open descriptors and the child's fds are closed. */
	char *out = NULL;
	assert_int_equal(tp_sh(&out, "ls -l /proc/%d/fd | grep -c '\\.key' || true", (int)getpid()),
			 0);
	assert_int_equal(strtol(out, NULL, 10), 0);
	free(out);
	assert_int_equal(tp_sh(&out, "ls /proc/%d/fd | wc -l", (int)signer_pid()), 0);
	/* 0, 1, 2, the channel and the journal it opened itself */
	assert_int_equal(strtol(out, NULL, 10), 5);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_enforced),
		cmocka_unit_test(test_crl_number_assigned_by_signer),
		cmocka_unit_test(test_cert_journaled_once),
		cmocka_unit_test(test_ocsp_responder_id),
		cmocka_unit_test(test_garbage_payloads),
		cmocka_unit_test(test_unknown_op_and_oversize),
		cmocka_unit_test(test_eof_stops_child),
		cmocka_unit_test(test_parent_has_no_key),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
