/* OCSP responder (RFC 6960, RFC 5019 profile). ResponseData is written
 * with the DER writer and signed by the signer with the responder key.
 * A request names 1..PKI_OCSP_MAX_CERTIDS CertIDs (more: malformedRequest),
 * all of our issuing CA (else unauthorized), and gets one SingleResponse
 * for each, in order; a revoked one carries the CRL entry's time and
 * reason (pki_cert_state_get, pki_reason_published).
 * Responses to single, nonce-less requests are kept in memory per CertID
 * and reused while younger than half of ca.ocsp_minutes and while no
 * revocation happened (local generation counter, and the issuing CRL number
 * in the database for other nodes), and while the responder certificate
 * they carry is the current one (ocsp_current.c drops them all when the
 * signer renewed it). */
#include "pki/der.h"
#include "pki/internal.h"
#include "pki/pki.h"
#include "pki/signer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <sodium.h>

#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

#define OCSP_REQ_MAX (64u << 10)
#define CACHE_BUCKETS 4096
#define CACHE_MAX_ENTRIES 200000

enum { ST_SUCCESS = 0, ST_MALFORMED = 1, ST_INTERNAL = 2, ST_TRY_LATER = 3, ST_UNAUTHORIZED = 6 };

struct cache_entry {
	struct cache_entry *next;
	unsigned char *key; /* CertID DER */
	size_t key_len;
	unsigned char *resp;
	size_t resp_len;
	struct pki_ocsp_meta meta;
	uint64_t gen;
	int64_t crl_number;
};

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry *cache[CACHE_BUCKETS];
static size_t cache_count;
static uint64_t cache_gen = 1;

static void entry_free(struct cache_entry *e)
{
	free(e->key);
	free(e->resp);
	free(e);
}

void pki_ocsp_invalidate(void)
{
	pthread_mutex_lock(&cache_mu);
	cache_gen++;
	for (size_t i = 0; i < CACHE_BUCKETS; i++) {
		while (cache[i] != NULL) {
			struct cache_entry *e = cache[i];
			cache[i] = e->next;
			entry_free(e);
		}
	}
	cache_count = 0;
	pthread_mutex_unlock(&cache_mu);
}

static size_t bucket_of(const unsigned char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 1099511628211ULL;
	return (size_t)(h % CACHE_BUCKETS);
}

static int64_t crl_number_now(db *d)
{
	return db_query_int64(d, 0, "SELECT number FROM crl_state WHERE ca = $1", "issuing",
			      (const char *)NULL);
}

/* A fresh cached response for this CertID (copy for the caller) or -1. */
static int cache_get(const unsigned char *k, size_t kl, int64_t crl_number, unsigned char **resp,
		     size_t *len, struct pki_ocsp_meta *meta)
{
	int rc = -1;
	int64_t now = clock_now(), fresh = config_get_int("ca.ocsp_minutes") * 30;
	pthread_mutex_lock(&cache_mu);
	for (struct cache_entry *e = cache[bucket_of(k, kl)]; e; e = e->next) {
		if (e->key_len != kl || memcmp(e->key, k, kl) != 0)
			continue;
		if (e->gen == cache_gen && e->crl_number == crl_number &&
		    now < e->meta.this_update + fresh && now >= e->meta.this_update &&
		    (*resp = malloc(e->resp_len)) != NULL) {
			memcpy(*resp, e->resp, e->resp_len);
			*len = e->resp_len;
			*meta = e->meta;
			rc = 0;
		}
		break;
	}
	pthread_mutex_unlock(&cache_mu);
	return rc;
}

