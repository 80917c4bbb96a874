/* E-onay: detached CMS signatures made with `openssl cms -sign`. */
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

#define TCKN_A "10000000146"
#define TCKN_B "12345678950"

static char *tmp;
static char cadir[512];
static db *d;
static int64_t a_not_after;

static void issue(const char *name, const char *tckn, char serial_out[81])
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
	issue("a", TCKN_A, NULL);
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
	};
	char p[600], *out = NULL;
	size_t dl, sl;
	snprintf(p, sizeof p, "%s/doc.txt", tmp);
	char *doc = tp_slurp(p, &dl);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char msg[256] = "";
		int rc = tp_sh(&out,
			       "cd %s && openssl cms -sign -binary %s -in %s -signer %s.pem "
			       "-inkey %s.key -out sig.p7s",
			       tmp, rows[i].opts, rows[i].content, rows[i].signer, rows[i].signer);
		if (rc != 0)
			fail_msg("openssl cms: %s", out);
		free(out);
		snprintf(p, sizeof p, "%s/sig.p7s", tmp);
		char *sig = tp_slurp(p, &sl);
		int64_t now = rows[i].when ? a_not_after + 86400 : clock_now();
		rc = pki_verify_eapproval(d, sig, sl, doc, dl, TCKN_A, now, msg, sizeof msg);
		if (rc != rows[i].rc || strstr(msg, rows[i].msg) == NULL)
			fail_msg("row %zu: rc %d msg %s", i, rc, msg);
		free(sig);
	}
	/* Garbage and emptiness. */
	char msg[256];
	assert_int_equal(pki_verify_eapproval(d, "xyz", 3, doc, dl, TCKN_A, clock_now(), msg,
					      sizeof msg),
			 -1);
	assert_non_null(strstr(msg, "okunamadı"));
	assert_int_equal(
		pki_verify_eapproval(d, "", 0, doc, dl, TCKN_A, clock_now(), msg, sizeof msg), -1);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eapproval_table),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
