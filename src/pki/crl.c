/* Full v2 CRLs of the issuing CA, built by streaming over the revoked rows
 * into one DER buffer (no per-entry OpenSSL objects), signed by the signer,
 * stored in crl_state. The root CRL is a file signed offline (ca.c). */
#include "pki/der.h"
#include "pki/internal.h"
#include "pki/pki.h"
#include "pki/profile.h"
#include "pki/signer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define CRL_MAX (512u << 20)

static pthread_mutex_t crl_mu = PTHREAD_MUTEX_INITIALIZER;

/* reasonCode entry extension, complete (a code pki_reason_published
 * allows: unspecified is omitted, as RFC 5280 5.3.1 asks, and the OCSP
 * responder omits it likewise). */
static void put_reason_ext(buf *b, int reason)
{
	unsigned char e[] = {0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55,
			     0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01, (unsigned char)reason};
	buf_append(b, e, sizeof e);
}

/* Appends one revokedCertificates entry. */
static int put_entry(buf *b, const char *serial_hex, int64_t when, int reason)
{
	unsigned char sn[PKI_SERIAL_HEX_MAX / 2];
	int sl = der_unhex(serial_hex, sn, sizeof sn);
	if (sl <= 0)
		return -1;
	size_t start = b->len;
	der_put_uint_bytes(b, sn, (size_t)sl);
	der_put_time(b, when);
	if (pki_reason_published(reason))
		put_reason_ext(b, reason);
	der_wrap(b, start, DER_SEQUENCE);
	return 0;
}

/* Streams the revoked and held rows; returns the entry count or -1. */
static long put_revoked(db *d, buf *b)
{
	long count = 0;
	int r;
	size_t start = b->len;
	db_stmt *s = db_prepare(d, "SELECT serial_hex, revoked_at, reason FROM certificates "
				   "WHERE status IN ('revoked', 'hold')");
	if (s == NULL)
		return -1;
	while ((r = db_step(s)) == DB_ROW) {
		int reason = db_col_is_null(s, 2) ? 0 : (int)db_col_int64(s, 2);
		if (put_entry(b, db_col_text(s, 0), db_col_int64(s, 1), reason) != 0) {
			log_warn("pki: CRL skips malformed serial %s", db_col_text(s, 0));
			continue;
		}
		count++;
	}
	db_finalize(s);
	if (r != DB_DONE)
		return -1;
	if (count > 0)
		der_wrap(b, start, DER_SEQUENCE);
	return count;
}

/* authorityInfoAccess with one caIssuers URI (RFC 5280 5.2.7). */
void pki_crl_put_aia(buf *b, const char *url)
{
	size_t e = b->len, os, all, ad;
	der_put_oid(b, "1.3.6.1.5.5.7.1.1");
	os = b->len;
	all = b->len;
	ad = b->len;
	der_put_oid(b, "1.3.6.1.5.5.7.48.2");
	der_put_tlv(b, 0x86, url, strlen(url)); /* [6] uniformResourceIdentifier */
	der_wrap(b, ad, DER_SEQUENCE);
	der_wrap(b, all, DER_SEQUENCE);
	der_wrap(b, os, DER_OCTET_STRING);
	der_wrap(b, e, DER_SEQUENCE);
}

int pki_crl_issuers_url(char *url, size_t n, const char *file)
{
	const char *base = config_get("ca.public_url");
	int l = snprintf(url, n, "%s/depo/%s", base ? base : "", file);
	return l > 0 && (size_t)l < n ? 0 : -1;
}

void pki_crl_exts(buf *b, X509 *issuer, int64_t number)
{
	size_t all = b->len, e, os;
	char url[PKI_URL_MAX];
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(issuer);
	if (ski != NULL) {
		e = b->len;
		der_put_oid(b, "2.5.29.35");
		os = b->len;
		size_t seq = b->len;
		der_put_tlv(b, 0x80, ASN1_STRING_get0_data(ski), (size_t)ASN1_STRING_length(ski));
		der_wrap(b, seq, DER_SEQUENCE);
		der_wrap(b, os, DER_OCTET_STRING);
		der_wrap(b, e, DER_SEQUENCE);
	}
	/* The same caIssuers URL as the end-entity certificates' AIA. */
	if (pki_crl_issuers_url(url, sizeof url, "issuing.crt") == 0)
		pki_crl_put_aia(b, url);
	else
		b->err = 1;
	e = b->len;
	der_put_oid(b, "2.5.29.20");
	os = b->len;
	der_put_uint(b, DER_INTEGER, (uint64_t)number);
	der_wrap(b, os, DER_OCTET_STRING);
	der_wrap(b, e, DER_SEQUENCE);
	der_wrap(b, all, DER_SEQUENCE);
	der_wrap(b, all, DER_CTX0);
}

