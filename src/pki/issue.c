/* Issuance of natural-person qualified certificates from a PKCS#10 request,
 * and the certificates table. */
#include "pki/pki.h"
#include "pki/der.h"
#include "pki/internal.h"
#include "pki/ee_key.h"
#include "pki/issue_msg.h"
#include "pki/profile.h"
#include "pki/signer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "domain/tckn.h"
#include "util/clock.h"
#include "util/log.h"

#define CSR_MAX (64u << 10)

/* Parses a CSR in PEM or DER. Caller frees. */
static X509_REQ *csr_parse(const void *data, size_t len)
{
	X509_REQ *r = NULL;
	if (len == 0 || len > CSR_MAX)
		return NULL;
	if (len > 10 && memcmp(data, "-----BEGIN", 10) == 0) {
		BIO *b = BIO_new_mem_buf(data, (int)len);
		if (b != NULL)
			r = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
		BIO_free(b);
	} else {
		const unsigned char *p = data;
		r = d2i_X509_REQ(NULL, &p, (long)len);
		if (r != NULL && p != (const unsigned char *)data + len) {
			X509_REQ_free(r);
			r = NULL;
		}
	}
	ERR_clear_error();
	return r;
}

/* Parses and checks; returns the request (caller frees) or NULL (err). */
static X509_REQ *csr_load_checked(const void *data, size_t len, char *err, size_t n)
{
	X509_REQ *r = csr_parse(data, len);
	if (r == NULL) {
		snprintf(err, n, "Sertifika isteği (PKCS#10) okunamadı.");
		return NULL;
	}
	EVP_PKEY *pub = X509_REQ_get0_pubkey(r);
	if (pub == NULL || X509_REQ_verify(r, pub) != 1) {
		ERR_clear_error();
		snprintf(err, n,
			 "Sertifika isteğinin imzası doğrulanamadı (anahtara sahiplik "
			 "kanıtlanmadı).");
		X509_REQ_free(r);
		return NULL;
	}
	if (pki_ee_key_check(pub, err, n) != 0) {
		X509_REQ_free(r);
		return NULL;
	}
	return r;
}

int pki_csr_check(const void *data, size_t len, char *err, size_t n)
{
	X509_REQ *r = csr_load_checked(data, len, err, n);
	X509_REQ_free(r);
	return r ? 0 : -1;
}

static int subject_text(X509 *x, char *out, size_t n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	if (b == NULL)
		return -1;
	X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	long l = BIO_get_mem_data(b, &p);
	snprintf(out, n, "%.*s", (int)(l < 0 ? 0 : l), p);
	BIO_free(b);
	return 0;
}

static int store_cert(db *d, X509 *x, const char *serial_hex, const struct pki_issue_req *rq,
		      const unsigned char *der, size_t len, int64_t nb, int64_t na)
{
	char subj[1024];
	subject_text(x, subj, sizeof subj);
	db_stmt *s = db_prepare(d, "INSERT INTO certificates (serial_hex, tckn, application_id, "
				   "subject, not_before, not_after, der, status, created_at) "
				   "VALUES ($1, $2, $3, $4, $5, $6, $7, 'good', $8)");
	if (s == NULL)
		return DB_ERR;
	db_bind_text(s, 1, serial_hex);
	db_bind_text(s, 2, rq->tckn);
	if (rq->application_id > 0)
		db_bind_int64(s, 3, rq->application_id);
	else
		db_bind_null(s, 3);
	db_bind_text(s, 4, subj);
	db_bind_int64(s, 5, nb);
	db_bind_int64(s, 6, na);
	db_bind_blob(s, 7, der, len);
	db_bind_int64(s, 8, clock_now());
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? DB_OK : rc;
}

/* The typed request for the signer (issue_msg.h); csr is the request's
 * DER. 0 or -1 (Turkish err). */
