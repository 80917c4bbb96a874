/* The OCSP responder certificate in the running signer (issue 9).
 *
 * The responder certificate (id-pkix-ocsp-nocheck: nobody can check its
 * revocation, so its life is what limits a misuse) lives ca.ocsp_days
 * (default 7) and is renewed by the signer itself while it runs: before
 * each SIGN_OCSP and on each OCSP_CERT the signer asks pki_ocsp_cert_due();
 * when due it issues a new certificate for the same responder key (the key
 * stays where it is, file or token) with the issuing key, appends it to the
 * journal as an `ocsp` record that carries its DER, and signs with it from
 * then on. Nothing but the journal is written, through the descriptor open
 * since start: the signer's sandbox forbids opening a file for writing.
 *
 * Which certificate is current: the newest (by notBefore) of ocsp.pem (the
 * first one, from `eimza init`) and the journal's ocsp records for the same
 * key and issuer. At start that picks the newest renewal without a file of
 * its own; while running, a renewal by another signer of the same CA
 * directory (`eimza ca renew-ocsp`) is adopted the next time this signer
 * reads the journal (under its lock: any signing of a certificate or CRL,
 * each OCSP_CERT). */
#include "pki/signer_ocsp.h"
#include "pki/internal.h"
#include "pki/ocsp_cert.h"
#include "pki/profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "util/clock.h"
#include "util/log.h"

#define FORCE_INTERVAL 60 /* seconds between two forced renewals of one signer */

static int64_t last_forced;
static int64_t rejected_not_before = -1; /* a journal record found unusable */

static int64_t not_before(X509 *x)
{
	return pki_time(X509_get0_notBefore(x));
}

static int due_now(X509 *x, int64_t now)
{
	return pki_ocsp_cert_due(now, not_before(x), pki_time(X509_get0_notAfter(x)),
				 pki_ocsp_cert_renew_before());
}

int signer_ocsp_id(X509 *cert, unsigned char out[32])
{
	unsigned int l = 0;
	return X509_digest(cert, EVP_sha256(), out, &l) == 1 && l == 32 ? 0 : -1;
}

/* Base64 (one line) to a certificate that is exactly those bytes. */
static X509 *from_b64(const char *b64)
{
	size_t len = strlen(b64), pad = 0;
	if (len == 0 || len % 4 != 0 || len > JOURNAL_DER_B64_MAX)
		return NULL;
	unsigned char *der = malloc(len / 4 * 3);
	X509 *x = NULL;
	if (der == NULL)
		return NULL;
	int dl = EVP_DecodeBlock(der, (const unsigned char *)b64, (int)len);
	pad = (size_t)(b64[len - 1] == '=') + (size_t)(b64[len - 2] == '=');
	if (dl > 0 && (size_t)dl > pad) {
		const unsigned char *p = der;
		long l = dl - (long)pad;
		x = d2i_X509(NULL, &p, l);
		if (x != NULL && p != der + l) {
			X509_free(x);
			x = NULL;
		}
	}
	free(der);
	return x;
}

/* The journal's newest responder certificate when it is newer than cur
 * (or, with ties, as new and other bytes), for the same public key and
 * signed by issuer. Caller frees; NULL otherwise. */
static X509 *journal_newer(const struct journal *j, X509 *issuer, X509 *cur, int ties)
{
	int64_t nb = not_before(cur);
	if (j->ocsp_b64 == NULL || j->ocsp_not_before < nb || (j->ocsp_not_before == nb && !ties) ||
	    j->ocsp_not_before == rejected_not_before)
		return NULL;
	X509 *x = from_b64(j->ocsp_b64);
	if (x != NULL && X509_cmp(x, cur) == 0) {
		X509_free(x);
		return NULL;
	}
	if (x == NULL || EVP_PKEY_eq(X509_get0_pubkey(x), X509_get0_pubkey(cur)) != 1 ||
	    X509_check_issued(issuer, x) != X509_V_OK ||
	    X509_verify(x, X509_get0_pubkey(issuer)) != 1) {
		log_warn("signer: the journal's newest OCSP responder certificate is not for this "
			 "responder key and issuer: not used");
		rejected_not_before = j->ocsp_not_before;
		X509_free(x);
		return NULL;
	}
	return x;
}

static void replace(X509 **cert, X509 *x)
{
	X509_free(*cert);
	*cert = x;
}