static int store_crl(db *d, int64_t number, int64_t tu, int64_t nu, const void *der, size_t len)
{
	db_stmt *s = db_prepare(d, "INSERT INTO crl_state (ca, number, this_update, next_update, "
				   "der) VALUES ('issuing', $1, $2, $3, $4) ON CONFLICT (ca) DO "
				   "UPDATE SET number = excluded.number, this_update = "
				   "excluded.this_update, next_update = excluded.next_update, "
				   "der = excluded.der WHERE crl_state.number < excluded.number");
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, number);
	db_bind_int64(s, 2, tu);
	db_bind_int64(s, 3, nu);
	db_bind_blob(s, 4, der, len);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? 0 : -1;
}

static int verify_sig(X509 *issuer, const buf *tbs, const unsigned char *sig, size_t siglen)
{
	int nid, ptype, ok = 0;
	const EVP_MD *md;
	EVP_PKEY *pub = X509_get0_pubkey(issuer);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	if (c != NULL && pki_sigalg(pub, &nid, &ptype, &md) == 0 &&
	    EVP_DigestVerifyInit(c, NULL, md, NULL, pub) == 1 &&
	    EVP_DigestVerify(c, sig, siglen, (const unsigned char *)tbs->data, tbs->len) == 1)
		ok = 1;
	EVP_MD_CTX_free(c);
	ERR_clear_error();
	return ok ? 0 : -1;
}

/* out = SEQUENCE { body, crlExtensions with this number }. */
static void crl_tbs(buf *out, const buf *body, X509 *issuer, int64_t number)
{
	buf_reset(out);
	buf_append(out, body->data, body->len);
	pki_crl_exts(out, issuer, number);
	der_wrap(out, 0, DER_SEQUENCE);
}

/* The signer's reply to SIGN_CRL: the number it assigned (8 bytes,
 * big-endian) and the signature. */
static int split_reply(const unsigned char *r, size_t len, int64_t *number, size_t *siglen)
{
	uint64_t v = 0;
	if (len <= 8)
		return -1;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | r[i];
	if (v == 0 || v > INT64_MAX)
		return -1;
	*number = (int64_t)v;
	*siglen = len - 8;
	return 0;
}

/* Builds, has signed and stores one CRL. The caller holds crl_mu and the
 * database write lock (crl_begin): the revoked rows are read and the
 * signer assigns the number inside one lock, so a CRL with a higher number
 * never misses a revocation committed before a lower one was read. The
 * number is the signer's (its journal), not this process's. */
static int generate_tx(db *d, char *err, size_t n)
{
	X509 *issuer = pki_issuing_cert();
	unsigned char *name = NULL, *reply = NULL;
	size_t rlen = 0, siglen = 0;
	char serr[256];
	int rc = -1;
	int64_t number = 0;
	buf body, tbs, out;
	buf_init(&body, CRL_MAX);
	buf_init(&tbs, CRL_MAX);
	buf_init(&out, CRL_MAX);
	if (issuer == NULL) {
		snprintf(err, n, "Sertifika hizmeti başlatılmamış.");
		goto out;
	}
	int64_t t0 = clock_mono_us(), now = clock_now();
	int64_t hours = config_get_int("ca.crl_hours");
	if (hours < 1 || hours > PKI_CRL_HOURS_MAX) {
		snprintf(err, n, "ca.crl_hours 1 ile %d arasında olmalıdır.", PKI_CRL_HOURS_MAX);
		goto out;
	}
	int64_t next = now + hours * 3600;
	int nl = i2d_X509_NAME(X509_get_subject_name(issuer), &name);
	der_put_uint(&body, DER_INTEGER, 1);
	if (nl <= 0 || pki_sigalg_der(X509_get0_pubkey(issuer), &body) != 0)
		goto out;
	buf_append(&body, name, (size_t)nl);
	der_put_time(&body, now);
	der_put_time(&body, next);
	long entries = put_revoked(d, &body);
	if (entries < 0) {
		snprintf(err, n, "İptal kayıtları okunamadı.");
		goto out;
	}
	crl_tbs(&tbs, &body, issuer, 1); /* the signer puts its own number */
	if (tbs.err) {
		snprintf(err, n, "SİL çok büyük.");
		goto out;
	}
	int64_t t1 = clock_mono_us();
	if (signer_sign(SIGNER_SIGN_CRL, tbs.data, tbs.len, &reply, &rlen, serr, sizeof serr)) {
		snprintf(err, n, "SİL imzalanamadı: %s", serr);
		goto out;
	}
	if (split_reply(reply, rlen, &number, &siglen) != 0) {
		snprintf(err, n, "SİL imzası okunamadı.");
		goto out;
	}
	crl_tbs(&tbs, &body, issuer, number);
	if (tbs.err || verify_sig(issuer, &tbs, reply + 8, siglen) != 0) {
		snprintf(err, n, "SİL imzası doğrulanamadı.");
		goto out;
	}
	buf alg;
	buf_init(&alg, 256);
	pki_sigalg_der(X509_get0_pubkey(issuer), &alg);
	pki_assemble(&out, tbs.data, tbs.len, alg.data, alg.len, reply + 8, siglen);
	buf_free(&alg);
	if (out.err || store_crl(d, number, now, next, out.data, out.len) != 0) {
		snprintf(err, n, "SİL kaydedilemedi.");
		goto out;
	}
	log_info("pki: CRL %lld with %ld entries (%zu bytes): built in %lld ms, signed and stored "
		 "in %lld ms",
		 (long long)number, entries, out.len, (long long)(t1 - t0) / 1000,
		 (long long)(clock_mono_us() - t1) / 1000);
	rc = 0;
out:
	OPENSSL_free(name);
	free(reply);
	buf_free(&body);
	buf_free(&tbs);
	buf_free(&out);
	return rc;
}