static int request_msg(const struct pki_issue_req *rq, const unsigned char *csr, size_t csr_len,
		       buf *out, char *err, size_t n)
{
	struct issue_msg m = {.csr = csr, .csr_len = csr_len};
	const char *profile = rq->key_on_qscd ? pki_profile_card_name(rq->years)
					      : pki_profile_name(rq->years);
	char ref[ISSUE_REF_MAX + 1] = "";
	if (rq->application_ref != NULL)
		snprintf(ref, sizeof ref, "%s", rq->application_ref);
	else if (rq->application_id > 0)
		snprintf(ref, sizeof ref, "%lld", (long long)rq->application_id);
	if (profile == NULL || !issue_name_ok(rq->given_name, strlen(rq->given_name)) ||
	    !issue_name_ok(rq->surname, strlen(rq->surname)) ||
	    (rq->email != NULL && rq->email[0] != '\0' &&
	     !issue_email_ok(rq->email, strlen(rq->email)))) {
		snprintf(err, n, "Sertifika bilgileri eksik veya geçersiz.");
		return -1;
	}
	m.key_on_qscd = rq->key_on_qscd != 0;
	if (snprintf(m.profile, sizeof m.profile, "%s", profile) >= (int)sizeof m.profile ||
	    snprintf(m.tckn, sizeof m.tckn, "%s", rq->tckn) >= (int)sizeof m.tckn ||
	    snprintf(m.given_name, sizeof m.given_name, "%s", rq->given_name) >=
		    (int)sizeof m.given_name ||
	    snprintf(m.surname, sizeof m.surname, "%s", rq->surname) >= (int)sizeof m.surname ||
	    snprintf(m.email, sizeof m.email, "%s", rq->email ? rq->email : "") >=
		    (int)sizeof m.email ||
	    snprintf(m.app_ref, sizeof m.app_ref, "%s", ref) >= (int)sizeof m.app_ref ||
	    snprintf(m.renews, sizeof m.renews, "%s", rq->renews ? rq->renews : "") >=
		    (int)sizeof m.renews ||
	    issue_msg_encode(&m, out) != 0) {
		snprintf(err, n, "Sertifika bilgileri eksik veya geçersiz.");
		return -1;
	}
	return 0;
}

/* The signer's certificate is what was asked for: it parses exactly, its
 * signature verifies with the issuing CA's key, and its issuer, subject
 * and public key are the ones expected. Caller frees. NULL (logged). */
static X509 *reply_checked(const unsigned char *der, size_t len, const struct pki_subject *subj,
			   EVP_PKEY *pub)
{
	X509 *issuer = pki_issuing_cert(), *x = NULL;
	X509_NAME *want = NULL;
	char why[256] = "";
	const unsigned char *p = der;
	x = d2i_X509(NULL, &p, (long)len);
	if (x == NULL || p != der + len || X509_verify(x, X509_get0_pubkey(issuer)) != 1) {
		snprintf(why, sizeof why, "does not verify with the issuing CA");
		goto fail;
	}
	want = pki_profile_subject(subj, why, sizeof why);
	if (want == NULL || X509_NAME_cmp(X509_get_subject_name(x), want) != 0 ||
	    X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(issuer)) != 0 ||
	    EVP_PKEY_eq(X509_get0_pubkey(x), pub) != 1) {
		snprintf(why, sizeof why, "subject, issuer or key is not what was asked");
		goto fail;
	}
	if (pki_profile_check(x, issuer, why, sizeof why) != 0)
		goto fail;
	if (pki_profile_key_on_qscd(x) != subj->key_on_qscd) {
		snprintf(why, sizeof why,
			 "claims a key on a qualified device it was not asked for");
		goto fail;
	}
	X509_NAME_free(want);
	return x;
fail:
	ERR_clear_error();
	log_error("pki: issuance: the signer's certificate %s", why);
	X509_NAME_free(want);
	X509_free(x);
	return NULL;
}

/* Has the signer build one certificate for rq and checks it. Caller frees
 * *der. 0 or -1 (Turkish err). */
static int issue_one(const struct pki_issue_req *rq, const buf *msg, const struct pki_subject *subj,
		     EVP_PKEY *pub, unsigned char **der, size_t *der_len, X509 **cert, char *err,
		     size_t n)
{
	char serr[256];
	*der = NULL;
	if (signer_sign(SIGNER_ISSUE_CERT, msg->data, msg->len, der, der_len, serr, sizeof serr) !=
	    0) {
		log_error("pki: issuance for application %lld: %s", (long long)rq->application_id,
			  serr);
		snprintf(err, n, "Sertifika imzalanamadı (imza birimi isteği reddetti).");
		return -1;
	}
	*cert = reply_checked(*der, *der_len, subj, pub);
	if (*cert == NULL) {
		free(*der);
		*der = NULL;
		snprintf(err, n, "İmzalanan sertifika doğrulanamadı.");
		return -1;
	}
	return 0;
}