static void cache_put(const unsigned char *k, size_t kl, uint64_t gen, int64_t crl_number,
		      const unsigned char *resp, size_t len, const struct pki_ocsp_meta *meta)
{
	struct cache_entry *e = calloc(1, sizeof *e);
	if (e == NULL || (e->key = malloc(kl)) == NULL || (e->resp = malloc(len)) == NULL) {
		if (e)
			entry_free(e);
		return;
	}
	memcpy(e->key, k, kl);
	memcpy(e->resp, resp, len);
	e->key_len = kl;
	e->resp_len = len;
	e->meta = *meta;
	e->gen = gen;
	e->crl_number = crl_number;
	size_t b = bucket_of(k, kl);
	pthread_mutex_lock(&cache_mu);
	if (gen != cache_gen) {
		/* A revocation happened while this response was being made. */
		pthread_mutex_unlock(&cache_mu);
		entry_free(e);
		return;
	}
	if (cache_count >= CACHE_MAX_ENTRIES) {
		pthread_mutex_unlock(&cache_mu);
		pki_ocsp_invalidate();
		pthread_mutex_lock(&cache_mu);
	}
	struct cache_entry **pp = &cache[b];
	while (*pp != NULL) {
		if ((*pp)->key_len == kl && memcmp((*pp)->key, k, kl) == 0) {
			struct cache_entry *old = *pp;
			*pp = old->next;
			entry_free(old);
			cache_count--;
			break;
		}
		pp = &(*pp)->next;
	}
	e->next = cache[b];
	cache[b] = e;
	cache_count++;
	pthread_mutex_unlock(&cache_mu);
}

/* OCSPResponse with only a status (no body). */
static int status_only(int status, unsigned char **resp, size_t *len, struct pki_ocsp_meta *meta)
{
	unsigned char r[] = {0x30, 0x03, 0x0a, 0x01, (unsigned char)status};
	memset(meta, 0, sizeof *meta);
	*resp = malloc(sizeof r);
	if (*resp == NULL)
		return -1;
	memcpy(*resp, r, sizeof r);
	*len = sizeof r;
	return 0;
}

/* Is this CertID about our issuing CA (its issuerNameHash and
 * issuerKeyHash, under the hash it names)? Fills serial_hex when it is;
 * "" for a serial we could never have issued (negative, too long). */
static int ours(OCSP_CERTID *cid, char serial_hex[PKI_SERIAL_HEX_MAX + 1])
{
	ASN1_OBJECT *md_obj = NULL;
	ASN1_INTEGER *serial = NULL;
	if (!OCSP_id_get0_info(NULL, &md_obj, NULL, &serial, cid))
		return 0;
	const EVP_MD *md = EVP_get_digestbyobj(md_obj);
	if (md == NULL)
		return 0;
	OCSP_CERTID *mine = OCSP_cert_to_id(md, NULL, pki_issuing_cert());
	int same = mine != NULL && OCSP_id_issuer_cmp(mine, cid) == 0;
	OCSP_CERTID_free(mine);
	ERR_clear_error();
	if (same && pki_serial_hex(serial, serial_hex) != 0)
		serial_hex[0] = '\0';
	return same;
}

static void put_single(db *d, buf *b, OCSP_CERTID *cid, int64_t now, int64_t next)
{
	char hex[PKI_SERIAL_HEX_MAX + 1];
	struct pki_cert_state cs = {0};
	unsigned char *cd = NULL;
	int cl = i2d_OCSP_CERTID(cid, &cd);
	size_t start = b->len;
	if (cl <= 0) {
		b->err = 1;
		return;
	}
	buf_append(b, cd, (size_t)cl);
	OPENSSL_free(cd);
	/* Only CertIDs of our issuing CA get here (all_ours). A failed read
	 * must not say "unknown" (RFC 6960 2.2: a definite answer). */
	if (!ours(cid, hex) || (hex[0] != '\0' && pki_cert_state_get(d, hex, &cs) != 0)) {
		b->err = 1;
		return;
	}
	if (!cs.known) {
		der_put_header(b, 0x82, 0); /* unknown */
	} else if (cs.status == PKI_GOOD) {
		der_put_header(b, 0x80, 0); /* good */
	} else {
		size_t r = b->len;
		der_put_gentime(b, cs.revoked_at);
		if (pki_reason_published(cs.reason)) { /* the CRL entry's rule */
			size_t rr = b->len;
			der_put_uint(b, DER_ENUMERATED, (uint64_t)cs.reason);
			der_wrap(b, rr, DER_CTX0);
		}
		der_wrap(b, r, 0xa1); /* revoked */
	}
	der_put_gentime(b, now);
	size_t nu = b->len;
	der_put_gentime(b, next);
	der_wrap(b, nu, DER_CTX0);
	der_wrap(b, start, DER_SEQUENCE);
}

