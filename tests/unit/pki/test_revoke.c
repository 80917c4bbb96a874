/* Revocation, hold and release, seen through the CRL (openssl crl) and
 * OCSP (openssl ocsp -respin), plus malformed OCSP requests. */
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
#include "util/clock.h"

static char *tmp;
static char cadir[512];
static db *d;
static char serial[4][81]; /* a: stays good, b: revoked, c: held then released,
			    * d: revoked, reason unspecified */

static void issue(int i, const char *name)
{
	char err[256] = "", *out = NULL, p[600];
	assert_int_equal(tp_sh(&out,
			       "cd %s && openssl req -new -newkey ec -pkeyopt "
			       "ec_paramgen_curve:P-256 -nodes -keyout %s.key -subj /CN=x "
			       "-out %s.csr",
			       tmp, name, name),
			 0);
	free(out);
	snprintf(p, sizeof p, "%s/%s.csr", tmp, name);
	char *csr = tp_slurp(p, NULL);
	struct pki_issue_req rq = {.csr_pem = csr,
				   .tckn = "10000000146",
				   .given_name = "AYŞE",
				   .surname = "IŞIK",
				   .years = 1};
	struct pki_issued o;
	tp_ok(pki_issue(d, &rq, &o, err, sizeof err), err);
	memcpy(serial[i], o.serial_hex, sizeof serial[i]);
	snprintf(p, sizeof p, "%s/%s.der", tmp, name);
	tp_write(p, o.der, o.der_len);
	assert_int_equal(tp_sh(&out, "openssl x509 -inform DER -in %s/%s.der -out %s/%s.pem", tmp,
			       name, tmp, name),
			 0);
	free(out);
	pki_issued_free(&o);
	free(csr);
}

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
	issue(0, "a");
	issue(1, "b");
	issue(2, "c");
	issue(3, "d");
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

/* Writes the issuing CRL to tmp/issuing.crl and returns `openssl crl -text`. */
static char *crl_text(void)
{
	unsigned char *der = NULL;
	size_t len = 0;
	int64_t tu, nu, num;
	char p[600], *out = NULL;
	assert_int_equal(pki_crl_get(d, PKI_CA_ISSUING, &der, &len, &tu, &nu, &num), 0);
	assert_true(nu > tu);
	snprintf(p, sizeof p, "%s/issuing.crl", tmp);
	tp_write(p, der, len);
	free(der);
	int rc = tp_sh(&out,
		       "openssl crl -inform DER -in %s/issuing.crl -noout -text -CAfile "
		       "%s/issuing.pem",
		       tmp, cadir);
	if (rc != 0 || strstr(out, "verify OK") == NULL)
		fail_msg("openssl crl: %s", out);
	return out;
}

/* OCSP for cert `name` through pki_ocsp_respond; returns openssl's view. */
static char *ocsp_status(const char *name, const char *extra_req)
{
	char p[600], *out = NULL;
	size_t rl = 0, len = 0;
	unsigned char *resp = NULL;
	struct pki_ocsp_meta meta;
	assert_int_equal(tp_sh(&out, "openssl ocsp -issuer %s/issuing.pem %s -reqout %s/req.der",
			       cadir, extra_req, tmp),
			 0);
	free(out);
	snprintf(p, sizeof p, "%s/req.der", tmp);
	char *req = tp_slurp(p, &rl);
	assert_int_equal(pki_ocsp_respond(d, (unsigned char *)req, rl, &resp, &len, &meta), 0);
	snprintf(p, sizeof p, "%s/%s.ocsp", tmp, name);
	tp_write(p, resp, len);
	free(resp);
	free(req);
	tp_sh(&out,
	      "openssl ocsp -respin %s/%s.ocsp -issuer %s/issuing.pem %s -CAfile "
	      "%s/root.pem -verify_other %s/issuing.pem",
	      tmp, name, cadir, extra_req, cadir, cadir);
	return out;
}

static char *ocsp_of(const char *name)
{
	char extra[600];
	snprintf(extra, sizeof extra, "-no_nonce -cert %s/%s.pem", tmp, name);
	return ocsp_status(name, extra);
}

