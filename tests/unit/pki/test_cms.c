/* E-onay: detached CMS signatures made with `openssl cms -sign`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "helpers.h"
#include "pki/internal.h"
#include "pki/pki.h"
#include "util/clock.h"

#define TCKN_A "10000000146"
#define TCKN_B "12345678950"

static char *tmp;
static char cadir[512];
static db *d;
static int64_t a_not_after;
static char a_serial[81];

static void issue_key(const char *name, const char *tckn, const char *newkey, char serial_out[81])
{
	char err[256] = "", *out = NULL, p[600];
	assert_int_equal(tp_sh(&out,
			       "cd %s && openssl req -new -newkey %s -nodes -keyout %s.key "
			       "-subj /CN=x -out %s.csr",
			       tmp, newkey, name, name),
			 0);
	free(out);
	snprintf(p, sizeof p, "%s/%s.csr", tmp, name);
	char *csr = tp_slurp(p, NULL);
	struct pki_issue_req rq = {.csr_pem = csr,
				   .tckn = tckn,
				   .given_name = "AYŞE",
				   .surname = "IŞIK",
				   .years = 1};
	struct pki_issued o;
	tp_ok(pki_issue(d, &rq, &o, err, sizeof err), err);
	if (serial_out)
		memcpy(serial_out, o.serial_hex, 81);
	a_not_after = o.not_after;
	snprintf(p, sizeof p, "%s/%s.der", tmp, name);
	tp_write(p, o.der, o.der_len);
	assert_int_equal(tp_sh(&out, "openssl x509 -inform DER -in %s/%s.der -out %s/%s.pem", tmp,
			       name, tmp, name),
			 0);
	free(out);
	pki_issued_free(&o);
	free(csr);
}

static void issue(const char *name, const char *tckn, char serial_out[81])
{
	issue_key(name, tckn, "ec -pkeyopt ec_paramgen_curve:P-256", serial_out);
}

static int setup(void **state)
{
	(void)state;
	char err[256] = "", serial[81], *out = NULL, p[600];
	tmp = tp_tmpdir();
	snprintf(cadir, sizeof cadir, "%s/ca", tmp);
	if (pki_ca_create(cadir, "p384", err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(pki_init(cadir), 0);
	d = tp_open_db(tmp, "pki");
	issue("revoked", TCKN_A, serial);
	tp_ok(pki_revoke(d, serial, PKI_REASON_KEY_COMPROMISE, 0, err, sizeof err), err);
	issue("held", TCKN_A, serial);
	tp_ok(pki_hold(d, serial, err, sizeof err), err);
	issue("b", TCKN_B, NULL);
	issue_key("rsa", TCKN_A, "rsa:2048", NULL);
	issue("a", TCKN_A, a_serial);
	snprintf(p, sizeof p, "%s/doc.txt", tmp);
	tp_write(p, "Başvuru formu 42\n", strlen("Başvuru formu 42\n"));
	snprintf(p, sizeof p, "%s/other.txt", tmp);
	tp_write(p, "Başvuru formu 43\n", strlen("Başvuru formu 43\n"));
	assert_int_equal(tp_sh(&out,
			       "cd %s && openssl req -x509 -newkey ec -pkeyopt "
			       "ec_paramgen_curve:P-256 -nodes -keyout self.key -subj "
			       "/serialNumber=PNOTR-%s -out self.pem -days 30",
			       tmp, TCKN_A),
			 0);
	free(out);
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

static void test_eapproval_table(void **state)
{
	(void)state;
	static const struct {
		const char *signer, *content, *opts;
		int64_t when; /* 0: now; 1: after a's notAfter */
		int rc;
		const char *msg;
	} rows[] = {
		{"a", "doc.txt", "-outform DER", 0, 0, "doğrulandı"},
		{"a", "doc.txt", "-outform PEM", 0, 0, "doğrulandı"},
		{"a", "doc.txt", "-outform DER -nocerts", 0, 0, "doğrulandı"},
		{"a", "other.txt", "-outform DER", 0, -1,
		 "İmza bu başvurunun belgesi üzerinde değil."},
		{"revoked", "doc.txt", "-outform DER", 0, -1, "İmzalayan sertifika iptal edilmiş."},
		{"held", "doc.txt", "-outform DER", 0, -1, "askıya alınmış"},
		{"b", "doc.txt", "-outform DER", 0, -1, "İmzalayan sertifika size ait değil."},
		{"self", "doc.txt", "-outform DER", 0, -1,
		 "İmzalayan sertifika bu SM tarafından verilmemiş."},
		{"a", "doc.txt", "-outform DER -nodetach", 0, -1, "okunamadı"},
		{"a", "doc.txt", "-outform DER", 1, -1, "geçerli değil"},
		/* Weak digests (digestAlgorithm and the signature's hash). */
		{"a", "doc.txt", "-outform DER -md sha1", 0, -1, "zayıf ya da tanınmayan"},
		{"rsa", "doc.txt", "-outform DER -md md5", 0, -1, "zayıf ya da tanınmayan"},
		{"rsa", "doc.txt", "-outform DER -md sha1", 0, -1, "zayıf ya da tanınmayan"},
		{"rsa", "doc.txt", "-outform DER -md sha512", 0, 0, "doğrulandı"},
		{"rsa", "doc.txt", "-outform DER -keyopt rsa_padding_mode:pss", 0, 0, "doğrulandı"},
		{"rsa", "doc.txt", "-outform DER -md sha1 -keyopt rsa_padding_mode:pss", 0, -1,
		 "zayıf ya da tanınmayan"},
		{"a", "doc.txt", "-outform DER -md sha384", 0, 0, "doğrulandı"},
		/* No signed attributes: no signingTime. */
		{"a", "doc.txt", "-outform DER -noattr", 0, -1, "signingTime"},
	};
	char p[600], *out = NULL;
	size_t dl, sl;
	snprintf(p, sizeof p, "%s/doc.txt", tmp);
	char *doc = tp_slurp(p, &dl);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char msg[256] = "";
		int rc = tp_sh(&out,
			       "cd %s && openssl cms -sign -binary -in %s -signer %s.pem "
			       "-inkey %s.key -out sig.p7s %s",
			       tmp, rows[i].content, rows[i].signer, rows[i].signer, rows[i].opts);
		if (rc != 0)
			fail_msg("openssl cms: %s", out);
		free(out);
		snprintf(p, sizeof p, "%s/sig.p7s", tmp);
		char *sig = tp_slurp(p, &sl);
		int64_t now = rows[i].when ? a_not_after + 86400 : clock_now();
		rc = pki_verify_eapproval(d, sig, sl, doc, dl, TCKN_A, now, NULL, msg, sizeof msg);
		if (rc != rows[i].rc || strstr(msg, rows[i].msg) == NULL)
			fail_msg("row %zu: rc %d msg %s", i, rc, msg);
		free(sig);
	}
	/* Garbage and emptiness. */
	char msg[256];
	assert_int_equal(pki_verify_eapproval(d, "xyz", 3, doc, dl, TCKN_A, clock_now(), NULL, msg,
					      sizeof msg),
			 -1);
	assert_non_null(strstr(msg, "okunamadı"));
	assert_int_equal(pki_verify_eapproval(d, "", 0, doc, dl, TCKN_A, clock_now(), NULL, msg,
					      sizeof msg),
			 -1);
	free(doc);
}

