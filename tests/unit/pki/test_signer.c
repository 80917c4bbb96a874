/* The signer process: certificates it builds itself from typed requests
 * (ISSUE_CERT, probed with raw frames as a compromised web process would
 * send them), CRL numbers, OCSP responder id, framing limits, exit on
 * unknown operations, no restart after death. Includes signer.c to reach
 * its channel. */
#include "../../../src/pki/signer.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "helpers.h"
#include "pki/pki.h"
#include "pki/profile.h"
#include "util/clock.h"

#include <openssl/pem.h>

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
	static const enum signer_op ops[] = {SIGNER_SIGN_CRL, SIGNER_SIGN_OCSP, SIGNER_ISSUE_CERT};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		enum signer_op op = ops[i];
		assert_int_equal(signer_sign(op, junk, sizeof junk, &sig, &sl, err, sizeof err),
				 -1);
		assert_non_null(strstr(err, "refused"));
		assert_int_equal(signer_sign(op, "", 0, &sig, &sl, err, sizeof err), -1);
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

/* After the signer exited: it is not restarted by a call (issue 9), so the
 * test starts a new one as serve's supervisor would. */
static void restart_signer(void)
{
	assert_int_equal(signer_ping(), -1);
	signer_stop();
	assert_int_equal(signer_start(cadir), 0);
	assert_int_equal(signer_ping(), 0);
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
	assert_int_equal(child_exit_after(SIGNER_SIGN_OCSP, SIGNER_MAX_FRAME + 1), 2);
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

/* ---- ISSUE_CERT, probed as a compromised web process would ---- */

#define HOLDER "10000000146"
#define OTHER "10000000078"

/* One raw frame on the signer's channel and its reply (the framing
 * functions, no client-side checks). 0 OK, 1 refused (reason in *out), -1
 * the channel broke. *out: caller frees. */
static int probe(uint32_t op, const void *p, size_t len, unsigned char **out, size_t *outlen)
{
	return roundtrip_locked(op, p, len, out, outlen);
}

/* A PKCS#10 for subject_key, DER (caller frees with OPENSSL_free). */
static unsigned char *csr_der(EVP_PKEY *key, int *len)
{
	X509_REQ *r = X509_REQ_new();
	unsigned char *der = NULL;
	assert_non_null(r);
	X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(r), "CN", MBSTRING_ASC,
				   (const unsigned char *)"ignored", -1, -1, 0);
	assert_int_equal(X509_REQ_set_pubkey(r, key), 1);
	assert_true(X509_REQ_sign(r, key, EVP_sha256()) > 0);
	*len = i2d_X509_REQ(r, &der);
	assert_true(*len > 0);
	X509_REQ_free(r);
	return der;
}

/* A well-formed request for the holder (renews may be NULL). */
static void request(buf *b, const char *profile, const char *tckn, const char *renews)
{
	int len;
	unsigned char *csr = csr_der(subject_key, &len);
	struct issue_msg m = {.csr = csr, .csr_len = (size_t)len};
	snprintf(m.profile, sizeof m.profile, "%s", profile);
	snprintf(m.tckn, sizeof m.tckn, "%s", tckn);
	snprintf(m.given_name, sizeof m.given_name, "AYŞE");
	snprintf(m.surname, sizeof m.surname, "IŞIK");
	snprintf(m.app_ref, sizeof m.app_ref, "2026-000001");
	snprintf(m.renews, sizeof m.renews, "%s", renews ? renews : "");
	buf_reset(b);
	assert_int_equal(issue_msg_encode(&m, b), 0);
	OPENSSL_free(csr);
}

/* Appends one raw field (any tag, any length). */
static void raw_field(buf *b, unsigned tag, const void *v, size_t len)
{
	unsigned char h[3] = {(unsigned char)tag, (unsigned char)(len >> 8), (unsigned char)len};
	buf_append(b, h, 3);
	buf_append(b, v, len);
}