static void expect(char *out, const char *a, const char *b)
{
	if (strstr(out, a) == NULL || (b != NULL && strstr(out, b) == NULL))
		fail_msg("expected '%s' and '%s' in:\n%s", a, b ? b : "", out);
	free(out);
}

static void test_all_good_first(void **state)
{
	(void)state;
	char *t = crl_text();
	assert_non_null(strstr(t, "No Revoked Certificates"));
	assert_non_null(strstr(t, "X509v3 CRL Number: \n                1"));
	assert_non_null(strstr(t, "X509v3 Authority Key Identifier"));
	free(t);
	expect(ocsp_of("a"), "Response verify OK", "a.pem: good");
	expect(ocsp_of("b"), "Response verify OK", "b.pem: good");
}

static void test_revoke_hold_release(void **state)
{
	(void)state;
	char err[256] = "", line[128];
	/* Cached "good" for b must not survive its revocation. */
	expect(ocsp_of("b"), "b.pem: good", NULL);
	int64_t t0 = clock_mono_us();
	tp_ok(pki_revoke(d, serial[1], PKI_REASON_KEY_COMPROMISE, 0, err, sizeof err), err);
	tp_ok(pki_hold(d, serial[2], err, sizeof err), err);
	char *t = crl_text();
	assert_true(clock_mono_us() - t0 < 1000000); /* visible within a second */
	snprintf(line, sizeof line, "Serial Number: %s", serial[1]);
	assert_non_null(strstr(t, line));
	snprintf(line, sizeof line, "Serial Number: %s", serial[2]);
	assert_non_null(strstr(t, line));
	snprintf(line, sizeof line, "Serial Number: %s", serial[0]);
	assert_null(strstr(t, line));
	assert_non_null(strstr(t, "Key Compromise"));
	assert_non_null(strstr(t, "Certificate Hold"));
	assert_non_null(strstr(t, "X509v3 CRL Number: \n                3"));
	free(t);
	expect(ocsp_of("a"), "a.pem: good", NULL);
	expect(ocsp_of("b"), "b.pem: revoked", "Reason: keyCompromise");
	expect(ocsp_of("c"), "c.pem: revoked", "Reason: certificateHold");

	/* Refusals. */
	assert_int_equal(pki_revoke(d, serial[1], PKI_REASON_SUPERSEDED, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "zaten iptal"));
	assert_int_equal(pki_release_hold(d, serial[0], err, sizeof err), -1);
	assert_non_null(strstr(err, "askıda değil"));
	assert_int_equal(pki_revoke(d, "00FF", 1, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "bulunamadı"));
	assert_int_equal(pki_revoke(d, serial[0], 7, 0, err, sizeof err), -1);

	/* Release: c leaves the CRL and is good again. */
	tp_ok(pki_release_hold(d, serial[2], err, sizeof err), err);
	t = crl_text();
	snprintf(line, sizeof line, "Serial Number: %s", serial[2]);
	assert_null(strstr(t, line));
	free(t);
	expect(ocsp_of("c"), "c.pem: good", NULL);

	/* The person's history shows the states. */
	struct pki_cert_summary;
	assert_int_equal(pki_cert_list_for_tckn(d, "10000000146", NULL, NULL), 4);
}