/* The journal record of a responder certificate: serial, subject,
 * validity, SHA-256 and base64 of the DER. 0 or -1. */
static int ocsp_record(X509 *x, struct journal_rec *r)
{
	unsigned char *der = NULL;
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL;
	int rc = -1, dl = i2d_X509(x, &der);
	memset(r, 0, sizeof *r);
	r->kind = JOURNAL_OCSP;
	if (b == NULL || dl <= 0 || (size_t)(dl + 2) / 3 * 4 >= sizeof r->der_b64 ||
	    pki_serial_hex(X509_get0_serialNumber(x), r->serial_hex) != 0 ||
	    X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) < 0)
		goto out;
	long l = BIO_get_mem_data(b, &s);
	if (l < 0 || (size_t)l >= sizeof r->subject)
		goto out;
	memcpy(r->subject, s, (size_t)l);
	r->not_before = not_before(x);
	r->not_after = pki_time(X509_get0_notAfter(x));
	journal_sha256_hex(der, (size_t)dl, r->sha256);
	EVP_EncodeBlock((unsigned char *)r->der_b64, der, dl);
	rc = 0;
out:
	BIO_free(b);
	OPENSSL_free(der);
	return rc;
}

/* A new certificate for cur's key and subject, journaled (the lock is
 * held). Caller frees; NULL (err). */
static X509 *renew(struct journal *j, X509 *issuer, EVP_PKEY *issuer_key, X509 *cur, int64_t now,
		   char *err, size_t n)
{
	unsigned char serial[PKI_SERIAL_LEN];
	struct journal_rec *r = malloc(sizeof *r);
	X509 *x = NULL;
	pki_random_serial(serial);
	x = pki_ocsp_cert_make(issuer, issuer_key, X509_get0_pubkey(cur),
			       X509_get_subject_name(cur), serial, sizeof serial, now,
			       pki_ocsp_cert_life());
	if (r == NULL || x == NULL) {
		pki_ssl_err(err, n, "OCSP responder certificate not made");
		goto fail;
	}
	if (ocsp_record(x, r) != 0) {
		snprintf(err, n, "OCSP responder certificate not recordable");
		goto fail;
	}
	if (journal_has_serial(j, r->serial_hex)) {
		snprintf(err, n, "serial %s already signed", r->serial_hex);
		goto fail;
	}
	if (journal_append(j, r, err, n) != 0)
		goto fail;
	free(r);
	return x;
fail:
	free(r);
	X509_free(x);
	return NULL;
}

int signer_ocsp_refresh(struct journal *j, X509 *issuer, EVP_PKEY *issuer_key, X509 **cert,
			int flags, char *err, size_t n)
{
	int64_t now = clock_now();
	int force = (flags & SIGNER_OCSP_FORCE) != 0;
	X509 *x;
	if (force && last_forced != 0 && now - last_forced < FORCE_INTERVAL) {
		snprintf(err, n, "OCSP responder certificate renewed less than %d s ago",
			 FORCE_INTERVAL);
		return -1;
	}
	if (flags & SIGNER_OCSP_CATCH_UP) {
		if (journal_lock(j, err, n) != 0)
			return -1;
		journal_unlock(j);
	}
	if ((x = journal_newer(j, issuer, *cert, flags & SIGNER_OCSP_CATCH_UP)) != NULL)
		replace(cert, x);
	if (!force && !due_now(*cert, now))
		return 0;
	/* Under the lock: another signer of this CA may have renewed it. */
	if (journal_lock(j, err, n) != 0)
		return -1;
	if ((x = journal_newer(j, issuer, *cert, 0)) != NULL)
		replace(cert, x);
	if (!force && !due_now(*cert, now)) {
		journal_unlock(j);
		return 0;
	}
	x = renew(j, issuer, issuer_key, *cert, now, err, n);
	journal_unlock(j);
	if (x == NULL)
		return -1;
	replace(cert, x);
	if (force)
		last_forced = now;
	char hex[PKI_SERIAL_HEX_MAX + 1] = "";
	pki_serial_hex(X509_get0_serialNumber(x), hex);
	log_info("signer: OCSP responder certificate %s issued, valid until %lld", hex,
		 (long long)pki_time(X509_get0_notAfter(x)));
	return 0;
}