int pki_issue(db *d, const struct pki_issue_req *rq, struct pki_issued *out, char *err, size_t n)
{
	X509_REQ *req = NULL;
	X509 *x = NULL;
	unsigned char *csr_der = NULL;
	int rc = -1;
	buf msg;
	buf_init(&msg, ISSUE_MSG_MAX);
	memset(out, 0, sizeof *out);
	if (pki_issuing_cert() == NULL) {
		snprintf(err, n, "Sertifika hizmeti başlatılmamış.");
		goto out;
	}
	if (rq->years < 1 || rq->years > 3) {
		snprintf(err, n, "Sertifika süresi 1 ile 3 yıl arasında olmalı.");
		goto out;
	}
	if (rq->tckn == NULL || !tckn_valid(rq->tckn) || rq->given_name == NULL ||
	    rq->surname == NULL || rq->csr_pem == NULL) {
		snprintf(err, n, "Sertifika bilgileri eksik veya geçersiz.");
		goto out;
	}
	size_t clen = rq->csr_len ? rq->csr_len : strlen(rq->csr_pem);
	req = csr_load_checked(rq->csr_pem, clen, err, n);
	if (req == NULL)
		goto out;
	int dl = i2d_X509_REQ(req, &csr_der);
	if (dl <= 0 || request_msg(rq, csr_der, (size_t)dl, &msg, err, n) != 0) {
		if (dl <= 0)
			snprintf(err, n, "Sertifika isteği (PKCS#10) okunamadı.");
		goto out;
	}
	/* A CSR from the web: a key of unknown origin, never on a qualified
	 * device; key_on_qscd only from card production. */
	struct pki_subject subj = {rq->tckn, rq->given_name, rq->surname, rq->email,
				   rq->key_on_qscd != 0};
	/* A serial the database already holds (one older than the journal)
	 * makes the store fail: the signer then draws another. */
	for (int attempt = 0; attempt < 3; attempt++) {
		if (issue_one(rq, &msg, &subj, X509_REQ_get0_pubkey(req), &out->der, &out->der_len,
			      &x, err, n) != 0)
			goto out;
		int64_t nb = pki_time(X509_get0_notBefore(x)), na = pki_time(X509_get0_notAfter(x));
		int st = pki_serial_hex(X509_get0_serialNumber(x), out->serial_hex) == 0
				 ? store_cert(d, x, out->serial_hex, rq, out->der, out->der_len, nb,
					      na)
				 : DB_ERR;
		X509_free(x);
		x = NULL;
		if (st == DB_OK) {
			out->not_before = nb;
			out->not_after = na;
			log_info("pki: issued %s for application %lld", out->serial_hex,
				 (long long)rq->application_id);
			rc = 0;
			goto out;
		}
		free(out->der);
		out->der = NULL;
		if (st != DB_CONSTRAINT) {
			snprintf(err, n, "Sertifika kaydedilemedi.");
			goto out;
		}
		log_warn("pki: serial %s already used; asking the signer again", out->serial_hex);
	}
	snprintf(err, n, "Sertifika seri numarası üretilemedi.");
out:
	X509_REQ_free(req);
	OPENSSL_free(csr_der);
	buf_free(&msg);
	if (rc != 0)
		pki_issued_free(out);
	return rc;
}

void pki_issued_free(struct pki_issued *o)
{
	free(o->der);
	o->der = NULL;
	o->der_len = 0;
}

int pki_cert_list_for_tckn(db *d, const char *tckn,
			   void (*fn)(const struct pki_cert_summary *c, void *arg), void *arg)
{
	int count = 0, r;
	db_stmt *s = db_prepare(d, "SELECT serial_hex, not_before, not_after, status, revoked_at, "
				   "reason, application_id FROM certificates WHERE tckn = $1 "
				   "ORDER BY not_before DESC, created_at DESC");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, tckn);
	while ((r = db_step(s)) == DB_ROW) {
		struct pki_cert_summary c = {0};
		const char *status = db_col_text(s, 3);
		c.serial_hex = db_col_text(s, 0);
		c.not_before = db_col_int64(s, 1);
		c.not_after = db_col_int64(s, 2);
		c.status = PKI_GOOD;
		for (int i = 0; status && i < PKI_CERT_STATUS__MAX; i++)
			if (strcmp(status, pki_cert_status_names[i]) == 0)
				c.status = (enum pki_cert_status)i;
		c.revoked_at = db_col_is_null(s, 4) ? 0 : db_col_int64(s, 4);
		c.reason = db_col_is_null(s, 5) ? -1 : (int)db_col_int64(s, 5);
		c.application_id = db_col_is_null(s, 6) ? 0 : db_col_int64(s, 6);
		if (fn != NULL)
			fn(&c, arg);
		count++;
	}
	db_finalize(s);
	return r == DB_DONE ? count : -1;
}

unsigned char *pki_cert_der(db *d, const char *serial_hex, size_t *len)
{
	unsigned char *out = NULL;
	db_stmt *s = db_prepare(d, "SELECT der FROM certificates WHERE serial_hex = $1");
	if (s == NULL)
		return NULL;
	db_bind_text(s, 1, serial_hex);
	if (db_step(s) == DB_ROW) {
		size_t l = 0;
		const void *p = db_col_blob(s, 0, &l);
		out = malloc(l ? l : 1);
		if (out != NULL) {
			memcpy(out, p, l);
			*len = l;
		}
	}
	db_finalize(s);
	return out;
}
