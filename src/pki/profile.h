/* The natural-person qualified certificate profile (Turkish NES: BTK 2012
 * profile, ETSI EN 319 412-2/-5; the table is docs/PROFILE.md):
 * built by the signer from a typed request (signer_issue.h) and checked
 * again (pki_profile_check) before it signs. The web process only builds
 * the expected subject to compare the signed certificate with. */
#ifndef EIMZA_PKI_PROFILE_H
#define EIMZA_PKI_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "util/buf.h"

#define PKI_MAX_VALIDITY (3LL * 366 * 86400 + 86400) /* 3 years + a day of slack */

struct pki_subject {
	const char *tckn, *given_name, *surname, *email; /* email may be NULL */
	int key_on_qscd; /* key generated on a card the CA produced: QcSSCD and
			    QCP-n-qscd (only the card profiles set it) */
};

/* The CSR profile's name for a lifetime of `years` ("qualified-1y"..
 * "-3y"), NULL for a lifetime no profile has. */
const char *pki_profile_name(int years);
/* The card profile's name for `years` ("qualified-card-1y".. "-3y"), NULL
 * for a lifetime no profile has. */
const char *pki_profile_card_name(int years);
/* The lifetime in years of a profile the signer knows, 0 for any other
 * name. */
int pki_profile_years(const char *name);
/* 1 for a card profile ("qualified-card-1y".. "-3y"): a key generated on a
 * card the CA produced, the only profiles that honour KEY_ON_QSCD. */
int pki_profile_is_card(const char *name);

/* The profile's subject: C=TR, CN "given surname", givenName, surname,
 * serialNumber PNOTR-<tckn>. Caller frees. NULL (Turkish err). */
X509_NAME *pki_profile_subject(const struct pki_subject *s, char *err, size_t n);

/* An unsigned certificate of the profile for `pub`, issued by `issuer`
 * whose key signs with `sigalg_key`'s algorithm (its TBS signature field
 * is set). Caller frees. NULL with a message in err. */
X509 *pki_profile_build(EVP_PKEY *pub, const struct pki_subject *s, const unsigned char *serial,
			size_t serial_len, int64_t not_before, int64_t not_after, X509 *issuer,
			char *err, size_t n);

/* Checks a certificate (its TBS part) against the profile and `issuer`.
 * 0, or -1 with the reason (English, for the log) in err. */
int pki_profile_check(X509 *x, X509 *issuer, char *err, size_t n);

/* 1 when x claims its key is on a qualified device (QCP-n-qscd among its
 * policies; pki_profile_check makes QcSSCD go with it), 0 when not. */
int pki_profile_key_on_qscd(X509 *x);

/* Sets the TBS signature AlgorithmIdentifier of x for a signature by key.
 * 0 or -1. */
int pki_set_tbs_sigalg(X509 *x, EVP_PKEY *key);

/* ASN1_TIME to epoch seconds; -1 on error. */
int64_t pki_time(const ASN1_TIME *t);

#endif