/* Issues through the channel; returns the certificate (caller frees) or
 * NULL with the refusal in err. */
static X509 *issue(const buf *req, char *err, size_t n)
{
	unsigned char *out = NULL;
	size_t len = 0;
	X509 *x = NULL;
	int rc = probe(SIGNER_ISSUE_CERT, req->data, req->len, &out, &len);
	if (rc == 0) {
		const unsigned char *p = out;
		x = d2i_X509(NULL, &p, (long)len);
		assert_non_null(x);
		assert_ptr_equal(p, out + len);
	} else {
		snprintf(err, n, "%s", rc == 1 ? (char *)out : "channel broke");
	}
	free(out);
	return x;
}

static char *serial_of(X509 *x)
{
	static char hex[PKI_SERIAL_HEX_MAX + 1];
	assert_int_equal(pki_serial_hex(X509_get0_serialNumber(x), hex), 0);
	return hex;
}

/* The profile's extensions, exactly: these and no others, each once. */
static void assert_profile_exts(X509 *x)
{
	static const char *const want[] = {
		"2.5.29.15",	     /* keyUsage */
		"2.5.29.32",	     /* certificatePolicies */
		"1.3.6.1.5.5.7.1.3", /* qcStatements */
		"2.5.29.31",	     /* cRLDistributionPoints */
		"1.3.6.1.5.5.7.1.1", /* authorityInfoAccess */
		"2.5.29.35",	     /* authorityKeyIdentifier */
		"2.5.29.14",	     /* subjectKeyIdentifier */
	};
	char oid[64];
	assert_int_equal(X509_get_ext_count(x), (int)(sizeof want / sizeof want[0]));
	for (int i = 0; i < X509_get_ext_count(x); i++) {
		OBJ_obj2txt(oid, sizeof oid, X509_EXTENSION_get_object(X509_get_ext(x, i)), 1);
		assert_string_equal(oid, want[i]);
	}
	assert_int_equal(X509_get_key_usage(x), KU_NON_REPUDIATION);
	assert_int_equal(X509_check_ca(x), 0);
	CERTIFICATEPOLICIES *cp = X509_get_ext_d2i(x, NID_certificate_policies, NULL, NULL);
	assert_non_null(cp);
	/* A CSR's key: the NES policy only, no QCP-n-qscd (test_profile.c
	 * compares every value). */
	assert_int_equal(sk_POLICYINFO_num(cp), 1);
	OBJ_obj2txt(oid, sizeof oid, sk_POLICYINFO_value(cp, 0)->policyid, 1);
	assert_string_equal(oid, "2.16.792.1.2.1.1.5.7.1.1");
	CERTIFICATEPOLICIES_free(cp);
}