static void test_ocsp_unknown_nonce_malformed(void **state)
{
	(void)state;
	char extra[1400];
	/* Unknown serial of our issuer. */
	expect(ocsp_status("u", "-no_nonce -serial 0x0123456789ABCDEF"), "Response verify OK",
	       ": unknown");
	/* Another CA's certificate: we are not its responder (unauthorized). */
	char *out = NULL, err[256] = "", other[600];
	snprintf(other, sizeof other, "%s/other", tmp);
	tp_ok(pki_ca_create(other, "p256", err, sizeof err), err);
	snprintf(extra, sizeof extra, "-no_nonce -issuer %s/issuing.pem -cert %s/ocsp.pem", other,
		 other);
	assert_int_equal(tp_sh(&out, "openssl ocsp %s -reqout %s/req2.der", extra, tmp), 0);
	free(out);
	char p[600];
	size_t rl, len;
	unsigned char *resp;
	struct pki_ocsp_meta meta;
	snprintf(p, sizeof p, "%s/req2.der", tmp);
	char *req = tp_slurp(p, &rl);
	assert_int_equal(pki_ocsp_respond(d, (unsigned char *)req, rl, &resp, &len, &meta), 0);
	free(req);
	assert_int_equal(len, 5);
	assert_memory_equal(resp, "\x30\x03\x0a\x01\x06", 5);
	assert_int_equal(meta.cacheable, 0);
	snprintf(p, sizeof p, "%s/other.ocsp", tmp);
	tp_write(p, resp, len);
	free(resp);
	tp_sh(&out, "openssl ocsp -respin %s/other.ocsp -resp_text", tmp);
	expect(out, "unauthorized", NULL);

	/* A nonce is echoed in a freshly signed response. */
	snprintf(extra, sizeof extra, "-cert %s/a.pem", tmp);
	assert_int_equal(tp_sh(&out, "openssl ocsp -issuer %s/issuing.pem %s -reqout %s/rn.der",
			       cadir, extra, tmp),
			 0);
	free(out);
	snprintf(p, sizeof p, "%s/rn.der", tmp);
	req = tp_slurp(p, &rl);
	assert_int_equal(pki_ocsp_respond(d, (unsigned char *)req, rl, &resp, &len, &meta), 0);
	assert_int_equal(meta.cacheable, 0);
	free(req);
	snprintf(p, sizeof p, "%s/rn.ocsp", tmp);
	tp_write(p, resp, len);
	free(resp);
	assert_int_equal(tp_sh(&out,
			       "openssl ocsp -reqin %s/rn.der -respin %s/rn.ocsp -resp_text "
			       "-CAfile %s/root.pem -verify_other %s/issuing.pem",
			       tmp, tmp, cadir, cadir),
			 0);
	if (strstr(out, "OCSP Nonce") == NULL || strstr(out, "Response verify OK") == NULL)
		fail_msg("%s", out);
	assert_null(strstr(out, "WARNING"));
	free(out);

	/* Malformed requests: malformedRequest, never a crash. */
	static const struct {
		const char *bytes;
		size_t len;
	} bad[] = {
		{"", 0},
		{"\x30", 1},
		{"\x30\x00", 2},
		{"\x30\x03\x30\x01\x00", 5},
		{"hello world", 11},
		{"\x30\x84\xff\xff\xff\xff", 6},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(pki_ocsp_respond(d, (const unsigned char *)bad[i].bytes,
						  bad[i].len, &resp, &len, &meta),
				 0);
		assert_int_equal(len, 5);
		assert_memory_equal(resp, "\x30\x03\x0a\x01\x01", 5);
		snprintf(p, sizeof p, "%s/bad.ocsp", tmp);
		tp_write(p, resp, len);
		free(resp);
		tp_sh(&out, "openssl ocsp -respin %s/bad.ocsp -resp_text", tmp);
		expect(out, "malformedrequest", NULL);
	}
}

/* One SingleResponse per CertID, in order, up to PKI_OCSP_MAX_CERTIDS;
 * one more is malformedRequest. */
static void test_ocsp_several_certids(void **state)
{
	(void)state;
	char extra[8192];
	size_t n = 0;
	n += (size_t)snprintf(extra + n, sizeof extra - n,
			      "-no_nonce -cert %s/a.pem -cert %s/b.pem", tmp, tmp);
	n += (size_t)snprintf(extra + n, sizeof extra - n, " -serial 0x0123456789ABCDEF");
	char *out = ocsp_status("several", extra);
	if (strstr(out, "Response verify OK") == NULL || strstr(out, "a.pem: good") == NULL ||
	    strstr(out, "b.pem: revoked") == NULL ||
	    strstr(out, "0x0123456789ABCDEF: unknown") == NULL)
		fail_msg("%s", out);
	free(out);
	for (int extra_ids = 0; extra_ids < 2; extra_ids++) {
		n = (size_t)snprintf(extra, sizeof extra, "-no_nonce");
		for (int i = 0; i < PKI_OCSP_MAX_CERTIDS + extra_ids; i++)
			n += (size_t)snprintf(extra + n, sizeof extra - n, " -serial 0x%04X",
					      i + 1);
		out = ocsp_status(extra_ids ? "toomany" : "max", extra);
		if (extra_ids == 0 && strstr(out, "0x0014: unknown") == NULL)
			fail_msg("%s", out);
		if (extra_ids == 1 && strstr(out, "malformedrequest") == NULL)
			fail_msg("%s", out);
		free(out);
	}
}

