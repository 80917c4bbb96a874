/* The signer's OCSP responder certificate: renewed in the running signer
 * before it expires, without writing a file (see signer_ocsp.c). */
#ifndef EIMZA_PKI_SIGNER_OCSP_H
#define EIMZA_PKI_SIGNER_OCSP_H

#include <stddef.h>

#include <openssl/x509.h>

#include "pki/journal.h"

enum {
	SIGNER_OCSP_CATCH_UP = 1, /* read the journal first (another signer may have renewed) */
	SIGNER_OCSP_FORCE = 2,	  /* renew even when not due (`eimza ca renew-ocsp`) */
};

/* Makes *cert the responder certificate to sign with: the newest of *cert
 * and the journal's ocsp records for the same key and issuer; then, when
 * it is due (pki_ocsp_cert_due) or with SIGNER_OCSP_FORCE, a new one for
 * the same key signed with issuer_key and journaled. *cert is replaced (the
 * old one freed) only by a certificate that is in the journal. 0, or -1
 * with the reason in err (*cert stays usable). */
int signer_ocsp_refresh(struct journal *j, X509 *issuer, EVP_PKEY *issuer_key, X509 **cert,
			int flags, char *err, size_t n);

/* SHA-256 of cert's DER: the responder generation in SIGN_OCSP replies. */
int signer_ocsp_id(X509 *cert, unsigned char out[32]);

#endif