/* Inside an open write transaction: takes the CRL row lock (in SQLite
 * BEGIN IMMEDIATE already is the database's write lock; in PostgreSQL the
 * UPDATE locks the crl_state row, made by the first CRL) and generates. */
static int generate_in_tx(db *d, char *err, size_t n)
{
	if (db_exec(d, "UPDATE crl_state SET number = number WHERE ca = 'issuing'") != DB_OK) {
		snprintf(err, n, "Veritabanı meşgul.");
		return -1;
	}
	return generate_tx(d, err, n);
}

/* crl_mu is held. One write transaction around generate_in_tx. */
static int generate_locked(db *d, char *err, size_t n)
{
	if (db_begin(d) != DB_OK) {
		snprintf(err, n, "Veritabanı meşgul.");
		return -1;
	}
	if (generate_in_tx(d, err, n) != 0) {
		db_rollback(d);
		return -1;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, n, "SİL kaydedilemedi.");
		return -1;
	}
	return 0;
}

int pki_crl_generate(db *d, char *err, size_t n)
{
	pthread_mutex_lock(&crl_mu);
	int rc = generate_locked(d, err, n);
	pthread_mutex_unlock(&crl_mu);
	return rc;
}

int pki_crl_generate_tx(db *d, char *err, size_t n)
{
	pthread_mutex_lock(&crl_mu);
	int rc = generate_in_tx(d, err, n);
	pthread_mutex_unlock(&crl_mu);
	return rc;
}

static int read_issuing(db *d, unsigned char **der, size_t *len, int64_t *tu, int64_t *nu,
			int64_t *number)
{
	int rc = -1;
	db_stmt *s = db_prepare(d, "SELECT der, this_update, next_update, number FROM crl_state "
				   "WHERE ca = 'issuing'");
	if (s == NULL)
		return -1;
	if (db_step(s) == DB_ROW) {
		size_t l = 0;
		const void *p = db_col_blob(s, 0, &l);
		*tu = db_col_int64(s, 1);
		*nu = db_col_int64(s, 2);
		*number = db_col_int64(s, 3);
		if (der != NULL && (*der = malloc(l ? l : 1)) != NULL) {
			memcpy(*der, p, l);
			*len = l;
			rc = 0;
		} else if (der == NULL) {
			rc = 0;
		}
	}
	db_finalize(s);
	return rc;
}

int pki_crl_get(db *d, enum pki_ca_id ca, unsigned char **der, size_t *len, int64_t *this_update,
		int64_t *next_update, int64_t *number)
{
	char err[256], p[4096];
	int64_t tu = 0, nu = 0, num = 0;
	*der = NULL;
	if (ca == PKI_CA_ROOT) {
		if (pki_path(p, sizeof p, pki_ca_dir(), "root.crl") != 0)
			return -1;
		*der = pki_read_file(p, 1 << 20, len);
		if (*der == NULL)
			return -1;
		const unsigned char *q = *der;
		X509_CRL *c = d2i_X509_CRL(NULL, &q, (long)*len);
		ASN1_INTEGER *ai = c ? X509_CRL_get_ext_d2i(c, NID_crl_number, NULL, NULL) : NULL;
		*this_update = c ? pki_time(X509_CRL_get0_lastUpdate(c)) : 0;
		*next_update = c ? pki_time(X509_CRL_get0_nextUpdate(c)) : 0;
		*number = ai ? ASN1_INTEGER_get(ai) : 0;
		ASN1_INTEGER_free(ai);
		X509_CRL_free(c);
		return 0;
	}
	int64_t now = clock_now();
	int have = read_issuing(d, NULL, NULL, &tu, &nu, &num) == 0;
	if (!have || now >= tu + (nu - tu) / 2) {
		pthread_mutex_lock(&crl_mu);
		/* Another thread may have refreshed it meanwhile. */
		have = read_issuing(d, NULL, NULL, &tu, &nu, &num) == 0;
		if ((!have || now >= tu + (nu - tu) / 2) &&
		    generate_locked(d, err, sizeof err) != 0)
			log_error("pki: CRL refresh failed: %s", err);
		pthread_mutex_unlock(&crl_mu);
	}
	if (read_issuing(d, der, len, this_update, next_update, number) != 0)
		return -1;
	return 0;
}