/* Whether every CertID of req names our issuing CA. A responder answers
 * only for the CA it is authoritative for: anything else is
 * `unauthorized` (RFC 6960 2.3, RFC 5019 2.2.3), for the whole request. */
static int all_ours(OCSP_REQUEST *req)
{
	char hex[PKI_SERIAL_HEX_MAX + 1];
	for (int i = 0; i < OCSP_request_onereq_count(req); i++)
		if (!ours(OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, i)), hex))
			return 0;
	return 1;
}

/* ResponseData for all single requests of req. */
static int put_response_data(db *d, buf *b, OCSP_REQUEST *req, X509_EXTENSION *nonce, int64_t now,
			     int64_t next)
{
	size_t start = b->len, rs;
	unsigned char rid[] = {0xa2, 0x16, 0x04, 0x14};
	buf_append(b, rid, sizeof rid);
	buf_append(b, pki_ocsp_keyhash(), 20);
	der_put_gentime(b, now);
	rs = b->len;
	for (int i = 0; i < OCSP_request_onereq_count(req); i++)
		put_single(d, b, OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, i)), now, next);
	der_wrap(b, rs, DER_SEQUENCE);
	if (nonce != NULL) {
		unsigned char *nd = NULL;
		int nl = i2d_X509_EXTENSION(nonce, &nd);
		if (nl <= 0)
			return -1;
		size_t es = b->len;
		buf_append(b, nd, (size_t)nl);
		OPENSSL_free(nd);
		der_wrap(b, es, DER_SEQUENCE);
		der_wrap(b, es, 0xa1);
	}
	der_wrap(b, start, DER_SEQUENCE);
	return b->err ? -1 : 0;
}

/* Signs the ResponseData and wraps it into a complete OCSPResponse with
 * the responder certificate the signer signed with (the reply names it by
 * its SHA-256; a renewal is fetched here). */
static int finish_response(const buf *tbs, buf *out)
{
	unsigned char *reply = NULL, *cert = NULL;
	size_t replylen = 0;
	char err[256];
	int rc = -1;
	buf alg;
	buf_init(&alg, 256);
	if (signer_sign(SIGNER_SIGN_OCSP, tbs->data, tbs->len, &reply, &replylen, err,
			sizeof err)) {
		log_error("pki: OCSP response not signed: %s", err);
		goto out;
	}
	if (replylen <= SIGNER_OCSP_ID_LEN)
		goto out;
	const unsigned char *sig = reply + SIGNER_OCSP_ID_LEN;
	size_t siglen = replylen - SIGNER_OCSP_ID_LEN;
	pki_ocsp_cert_check(reply);
	X509 *responder = pki_ocsp_cert();
	int cl = i2d_X509(responder, &cert);
	if (cl <= 0 || pki_sigalg_der(X509_get0_pubkey(responder), &alg) != 0)
		goto out;
	der_put_uint(out, DER_ENUMERATED, ST_SUCCESS);
	size_t rb = out->len;
	der_put_oid(out, "1.3.6.1.5.5.7.48.1.1");
	size_t os = out->len;
	buf_append(out, tbs->data, tbs->len);
	buf_append(out, alg.data, alg.len);
	der_put_header(out, DER_BIT_STRING, siglen + 1);
	buf_putc(out, 0);
	buf_append(out, sig, siglen);
	size_t cs = out->len;
	buf_append(out, cert, (size_t)cl);
	der_wrap(out, cs, DER_SEQUENCE);
	der_wrap(out, cs, DER_CTX0);
	der_wrap(out, os, DER_SEQUENCE);
	der_wrap(out, os, DER_OCTET_STRING);
	der_wrap(out, rb, DER_SEQUENCE);
	der_wrap(out, rb, DER_CTX0);
	der_wrap(out, 0, DER_SEQUENCE);
	rc = out->err ? -1 : 0;
out:
	free(reply);
	OPENSSL_free(cert);
	buf_free(&alg);
	return rc;
}

