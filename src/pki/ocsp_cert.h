/* The OCSP responder certificate (id-pkix-ocsp-nocheck): its life, the
 * rule of when it is renewed, and the certificate itself. Shared by
 * `eimza init` (ca.c, the first certificate) and the signer
 * (signer_ocsp.c, every renewal). No file I/O here. */
#ifndef EIMZA_PKI_OCSP_CERT_H
#define EIMZA_PKI_OCSP_CERT_H

#include <stdint.h>

#include <openssl/x509.h>

/* The configured life of a responder certificate in seconds:
 * ca.ocsp_lifetime_minutes when set (tests), else ca.ocsp_days. */
int64_t pki_ocsp_cert_life(void);
/* ca.ocsp_renew_before in seconds (0: renew at half the life). */
int64_t pki_ocsp_cert_renew_before(void);

/* 1 when a responder certificate valid [not_before, not_after] must be
 * renewed at `now`: when it is expired or not yet valid (the clock went
 * back), when less than renew_before seconds remain, or, with renew_before
 * 0 (or not shorter than the certificate's life, which would renew every
 * new certificate at once), when less than half of its life remains. */
int pki_ocsp_cert_due(int64_t now, int64_t not_before, int64_t not_after, int64_t renew_before);

/* A responder certificate for subject_key (a public key) named subject,
 * issued by issuer and signed with issuer_key: serial (20 random bytes),
 * valid from now for life seconds but never past the issuer's notAfter,
 * basicConstraints CA:FALSE, keyUsage digitalSignature and EKU
 * OCSPSigning (both critical), id-pkix-ocsp-nocheck, SKI and AKI.
 * Caller frees; NULL if the issuer has expired or OpenSSL fails. */
X509 *pki_ocsp_cert_make(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *subject_key,
			 const X509_NAME *subject, const unsigned char *serial, size_t serial_len,
			 int64_t now, int64_t life);

#endif
