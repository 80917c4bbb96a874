/* ISSUE_CERT in the signer: the signer builds each end-entity certificate
 * itself from a typed request (issue_msg.h). The request names a profile
 * the signer knows, the holder (T.C. Kimlik No, given name, surname,
 * optional e-mail), a PKCS#10 request whose self-signature proves
 * possession of the key (only its public key is used), the application
 * reference, and for a renewal the serial of the renewed certificate.
 * Serial, validity, subject and every extension come from the signer's
 * profile and configuration; nothing else of the web process reaches the
 * TBSCertificate. */
#ifndef EIMZA_PKI_SIGNER_ISSUE_H
#define EIMZA_PKI_SIGNER_ISSUE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pki/journal.h"

/* What the signer lends ISSUE_CERT: the issuing CA, its key, its journal,
 * and how to sign bytes with the key (signer.c's, token keys included). */
struct signer_issue_ctx {
	EVP_PKEY *ca_key;
	X509 *ca;
	struct journal *journal;
	int (*sign)(EVP_PKEY *key, X509 *cert, const unsigned char *tbs, size_t len,
		    unsigned char **sig, size_t *siglen);
	/* 1 only in a signer serving `eimza card produce` (signer.h,
	 * signer_set_card_client; ca.card_clients for the service): the
	 * only client whose key is known to be generated on a card. */
	int card_client;
};

/* Parses and checks the request, builds the certificate, checks it against
 * the profile, and under the journal's lock: checks a renewal against the
 * journal, draws a serial never journaled, signs, journals (fsync). On
 * success *der is the signed certificate (caller frees with free()).
 * -1 with the refusal's reason (English) in err. now: the signer's clock. */
int signer_issue_cert(const struct signer_issue_ctx *c, const unsigned char *msg, size_t len,
		      int64_t now, unsigned char **der, size_t *der_len, char *err, size_t n);

#endif