/* unspecified is published neither as a CRL reasonCode nor as an OCSP
 * revocationReason; the revocation time is the same in both. */
static void test_unspecified_omitted(void **state)
{
	(void)state;
	char err[256] = "", line[128];
	static const struct {
		int reason, published;
	} rows[] = {{0, 0}, {1, 1}, {2, 1}, {3, 1},  {4, 1},  {5, 1}, {6, 1},
		    {7, 0}, {8, 0}, {9, 1}, {10, 1}, {11, 0}, {-1, 0}};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (pki_reason_published(rows[i].reason) != rows[i].published)
			fail_msg("reason %d", rows[i].reason);
	tp_ok(pki_revoke(d, serial[3], PKI_REASON_UNSPECIFIED, 1700000000, err, sizeof err), err);
	char *t = crl_text();
	snprintf(line, sizeof line, "Serial Number: %s", serial[3]);
	char *entry = strstr(t, line);
	assert_non_null(entry);
	char *next = strstr(entry + 1, "Serial Number:");
	char *sig = strstr(entry, "Signature Algorithm");
	char *end = next && next < sig ? next : sig;
	char *reason = strstr(entry, "CRL Reason Code");
	assert_true(reason == NULL || reason > end);
	char *when = strstr(entry, "Revocation Date: Nov 14 22:13:20 2023 GMT");
	assert_true(when != NULL && when < end);
	assert_non_null(strstr(t, "Authority Information Access"));
	assert_non_null(strstr(t, "CA Issuers - URI:"));
	assert_non_null(strstr(t, "/depo/issuing.crt"));
	free(t);
	char *o = ocsp_of("d");
	if (strstr(o, "d.pem: revoked") == NULL || strstr(o, "Reason:") != NULL ||
	    strstr(o, "Revocation Time: Nov 14 22:13:20 2023 GMT") == NULL)
		fail_msg("%s", o);
	free(o);
}

static void test_ocsp_cache(void **state)
{
	(void)state;
	char *out = NULL, p[600];
	size_t rl, l1, l2;
	unsigned char *r1, *r2;
	struct pki_ocsp_meta m1, m2;
	assert_int_equal(tp_sh(&out,
			       "openssl ocsp -issuer %s/issuing.pem -cert %s/a.pem -no_nonce "
			       "-reqout %s/rc.der",
			       cadir, tmp, tmp),
			 0);
	free(out);
	snprintf(p, sizeof p, "%s/rc.der", tmp);
	char *req = tp_slurp(p, &rl);
	pki_ocsp_invalidate();
	assert_int_equal(pki_ocsp_respond(d, (unsigned char *)req, rl, &r1, &l1, &m1), 0);
	assert_int_equal(pki_ocsp_respond(d, (unsigned char *)req, rl, &r2, &l2, &m2), 0);
	/* ECDSA signatures differ each time: equal bytes prove the cache. */
	assert_int_equal(l1, l2);
	assert_memory_equal(r1, r2, l1);
	assert_string_equal(m1.etag, m2.etag);
	assert_int_equal(m1.cacheable, 1);
	assert_true(m1.next_update > m1.this_update);
	free(r2);
	pki_ocsp_invalidate();
	assert_int_equal(pki_ocsp_respond(d, (unsigned char *)req, rl, &r2, &l2, &m2), 0);
	assert_true(l1 != l2 || memcmp(r1, r2, l1) != 0);
	free(r1);
	free(r2);
	free(req);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_good_first),
		cmocka_unit_test(test_revoke_hold_release),
		cmocka_unit_test(test_ocsp_unknown_nonce_malformed),
		cmocka_unit_test(test_ocsp_several_certids),
		cmocka_unit_test(test_unspecified_omitted),
		cmocka_unit_test(test_ocsp_cache),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
