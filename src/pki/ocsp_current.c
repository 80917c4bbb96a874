/* The OCSP responder certificate on the web side (issue 9).
 *
 * The signer renews the responder certificate while it runs
 * (signer_ocsp.c) and writes no file, so the web process asks it: OCSP_CERT
 * at pki_init, again when the copy here is an hour old, and whenever a
 * SIGN_OCSP reply names (by SHA-256) another certificate than this one, or
 * (at most every DUE_REFETCH_SECONDS) when this copy is itself due for
 * renewal: a cached response never reaches the signer, so without this a
 * busy cache could keep serving a responder certificate near its end. A
 * new certificate drops the pre-signed responses (pki_ocsp_invalidate),
 * which carry the old one. Only a certificate for the same responder key,
 * issued by our issuing CA for OCSPSigning, is taken.
 *
 * pki_ocsp_cert() hands out a borrowed pointer; a replaced certificate is
 * kept until pki_ocsp_cert_clear() (pki_shutdown), since a thread may still
 * be assembling a response with it. Renewals come days apart, so few are
 * kept. */
#include "pki/internal.h"
#include "pki/ocsp_cert.h"
#include "pki/pki.h"
#include "pki/profile.h"
#include "pki/signer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "util/clock.h"
#include "util/log.h"

#define REFETCH_SECONDS 3600
#define DUE_REFETCH_SECONDS 10

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static X509 *current;
static STACK_OF(X509) *retired;
static unsigned char current_id[SIGNER_OCSP_ID_LEN];
static unsigned char keyhash[20];
static int64_t fetched_at, current_not_before, current_not_after;

X509 *pki_ocsp_cert(void)
{
	pthread_mutex_lock(&mu);
	X509 *x = current;
	pthread_mutex_unlock(&mu);
	return x;
}

const unsigned char *pki_ocsp_keyhash(void)
{
	return keyhash; /* set by the first fetch; the key never changes */
}

/* A certificate the responder may sign with: issued (and signed) by our
 * issuing CA, EKU OCSPSigning, the same key as the current one. */
static int acceptable(X509 *x, char *err, size_t n)
{
	X509 *iss = pki_issuing_cert();
	if (iss == NULL || X509_check_issued(iss, x) != X509_V_OK ||
	    X509_verify(x, X509_get0_pubkey(iss)) != 1) {
		snprintf(err, n, "OCSP responder certificate not issued by the issuing CA");
		return -1;
	}
	if (!(X509_get_extension_flags(x) & EXFLAG_XKUSAGE) ||
	    !(X509_get_extended_key_usage(x) & XKU_OCSP_SIGN)) {
		snprintf(err, n, "OCSP responder certificate without OCSPSigning");
		return -1;
	}
	if (current != NULL && EVP_PKEY_eq(X509_get0_pubkey(x), X509_get0_pubkey(current)) != 1) {
		snprintf(err, n, "OCSP responder certificate for another key");
		return -1;
	}
	return 0;
}

/* Makes x (owned) the current certificate; 1 when it replaced another. */
static int install_locked(X509 *x, const unsigned char id[SIGNER_OCSP_ID_LEN])
{
	unsigned int l = 0;
	fetched_at = clock_now();
	if (current != NULL && memcmp(id, current_id, SIGNER_OCSP_ID_LEN) == 0) {
		X509_free(x);
		return 0;
	}
	if (current == NULL)
		X509_pubkey_digest(x, EVP_sha1(), keyhash, &l);
	else if (retired == NULL && (retired = sk_X509_new_null()) == NULL)
		X509_free(current); /* out of memory: nobody may hold it */
	else
		sk_X509_push(retired, current);
	int replaced = current != NULL;
	current = x;
	current_not_before = pki_time(X509_get0_notBefore(x));
	current_not_after = pki_time(X509_get0_notAfter(x));
	memcpy(current_id, id, SIGNER_OCSP_ID_LEN);
	return replaced;
}

/* OCSP_CERT (force: renew now). 0 or -1 (err). */
static int fetch(int force, char *err, size_t n)
{
	unsigned char *der = NULL, id[SIGNER_OCSP_ID_LEN];
	unsigned char one = 1;
	size_t len = 0;
	unsigned int l = 0;
	int rc = -1, replaced = 0;
	if (signer_sign(SIGNER_OCSP_CERT, &one, force ? 1 : 0, &der, &len, err, n) != 0)
		return -1;
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL || p != der + len || !X509_digest(x, EVP_sha256(), id, &l)) {
		snprintf(err, n, "OCSP responder certificate does not parse");
		X509_free(x);
		goto out;
	}
	pthread_mutex_lock(&mu);
	if (acceptable(x, err, n) == 0) {
		replaced = install_locked(x, id);
		rc = 0;
	} else {
		X509_free(x);
	}
	pthread_mutex_unlock(&mu);
	if (replaced) {
		char hex[PKI_SERIAL_HEX_MAX + 1] = "";
		pki_serial_hex(X509_get0_serialNumber(pki_ocsp_cert()), hex);
		log_info("pki: OCSP responder certificate is now %s", hex);
		pki_ocsp_invalidate();
	}
out:
	free(der);
	return rc;
}

int pki_ocsp_cert_fetch(char *err, size_t n)
{
	return fetch(0, err, n);
}

void pki_ocsp_cert_check(const unsigned char *id)
{
	char err[256] = "";
	int64_t now = clock_now();
	pthread_mutex_lock(&mu);
	int stale = current == NULL || now - fetched_at >= REFETCH_SECONDS || now < fetched_at ||
		    (id != NULL && memcmp(id, current_id, SIGNER_OCSP_ID_LEN) != 0) ||
		    (now - fetched_at >= DUE_REFETCH_SECONDS &&
		     pki_ocsp_cert_due(now, current_not_before, current_not_after,
				       pki_ocsp_cert_renew_before()));
	pthread_mutex_unlock(&mu);
	if (stale && fetch(0, err, sizeof err) != 0)
		log_warn("pki: OCSP responder certificate not fetched: %s", err);
}

void pki_ocsp_cert_clear(void)
{
	pthread_mutex_lock(&mu);
	X509_free(current);
	current = NULL;
	sk_X509_pop_free(retired, X509_free);
	retired = NULL;
	memset(keyhash, 0, sizeof keyhash);
	fetched_at = current_not_before = current_not_after = 0;
	pthread_mutex_unlock(&mu);
}

int pki_ca_renew_ocsp(const char *dir, int force, char *err, size_t n)
{
	int started = pki_issuing_cert() == NULL, rc;
	if (started && pki_init(dir) != 0) {
		snprintf(err, n, "SM imzalayıcı başlatılamadı (%s).", dir);
		return -1;
	}
	rc = fetch(force, err, n);
	if (started)
		pki_shutdown();
	return rc;
}