/* Signs doc.txt as `a` with the clock moved by `shift` (faketime) and
 * verifies it now. */
static int signed_with_clock(const char *shift, char *msg, size_t n,
			     struct pki_eapproval_report *rep)
{
	char p[600], *out = NULL;
	size_t dl, sl;
	if (tp_sh(&out,
		  "cd %s && faketime -f %s openssl cms -sign -binary -outform DER -in doc.txt "
		  "-signer a.pem -inkey a.key -out sig.p7s",
		  tmp, shift) != 0)
		fail_msg("faketime openssl cms: %s", out);
	free(out);
	snprintf(p, sizeof p, "%s/doc.txt", tmp);
	char *doc = tp_slurp(p, &dl);
	snprintf(p, sizeof p, "%s/sig.p7s", tmp);
	char *sig = tp_slurp(p, &sl);
	int rc = pki_verify_eapproval(d, sig, sl, doc, dl, TCKN_A, clock_now(), rep, msg, n);
	free(doc);
	free(sig);
	return rc;
}

/* signingTime must lie inside the certificate's validity and not ahead of
 * now; an accepted signature's report names certificate, digest and times. */
static void test_eapproval_signing_time_and_report(void **state)
{
	(void)state;
	char msg[256] = "";
	struct pki_eapproval_report rep;
	assert_int_equal(signed_with_clock("-400d", msg, sizeof msg, &rep), -1);
	assert_string_equal(msg, "İmza zamanında imzalayan sertifika geçerli değildi.");
	assert_int_equal(signed_with_clock("+1d", msg, sizeof msg, &rep), -1);
	assert_non_null(strstr(msg, "ileri bir tarih"));
	int64_t before = clock_now();
	assert_int_equal(signed_with_clock("+0", msg, sizeof msg, &rep), 0);
	assert_string_equal(rep.serial_hex, a_serial);
	assert_string_equal(rep.digest, "SHA-256");
	assert_string_equal(rep.signer, "AYŞE IŞIK");
	assert_true(rep.signing_time >= before - 2 && rep.signing_time <= clock_now() + 2);
	assert_true(rep.checked_at >= before && rep.checked_at <= clock_now());
}

static void test_eapproval_digest_and_key_rules(void **state)
{
	(void)state;
	static const struct {
		int nid, ok;
	} digests[] = {{NID_sha256, 1}, {NID_sha384, 1}, {NID_sha512, 1}, {NID_sha1, 0},
		       {NID_md5, 0},	{NID_sha224, 0}, {NID_undef, 0}};
	for (size_t i = 0; i < sizeof digests / sizeof digests[0]; i++)
		if (pki_eapproval_digest_ok(digests[i].nid) != digests[i].ok)
			fail_msg("digest %d", digests[i].nid);
	static const struct {
		const char *type, *param;
		unsigned bits;
		int ok;
	} keys[] = {
		{"RSA", NULL, 1024, 0},	 {"RSA", NULL, 2048, 1}, {"EC", "P-256", 0, 1},
		{"EC", "P-384", 0, 1},	 {"EC", "P-521", 0, 0},	 {"EC", "secp256k1", 0, 0},
		{"ED25519", NULL, 0, 0},
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		EVP_PKEY *k = keys[i].bits ? EVP_PKEY_Q_keygen(NULL, NULL, keys[i].type,
							       (size_t)keys[i].bits)
			      : keys[i].param
				      ? EVP_PKEY_Q_keygen(NULL, NULL, keys[i].type, keys[i].param)
				      : EVP_PKEY_Q_keygen(NULL, NULL, keys[i].type);
		assert_non_null(k);
		if (pki_eapproval_key_ok(k) != keys[i].ok)
			fail_msg("key row %zu", i);
		EVP_PKEY_free(k);
	}
	assert_int_equal(pki_eapproval_key_ok(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eapproval_table),
		cmocka_unit_test(test_eapproval_signing_time_and_report),
		cmocka_unit_test(test_eapproval_digest_and_key_rules),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