/* openssl verify with the chain, at the certificate's own start time. */
static void assert_openssl_verifies(X509 *x, const char *name)
{
	char p[600], *out = NULL;
	snprintf(p, sizeof p, "%s/%s.pem", tmp, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
	int rc = tp_sh(
		&out,
		"openssl verify -attime %lld -CAfile %s/root.pem -untrusted %s/issuing.pem "
		"%s && openssl x509 -in %s -noout -text | grep -c 'URI:http://127.0.0.1:8080/'",
		(long long)pki_time(X509_get0_notBefore(x)) + 1, cadir, cadir, p, p);
	if (rc != 0 || strstr(out, ": OK") == NULL)
		fail_msg("openssl verify: %s", out);
	/* CRL DP, OCSP and caIssuers: the configured URL, nothing else */
	assert_non_null(strstr(out, "OK\n3\n"));
	free(out);
}

/* A valid request: the signer chooses everything but the holder and key;
 * notBefore is now; the extensions are the profile's; openssl accepts it;
 * it is journaled with the hash of the returned DER. */
static void test_issue_valid(void **state)
{
	(void)state;
	char err[256] = "", line[256];
	buf b;
	buf_init(&b, ISSUE_MSG_MAX);
	request(&b, "qualified-1y", HOLDER, NULL);
	int64_t before = clock_now();
	X509 *x = issue(&b, err, sizeof err);
	if (x == NULL)
		fail_msg("refused: %s", err);
	int64_t nb = pki_time(X509_get0_notBefore(x)), na = pki_time(X509_get0_notAfter(x));
	assert_true(nb >= before - 300 && nb <= clock_now());
	assert_true(na - nb >= 365 * 86400LL && na - nb <= 366 * 86400LL);
	assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(x), subject_key), 1);
	char *subj = X509_NAME_oneline(X509_get_subject_name(x), NULL, 0);
	assert_string_equal(subj, "/C=TR/CN=AY\\xC5\\x9EE I\\xC5\\x9EIK/GN=AY\\xC5\\x9EE"
				  "/SN=I\\xC5\\x9EIK/serialNumber=PNOTR-" HOLDER);
	OPENSSL_free(subj);
	assert_profile_exts(x);
	assert_int_equal(pki_profile_check(x, pki_issuing_cert(), err, sizeof err), 0);
	assert_openssl_verifies(x, "valid");

	unsigned char *der = NULL;
	int dl = i2d_X509(x, &der);
	char h[JOURNAL_HASH_HEX + 1];
	journal_sha256_hex(der, (size_t)dl, h);
	snprintf(line, sizeof line, "cert\t%s\t%lld\t%lld\t%s\t", serial_of(x), (long long)nb,
		 (long long)na, h);
	char *text = journal_text();
	if (strstr(text, line) == NULL)
		fail_msg("no '%s' in:\n%s", line, text);
	free(text);
	OPENSSL_free(der);
	/* The same request again: another serial. */
	X509 *y = issue(&b, err, sizeof err);
	assert_non_null(y);
	assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(x), X509_get0_serialNumber(y)),
			     0);
	X509_free(y);
	X509_free(x);
	buf_free(&b);
}