static void set_etag(struct pki_ocsp_meta *meta, const unsigned char *resp, size_t len)
{
	unsigned char h[32];
	char hex[33];
	crypto_generichash(h, 16, resp, len, NULL, 0);
	der_hex(h, 16, hex);
	snprintf(meta->etag, sizeof meta->etag, "\"%s\"", hex);
}

/* Parses; NULL if malformed. Sets *nonce (owned by the request) or NULL. */
static OCSP_REQUEST *parse_request(const unsigned char *der, size_t len, X509_EXTENSION **nonce)
{
	const unsigned char *p = der;
	OCSP_REQUEST *req;
	*nonce = NULL;
	if (der == NULL || len == 0 || len > OCSP_REQ_MAX)
		return NULL;
	req = d2i_OCSP_REQUEST(NULL, &p, (long)len);
	if (req == NULL || p != der + len)
		goto bad;
	int n = OCSP_request_onereq_count(req);
	if (n < 1 || n > PKI_OCSP_MAX_CERTIDS)
		goto bad;
	int idx = OCSP_REQUEST_get_ext_by_NID(req, NID_id_pkix_OCSP_Nonce, -1);
	if (idx >= 0) {
		*nonce = OCSP_REQUEST_get_ext(req, idx);
		int nl = ASN1_STRING_length(X509_EXTENSION_get_data(*nonce));
		if (nl < 1 || nl > 64)
			goto bad;
	}
	ERR_clear_error();
	return req;
bad:
	OCSP_REQUEST_free(req);
	ERR_clear_error();
	*nonce = NULL;
	return NULL;
}

int pki_ocsp_respond(db *d, const unsigned char *reqder, size_t len, unsigned char **resp,
		     size_t *resp_len, struct pki_ocsp_meta *meta)
{
	X509_EXTENSION *nonce = NULL;
	unsigned char *key = NULL;
	int kl = 0, rc;
	buf tbs, out;
	buf_init(&tbs, 1 << 20);
	buf_init(&out, 1 << 20);
	*resp = NULL;
	OCSP_REQUEST *req = parse_request(reqder, len, &nonce);
	if (req == NULL) {
		rc = status_only(ST_MALFORMED, resp, resp_len, meta);
		goto out;
	}
	pki_ocsp_cert_check(NULL); /* an hour old: ask the signer (drops the cache if renewed) */
	if (pki_ocsp_cert() == NULL) {
		rc = status_only(ST_INTERNAL, resp, resp_len, meta);
		goto out;
	}
	uint64_t gen;
	pthread_mutex_lock(&cache_mu);
	gen = cache_gen;
	pthread_mutex_unlock(&cache_mu);
	int64_t crl_number = crl_number_now(d);
	int cacheable = nonce == NULL && OCSP_request_onereq_count(req) == 1;
	if (cacheable) {
		kl = i2d_OCSP_CERTID(OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, 0)), &key);
		if (kl > 0 && cache_get(key, (size_t)kl, crl_number, resp, resp_len, meta) == 0) {
			rc = 0;
			goto out;
		}
	}
	/* A cached response is always one of ours (its key is the whole
	 * CertID), so the fast path above needs no issuer check. */
	if (!all_ours(req)) {
		rc = status_only(ST_UNAUTHORIZED, resp, resp_len, meta);
		goto out;
	}
	int64_t now = clock_now(), next = now + config_get_int("ca.ocsp_minutes") * 60;
	if (put_response_data(d, &tbs, req, nonce, now, next) != 0 ||
	    finish_response(&tbs, &out) != 0) {
		rc = status_only(ST_TRY_LATER, resp, resp_len, meta);
		goto out;
	}
	memset(meta, 0, sizeof *meta);
	meta->produced_at = meta->this_update = now;
	meta->next_update = next;
	meta->cacheable = nonce == NULL;
	set_etag(meta, (unsigned char *)out.data, out.len);
	if (cacheable && kl > 0)
		cache_put(key, (size_t)kl, gen, crl_number, (unsigned char *)out.data, out.len,
			  meta);
	*resp = (unsigned char *)buf_detach(&out, resp_len);
	rc = 0;
out:
	OCSP_REQUEST_free(req);
	OPENSSL_free(key);
	buf_free(&tbs);
	buf_free(&out);
	return rc;
}
