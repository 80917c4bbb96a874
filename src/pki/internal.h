/* Helpers shared by the files of src/pki (not for other modules). */
#ifndef EIMZA_PKI_INTERNAL_H
#define EIMZA_PKI_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/buf.h"

#define PKI_SERIAL_LEN 20
#define PKI_SERIAL_HEX_MAX 80 /* hex of a serial we accept (<= 39 bytes) */
#define PKI_OID_QCSTATEMENTS "1.3.6.1.5.5.7.1.3"
#define PKI_OID_QCP_N_QSCD "0.4.0.194112.1.2"

/* Writes "dir/name" into out; -1 if it does not fit. */
int pki_path(char *out, size_t n, const char *dir, const char *name);
/* PEM certificate / private key from a file; NULL if unreadable (caller
 * frees with X509_free / EVP_PKEY_free). */
X509 *pki_load_cert(const char *path);
EVP_PKEY *pki_load_key(const char *path);
/* The signature algorithm eimza uses with this key: RSA -> sha256WithRSA,
 * P-256 -> ecdsa-with-SHA256, P-384 -> ecdsa-with-SHA384. 0 or -1. */
int pki_sigalg(EVP_PKEY *key, int *nid, int *ptype, const EVP_MD **md);
/* DER AlgorithmIdentifier of pki_sigalg() appended to out. */
int pki_sigalg_der(EVP_PKEY *key, buf *out);
/* 20 random bytes, top bit clear, first byte non-zero (a positive 159-bit
 * INTEGER that always encodes in 20 bytes). */
void pki_random_serial(unsigned char out[PKI_SERIAL_LEN]);
/* Upper-case hex of a positive INTEGER's magnitude (no leading zero bytes),
 * the key of the certificates table. -1 for negative / oversized. */
int pki_serial_hex(const ASN1_INTEGER *a, char out[PKI_SERIAL_HEX_MAX + 1]);
/* SEQUENCE { tbs, alg, BIT STRING sig } appended to out. */
void pki_assemble(buf *out, const void *tbs, size_t tbslen, const void *alg, size_t alglen,
		  const void *sig, size_t siglen);
/* Writes `data` to path atomically (tmp file + rename) with `mode`. */
int pki_write_file(const char *path, const void *data, size_t len, int mode);
/* Reads a whole file (at most max bytes); caller frees. NULL on error. */
unsigned char *pki_read_file(const char *path, size_t max, size_t *len);
/* The key types of CA keys, as `ca create --key-type` and ca.key_type name
 * them (RSA-2048 for relying parties and HSMs that need it; see
 * docs/PROFILE.md on the move to 3072). */
#define PKI_KEY_TYPES "rsa2048, rsa3072, rsa4096, p256, p384"
/* Generates a key of one of PKI_KEY_TYPES. NULL otherwise. */
EVP_PKEY *pki_keygen(const char *type);
/* 0 if type is one pki_keygen knows, else -1. */
int pki_keygen_type_ok(const char *type);
/* Writes a certificate PEM (0644), replacing any file. */
int pki_write_cert(const char *path, X509 *x);
/* Checks a subject public key against the key policy (RSA min..8192 bits,
 * EC P-256/P-384). 0 ok; -1 with a Turkish message in err. */
int pki_key_policy(EVP_PKEY *k, char *err, size_t n);
/* Adds certificatePolicies (non-critical) with these policy OIDs. */
int pki_add_policies(X509 *x, const char *const *oids, size_t count);
/* Formats the OpenSSL error queue tail into err (and clears the queue). */
void pki_ssl_err(char *err, size_t n, const char *what);

/* ---- CA files with a key in hand (ca.c) ---- */

/* Signs the next root CRL (number + 1, valid a year) with the root key,
 * which must match dir/root.pem, and writes dir/root.crl. */
int pki_ca_root_crl(const char *dir, EVP_PKEY *root_key, long *number, char *err, size_t n);
/* New issuing CA certificate (10 years) signed by the root key for
 * `subject` (NULL: the public key of the current issuing.pem), written to
 * out_path (NULL: dir/issuing.pem); its serial (hex) into serial. */
int pki_ca_renew_issuing(const char *dir, EVP_PKEY *root_key, EVP_PKEY *subject,
			 const char *out_path, char serial[PKI_SERIAL_HEX_MAX + 1], char *err,
			 size_t n);

/* Parent-side state (pki.c): certificates only, never a CA private key. */
X509 *pki_root_cert(void);
X509 *pki_issuing_cert(void);
X509 *pki_ocsp_cert(void);
const char *pki_ca_dir(void);
/* SHA-1 of the issuing CA's / OCSP responder's subjectPublicKey bits. */
const unsigned char *pki_issuing_keyhash(void);
const unsigned char *pki_ocsp_keyhash(void);
/* The OCSP responder certificate from the signer (ocsp_current.c):
 * pki_ocsp_cert() is the current one (valid until pki_shutdown, also after
 * a renewal); _fetch asks the signer (OCSP_CERT), 0 or -1 (err); _check
 * fetches when the copy is an hour old or due for renewal or id (the
 * SHA-256 prefix of a SIGN_OCSP reply, or NULL) names another certificate;
 * _clear forgets. */
int pki_ocsp_cert_fetch(char *err, size_t n);
void pki_ocsp_cert_check(const unsigned char *id);
void pki_ocsp_cert_clear(void);
/* e-onay's pure parts (cms.c): a digest (NID) it accepts (SHA-256/384/512)
 * and a signing key (RSA >= 2048, EC P-256/P-384). 1 or 0. */
int pki_eapproval_digest_ok(int md_nid);
int pki_eapproval_key_ok(EVP_PKEY *k);

/* <ca.public_url>/depo/<file>: the caIssuers URL of a CRL (and of the
 * certificates the CA issues). 0, or -1 when it does not fit. */
#define PKI_URL_MAX 1024
/* Bounds of ca.crl_hours (31 days) and ca.root_crl_days (10 years). */
#define PKI_CRL_HOURS_MAX 744
#define PKI_ROOT_CRL_DAYS_MAX 3650
int pki_crl_issuers_url(char *url, size_t n, const char *file);
/* Appends an authorityInfoAccess extension (caIssuers url) to b. */
void pki_crl_put_aia(buf *b, const char *url);
/* crlExtensions [0] { SEQUENCE { AKI (the issuer's SKI), AIA (caIssuers
 * <ca.public_url>/depo/issuing.crt), CRL number } } appended to b: the web
 * side and the signer build the same bytes. */
void pki_crl_exts(buf *b, X509 *issuer, int64_t number);

/* Adds the extension nid with an openssl-config value ("critical,...") to x.
 * 0 or -1. */
int pki_add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value);

#endif