/* Requests no web process may get signed. */
static void test_issue_refused(void **state)
{
	(void)state;
	enum {
		R_UNKNOWN_PROFILE,
		R_PROFILE_CHARSET,
		R_BAD_TCKN,
		R_BAD_CSR_SIG,
		R_CSR_TRAILING,
		R_WEAK_KEY,
		R_TRAILING_BYTE,
		R_TRAILING_FIELD,
		R_LONG_NAME,
		R_CONTROL_NAME,
		R_TRUNCATED,
		R_REPEATED,
		R_NO_CSR,
		R_BAD_REF,
		R_RENEWS_LOWER,
		R__MAX
	};
	static const char *const why[R__MAX] = {
		[R_UNKNOWN_PROFILE] = "unknown profile",
		[R_PROFILE_CHARSET] = "field profile is not valid",
		[R_BAD_TCKN] = "field tckn is not valid",
		[R_BAD_CSR_SIG] = "CSR signature does not verify",
		[R_CSR_TRAILING] = "CSR does not parse",
		[R_WEAK_KEY] = "key policy",
		[R_TRAILING_BYTE] = "truncated field header",
		[R_TRAILING_FIELD] = "unknown field 10",
		[R_LONG_NAME] = "field given name has 129 bytes",
		[R_CONTROL_NAME] = "field surname is not valid",
		[R_TRUNCATED] = "field csr truncated",
		[R_REPEATED] = "repeated or out of order",
		[R_NO_CSR] = "field csr missing",
		[R_BAD_REF] = "field application reference is not valid",
		[R_RENEWS_LOWER] = "field renewed serial is not valid",
	};
	int csr_len;
	unsigned char *csr = csr_der(subject_key, &csr_len);
	EVP_PKEY *weak = EVP_RSA_gen(1024);
	int weak_len;
	unsigned char *weak_csr = csr_der(weak, &weak_len);
	char long_name[130];
	memset(long_name, 'A', 129);
	long_name[129] = '\0';
	buf b;
	buf_init(&b, 2 * ISSUE_MSG_MAX);
	for (int r = 0; r < R__MAX; r++) {
		char err[256] = "";
		const char *profile = r == R_UNKNOWN_PROFILE   ? "qualified-5y"
				      : r == R_PROFILE_CHARSET ? "Qualified-1y"
							       : "qualified-1y";
		buf_reset(&b);
		raw_field(&b, ISSUE_F_PROFILE, profile, strlen(profile));
		raw_field(&b, ISSUE_F_TCKN, r == R_BAD_TCKN ? "10000000147" : HOLDER, 11);
		if (r == R_LONG_NAME)
			raw_field(&b, ISSUE_F_GIVEN_NAME, long_name, 129);
		else
			raw_field(&b, ISSUE_F_GIVEN_NAME, "AYŞE", strlen("AYŞE"));
		if (r == R_REPEATED)
			raw_field(&b, ISSUE_F_GIVEN_NAME, "ALİ", strlen("ALİ"));
		raw_field(&b, ISSUE_F_SURNAME, r == R_CONTROL_NAME ? "IŞ\nIK" : "IŞIK",
			  strlen("IŞIK") + (r == R_CONTROL_NAME));
		if (r == R_BAD_CSR_SIG) {
			csr[csr_len - 1] ^= 1;
			raw_field(&b, ISSUE_F_CSR, csr, (size_t)csr_len);
			csr[csr_len - 1] ^= 1;
		} else if (r == R_CSR_TRAILING) {
			unsigned char h[3] = {ISSUE_F_CSR, (unsigned char)((csr_len + 1) >> 8),
					      (unsigned char)(csr_len + 1)};
			buf_append(&b, h, 3);
			buf_append(&b, csr, (size_t)csr_len);
			buf_append(&b, "", 1);
		} else if (r == R_WEAK_KEY) {
			raw_field(&b, ISSUE_F_CSR, weak_csr, (size_t)weak_len);
		} else if (r == R_TRUNCATED) {
			raw_field(&b, ISSUE_F_CSR, csr, (size_t)csr_len);
			b.len -= 1; /* the length says one byte more than is there */
		} else if (r != R_NO_CSR) {
			raw_field(&b, ISSUE_F_CSR, csr, (size_t)csr_len);
		}
		if (r == R_BAD_REF)
			raw_field(&b, ISSUE_F_APP_REF, "2026/1", 6);
		if (r == R_RENEWS_LOWER)
			raw_field(&b, ISSUE_F_RENEWS, "0a1b", 4);
		if (r == R_TRAILING_BYTE)
			buf_append(&b, "", 1);
		if (r == R_TRAILING_FIELD)
			raw_field(&b, 10, "x", 1);
		X509 *x = issue(&b, err, sizeof err);
		if (x != NULL || strstr(err, why[r]) == NULL)
			fail_msg("row %d: %s, refusal '%s'", r, x ? "signed" : "refused", err);
	}
	/* Over the operation's limit: the signer exits without reading it. */
	assert_int_equal(child_exit_after(SIGNER_ISSUE_CERT, ISSUE_MSG_MAX + 1), 2);
	restart_signer();
	buf_free(&b);
	OPENSSL_free(csr);
	OPENSSL_free(weak_csr);
	EVP_PKEY_free(weak);
}

/* Old SIGN_CERT (op 2) with a real TBSCertificate is an unknown operation
 * now: the signer exits (status 2) without signing anything. */
static void test_old_sign_cert_gone(void **state)
{
	(void)state;
	struct pki_subject s = {HOLDER, "AYŞE", "IŞIK", NULL, 0};
	unsigned char serial[20], *tbs = NULL;
	char err[256] = "";
	pki_random_serial(serial);
	X509 *x = pki_profile_build(subject_key, &s, serial, sizeof serial, clock_now(),
				    clock_now() + 86400, pki_issuing_cert(), err, sizeof err);
	assert_non_null(x);
	int tl = i2d_re_X509_tbs(x, &tbs);
	assert_true(tl > 0);
	pid_t pid = signer_pid();
	int st = 0;
	/* The child exits on the header; writing the TBS after it may fail. */
	(void)send_frame(signer_fd, 2, tbs, (size_t)tl);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	signer_child = -1;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	/* and the client refuses to send it at all */
	unsigned char *sig = NULL;
	size_t sl = 0;
	assert_int_equal(
		signer_sign((enum signer_op)2, tbs, (size_t)tl, &sig, &sl, err, sizeof err), -1);
	assert_null(sig);
	signer_stop();
	assert_int_equal(signer_start(cadir), 0);
	assert_int_equal(signer_ping(), 0);
	OPENSSL_free(tbs);
	X509_free(x);
}

/* Renewals: only of a journaled certificate of the same holder, inside
 * its renewal window; the new one starts at the old one's notAfter. */
static void test_renewals(void **state)
{
	(void)state;
	char err[256] = "";
	buf b;
	buf_init(&b, ISSUE_MSG_MAX);
	/* A certificate issued 340 days ago (by a signer whose clock was
	 * then): it ends in about 25 days. */
	clock_set_offset(-340 * 86400LL);
	assert_int_equal(signer_start(cadir), 0);
	request(&b, "qualified-1y", HOLDER, NULL);
	X509 *old = issue(&b, err, sizeof err);
	clock_set_offset(0);
	assert_int_equal(signer_start(cadir), 0);
	assert_non_null(old);
	char old_serial[PKI_SERIAL_HEX_MAX + 1];
	snprintf(old_serial, sizeof old_serial, "%s", serial_of(old));
	/* A certificate issued now: far from its end. */
	request(&b, "qualified-1y", HOLDER, NULL);
	X509 *fresh = issue(&b, err, sizeof err);
	assert_non_null(fresh);

	static const struct {
		const char *tckn;
		int which; /* 0: unknown serial, 1: old, 2: fresh */
		const char *why;
	} rows[] = {
		{HOLDER, 0, "is not in the journal"},
		{HOLDER, 2, "outside its renewal window"},
		{OTHER, 1, "belongs to another holder"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *serial = rows[i].which == 0	  ? "0123456789ABCDEF0123"
				     : rows[i].which == 1 ? old_serial
							  : serial_of(fresh);
		request(&b, "qualified-3y", rows[i].tckn, serial);
		X509 *x = issue(&b, err, sizeof err);
		if (x != NULL || strstr(err, rows[i].why) == NULL)
			fail_msg("row %zu: %s '%s'", i, x ? "signed" : "refused", err);
	}

	/* The holder's own, inside the window: starts when the old one ends. */
	request(&b, "qualified-3y", HOLDER, old_serial);
	X509 *renewed = issue(&b, err, sizeof err);
	if (renewed == NULL)
		fail_msg("renewal refused: %s", err);
	assert_int_equal(ASN1_TIME_compare(X509_get0_notBefore(renewed), X509_get0_notAfter(old)),
			 0);
	assert_profile_exts(renewed);
	assert_openssl_verifies(renewed, "renewed");
	X509_free(renewed);
	X509_free(fresh);
	X509_free(old);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_valid),
		cmocka_unit_test(test_issue_refused),
		cmocka_unit_test(test_old_sign_cert_gone),
		cmocka_unit_test(test_renewals),
		cmocka_unit_test(test_crl_number_assigned_by_signer),
		cmocka_unit_test(test_ocsp_responder_id),
		cmocka_unit_test(test_garbage_payloads),
		cmocka_unit_test(test_unknown_op_and_oversize),
		cmocka_unit_test(test_eof_stops_child),
		cmocka_unit_test(test_parent_has_no_key),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
