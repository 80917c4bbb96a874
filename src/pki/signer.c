/* Signer process (see signer.h and docs/protocol.md).
 *
 * Certificates are not sent to be signed: the signer builds each one
 * itself from a typed request (ISSUE_CERT, signer_issue.c).
 *
 * What has been signed, and the CRL numbers, belong to the signer: before a
 * signature leaves this process it is recorded in the hash-chained journal
 * `<ca dir>/journal` (journal.h), fsync'ed, under the journal's exclusive
 * lock. A certificate is recorded with its serial, subject, validity and the
 * SHA-256 of the signed DER, and a serial already in the journal is never
 * drawn again. A CRL's number is not the web process's to choose: the
 * signer replaces the request's crlExtensions with its own (AKI, AIA and the
 * number last+1 from the journal), signs that, records number, thisUpdate
 * and entry count, and replies with the number before the signature. So
 * numbers strictly increase across concurrent requests, restarts and the
 * several signer processes of one CA directory (server, command line), and
 * one number never names two CRLs. A journal whose chain does not verify
 * (edited, or cut inside a record) stops the signer from starting. */
#include "pki/signer.h"
#include "pki/checkpoint.h"
#include "pki/journal.h"
#include "pki/keystore.h"
#include "pki/pki.h"
#include "pki/der.h"
#include "pki/internal.h"
#include "pki/profile.h"
#include "pki/issue_msg.h"
#include "pki/nes_policy.h"
#include "pki/signer_issue.h"
#include "pki/signer_ocsp.h"
#include "pki/pinseal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"

const char *const signer_op_names[SIGNER_OP__MAX] = {
	[0] = "none",
	[SIGNER_PING] = "PING",
	[SIGNER_SIGN_CRL] = "SIGN_CRL",
	[SIGNER_SIGN_OCSP] = "SIGN_OCSP",
	[SIGNER_ISSUE_CERT] = "ISSUE_CERT",
	[SIGNER_OCSP_CERT] = "OCSP_CERT",
	[SIGNER_SIGN_CHECKPOINT] = "SIGN_CHECKPOINT",
	[SIGNER_OPEN_PIN] = "OPEN_PIN",
};

enum { REPLY_OK = 0, REPLY_REFUSED = 1 };

/* ---- framing (both sides) ---- */

static int write_all(int fd, const void *p, size_t n)
{
	const unsigned char *c = p;
	while (n > 0) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* 0 when n bytes were read, 1 on EOF before any byte, -1 otherwise. */
static int read_all(int fd, void *p, size_t n)
{
	unsigned char *c = p;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, c + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && got == 0)
			return 1;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static int send_frame(int fd, uint32_t code, const void *data, size_t len)
{
	uint32_t h[2] = {htonl(code), htonl((uint32_t)len)};
	if (len > SIGNER_MAX_CRL_FRAME || write_all(fd, h, sizeof h) != 0)
		return -1;
	return len ? write_all(fd, data, len) : 0;
}

/* ---- child ---- */

struct signer_keys {
	EVP_PKEY *ca_key, *ocsp_key, *audit_key;
	X509 *ca, *ocsp;
	unsigned char ca_name[1024];
	size_t ca_name_len;
	struct journal journal; /* fd -1 until opened */
	int card_client;	/* serves `eimza card produce` (KEY_ON_QSCD allowed) */
	unsigned char pin_pk[crypto_box_PUBLICKEYBYTES], pin_sk[crypto_box_SECRETKEYBYTES];
	int pin_loaded; /* OPEN_PIN is refused without the PIN seal key */
};

static size_t op_limit(uint32_t op)
{
	switch (op) {
	case SIGNER_PING: return 64;
	case SIGNER_SIGN_OCSP: return SIGNER_MAX_FRAME;
	case SIGNER_ISSUE_CERT: return ISSUE_MSG_MAX;
	case SIGNER_SIGN_CRL: return SIGNER_MAX_CRL_FRAME;
	case SIGNER_OCSP_CERT: return 1;
	case SIGNER_SIGN_CHECKPOINT: return PKI_CHECKPOINT_REQ_LEN;
	case SIGNER_OPEN_PIN: return PKI_PINSEAL_MAX;
	default: return 0;
	}
}

/* What check_crl learns of a TBSCertList: the fields before its
 * crlExtensions (to be followed by the signer's own), thisUpdate and the
 * number of revoked entries. */
struct crl_head {
	const unsigned char *body;
	size_t body_len;
	int64_t this_update, entries;
};

/* Counts the entries of a revokedCertificates SEQUENCE's contents. */
static int64_t count_entries(const unsigned char *p, size_t left)
{
	const unsigned char *v;
	size_t vlen;
	unsigned tag;
	int64_t count = 0;
	while (left > 0) {
		if (der_next(&p, &left, &tag, &v, &vlen) || tag != DER_SEQUENCE)
			return -1;
		count++;
	}
	return count;
}

/* TBSCertList: version v2, our algorithm, our name, thisUpdate, nextUpdate,
 * optional revokedCertificates (counted, not checked: it is only what it
 * says), and extensions with only AKI, AIA and a CRL number (whose value
 * is ignored: the signer replaces the extensions with its own). */
static int check_crl(struct signer_keys *k, const unsigned char *tbs, size_t len,
		     struct crl_head *h, char *err, size_t n)
{
	const unsigned char *p = tbs, *v, *f;
	size_t left = len, vlen, flen;
	unsigned tag;
	buf alg;
	int rc = -1;
	X509_EXTENSIONS *exts = NULL;
	ASN1_INTEGER *num = NULL;
	buf_init(&alg, 256);
	snprintf(err, n, "TBSCertList does not fit");
	if (der_next(&p, &left, &tag, &v, &vlen) || tag != DER_SEQUENCE || left != 0)
		goto out;
	h->body = v;
	if (der_next(&v, &vlen, &tag, &f, &flen) || tag != DER_INTEGER || flen != 1 || f[0] != 1)
		goto out;
	const unsigned char *algp = v;
	if (der_next(&v, &vlen, &tag, &f, &flen) || tag != DER_SEQUENCE ||
	    pki_sigalg_der(X509_get0_pubkey(k->ca), &alg) || (size_t)(v - algp) != alg.len ||
	    memcmp(algp, alg.data, alg.len) != 0)
		goto out;
	const unsigned char *namep = v;
	if (der_next(&v, &vlen, &tag, &f, &flen) || tag != DER_SEQUENCE ||
	    (size_t)(v - namep) != k->ca_name_len || memcmp(namep, k->ca_name, k->ca_name_len))
		goto out;
	for (int i = 0; i < 2; i++) {
		const unsigned char *tp = v;
		if (der_next(&v, &vlen, &tag, &f, &flen) ||
		    (tag != DER_UTCTIME && tag != DER_GENTIME))
			goto out;
		ASN1_TIME *t = i == 0 ? d2i_ASN1_TIME(NULL, &tp, v - tp) : NULL;
		if (i == 0 && t == NULL)
			goto out;
		if (i == 0)
			h->this_update = pki_time(t);
		ASN1_TIME_free(t);
	}
	h->entries = 0;
	const unsigned char *extp = v;
	if (der_next(&v, &vlen, &tag, &f, &flen))
		goto out;
	if (tag == DER_SEQUENCE) {
		if ((h->entries = count_entries(f, flen)) < 0)
			goto out;
		extp = v;
		if (der_next(&v, &vlen, &tag, &f, &flen))
			goto out;
	}
	if (tag != DER_CTX0 || vlen != 0)
		goto out;
	h->body_len = (size_t)(extp - h->body);
	exts = d2i_X509_EXTENSIONS(NULL, &f, (long)flen);
	if (exts == NULL)
		goto out;
	for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
		X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
		int nid = OBJ_obj2nid(X509_EXTENSION_get_object(e));
		if (nid == NID_crl_number && num == NULL)
			num = X509V3_EXT_d2i(e);
		else if ((nid != NID_authority_key_identifier && nid != NID_info_access) ||
			 X509_EXTENSION_get_critical(e))
			goto out;
	}
	if (num == NULL) {
		snprintf(err, n, "CRL number missing");
		goto out;
	}
	rc = 0;
out:
	buf_free(&alg);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	ASN1_INTEGER_free(num);
	return rc;
}

/* ResponseData: must parse as part of a BasicOCSPResponse and name our
 * responder by key hash. */
static int check_ocsp(struct signer_keys *k, const unsigned char *tbs, size_t len, char *err,
		      size_t n)
{
	buf b, alg;
	OCSP_BASICRESP *bs = NULL;
	int rc = -1;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	buf_init(&b, len + 256);
	buf_init(&alg, 256);
	snprintf(err, n, "ResponseData does not fit");
	if (pki_sigalg_der(X509_get0_pubkey(k->ocsp), &alg) != 0)
		goto out;
	pki_assemble(&b, tbs, len, alg.data, alg.len, "", 0);
	const unsigned char *p = (const unsigned char *)b.data;
	bs = b.err ? NULL : d2i_OCSP_BASICRESP(NULL, &p, (long)b.len);
	if (bs == NULL || p != (const unsigned char *)b.data + b.len)
		goto out;
	const ASN1_OCTET_STRING *keyid = NULL;
	const X509_NAME *name = NULL;
	if (!OCSP_resp_get0_id(bs, &keyid, &name) || keyid == NULL ||
	    !X509_pubkey_digest(k->ocsp, EVP_sha1(), md, &mdlen) ||
	    (unsigned)ASN1_STRING_length(keyid) != mdlen ||
	    memcmp(ASN1_STRING_get0_data(keyid), md, mdlen) != 0) {
		snprintf(err, n, "responder id is not our OCSP responder");
		goto out;
	}
	if (OCSP_resp_count(bs) < 1) {
		snprintf(err, n, "no single responses");
		goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	buf_free(&alg);
	OCSP_BASICRESP_free(bs);
	return rc;
}

/* Signs with key; the algorithm follows the certificate's public key (a
 * token key may not expose its parameters). */
static int sign_bytes(EVP_PKEY *key, X509 *cert, const unsigned char *tbs, size_t len,
		      unsigned char **sig, size_t *siglen)
{
	int nid, ptype, rc = -1;
	const EVP_MD *md;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	*sig = NULL;
	if (ctx == NULL || pki_sigalg(X509_get0_pubkey(cert), &nid, &ptype, &md) != 0 ||
	    EVP_DigestSignInit(ctx, NULL, md, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, NULL, siglen, tbs, len) != 1)
		goto out;
	*sig = malloc(*siglen);
	if (*sig == NULL || EVP_DigestSign(ctx, *sig, siglen, tbs, len) != 1)
		goto out;
	rc = 0;
out:
	if (rc != 0) {
		free(*sig);
		*sig = NULL;
	}
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* Sends a refusal (logged). */
static int refuse(int fd, uint32_t op, const char *err)
{
	log_warn("signer: %s refused: %s", signer_op_names[op], err);
	return send_frame(fd, REPLY_REFUSED, err, strlen(err));
}

/* ISSUE_CERT: the signer builds, checks, signs and journals the
 * certificate (signer_issue.c) and replies with its DER. */
static int handle_issue(int fd, struct signer_keys *k, const unsigned char *p, size_t len)
{
	char err[256] = "";
	unsigned char *der = NULL;
	size_t der_len = 0;
	struct signer_issue_ctx c = {k->ca_key, k->ca, &k->journal, sign_bytes, k->card_client};
	if (signer_issue_cert(&c, p, len, clock_now(), &der, &der_len, err, sizeof err) != 0)
		return refuse(fd, SIGNER_ISSUE_CERT, err[0] ? err : "not signed");
	int rc = send_frame(fd, REPLY_OK, der, der_len);
	free(der);
	return rc;
}

/* SIGN_CRL: check, then under the journal lock: number = last + 1, the
 * TBS rebuilt with the signer's own crlExtensions (AKI, AIA, that number), sign,
 * journal the CRL (fsync), reply with the number (8 bytes, big-endian)
 * followed by the signature. */
static int handle_crl(int fd, struct signer_keys *k, const unsigned char *p, size_t len)
{
	char err[256] = "";
	struct crl_head h = {0};
	struct journal_rec r = {.kind = JOURNAL_CRL};
	unsigned char *sig = NULL, *reply = NULL;
	size_t siglen = 0;
	int locked = 0, rc;
	buf tbs;
	buf_init(&tbs, len + 4096);
	if (check_crl(k, p, len, &h, err, sizeof err) != 0)
		goto refused;
	if (journal_lock(&k->journal, err, sizeof err) != 0)
		goto refused;
	locked = 1;
	r.number = k->journal.last_crl + 1;
	r.this_update = h.this_update;
	r.entries = h.entries;
	buf_append(&tbs, h.body, h.body_len);
	pki_crl_exts(&tbs, k->ca, r.number);
	der_wrap(&tbs, 0, DER_SEQUENCE);
	if (tbs.err) {
		snprintf(err, sizeof err, "TBSCertList too large");
		goto refused;
	}
	if (sign_bytes(k->ca_key, k->ca, (const unsigned char *)tbs.data, tbs.len, &sig, &siglen) !=
	    0) {
		pki_ssl_err(err, sizeof err, "signature failed");
		goto refused;
	}
	journal_sha256_hex(tbs.data, tbs.len, r.sha256);
	if (journal_append(&k->journal, &r, err, sizeof err) != 0)
		goto refused;
	journal_unlock(&k->journal);
	locked = 0;
	reply = malloc(siglen + 8);
	if (reply == NULL) {
		rc = -1;
		goto out;
	}
	for (int i = 0; i < 8; i++)
		reply[i] = (unsigned char)((uint64_t)r.number >> (56 - 8 * i));
	memcpy(reply + 8, sig, siglen);
	rc = send_frame(fd, REPLY_OK, reply, siglen + 8);
	goto out;
refused:
	if (locked)
		journal_unlock(&k->journal);
	rc = refuse(fd, SIGNER_SIGN_CRL, err[0] ? err : "not signed");
out:
	free(sig);
	free(reply);
	buf_free(&tbs);
	return rc;
}

/* SIGN_OCSP: check and sign with the responder key (not journaled); the
 * reply starts with the SHA-256 of the responder certificate in use, so the
 * web side sees a renewal. */
static int handle_ocsp(int fd, struct signer_keys *k, const unsigned char *p, size_t len)
{
	char err[256] = "";
	unsigned char *sig = NULL, *reply = NULL;
	size_t siglen = 0;
	if (signer_ocsp_refresh(&k->journal, k->ca, k->ca_key, &k->ocsp, 0, err, sizeof err) != 0)
		log_warn("signer: OCSP responder certificate not renewed: %s", err);
	if (check_ocsp(k, p, len, err, sizeof err) != 0)
		return refuse(fd, SIGNER_SIGN_OCSP, err);
	if (sign_bytes(k->ocsp_key, k->ocsp, p, len, &sig, &siglen) != 0) {
		pki_ssl_err(err, sizeof err, "signature failed");
		return refuse(fd, SIGNER_SIGN_OCSP, err);
	}
	reply = malloc(SIGNER_OCSP_ID_LEN + siglen);
	if (reply == NULL || signer_ocsp_id(k->ocsp, reply) != 0) {
		free(sig);
		free(reply);
		return refuse(fd, SIGNER_SIGN_OCSP, "responder certificate not encodable");
	}
	memcpy(reply + SIGNER_OCSP_ID_LEN, sig, siglen);
	int rc = send_frame(fd, REPLY_OK, reply, SIGNER_OCSP_ID_LEN + siglen);
	free(sig);
	free(reply);
	return rc;
}

/* OCSP_CERT: the current responder certificate's DER, renewed first when
 * it is due, or now when the payload is the byte 1. */
static int handle_ocsp_cert(int fd, struct signer_keys *k, const unsigned char *p, size_t len)
{
	char err[256] = "";
	unsigned char *der = NULL;
	int force = len == 1 && p[0] == 1;
	if (len > 0 && !force)
		return refuse(fd, SIGNER_OCSP_CERT, "payload is neither empty nor 1");
	if (signer_ocsp_refresh(&k->journal, k->ca, k->ca_key, &k->ocsp,
				SIGNER_OCSP_CATCH_UP | (force ? SIGNER_OCSP_FORCE : 0), err,
				sizeof err) != 0) {
		if (force)
			return refuse(fd, SIGNER_OCSP_CERT, err);
		log_warn("signer: OCSP responder certificate not renewed: %s", err);
	}
	int l = i2d_X509(k->ocsp, &der);
	if (l <= 0)
		return refuse(fd, SIGNER_OCSP_CERT, "responder certificate not encodable");
	int rc = send_frame(fd, REPLY_OK, der, (size_t)l);
	OPENSSL_free(der);
	return rc;
}

/* SIGN_CHECKPOINT: see signer_checkpoint.c. */
static int handle_checkpoint(int fd, struct signer_keys *k, const unsigned char *p, size_t len)
{
	char err[256] = "";
	unsigned char sig[PKI_CHECKPOINT_SIG_LEN];
	if (signer_checkpoint_sign(k->audit_key, &k->journal, p, len, sig, err, sizeof err) != 0)
		return refuse(fd, SIGNER_SIGN_CHECKPOINT, err[0] ? err : "not signed");
	return send_frame(fd, REPLY_OK, sig, sizeof sig);
}

/* OPEN_PIN: opens one sealed card PIN (pinseal.h) and replies with it. The
 * web process asks only after consuming a one-time authorization; each
 * opening is logged here (without the PIN). */
static int handle_open_pin(int fd, struct signer_keys *k, const unsigned char *p, size_t len)
{
	char err[256] = "", pin[PKI_PIN_MAX + 1];
	if (!k->pin_loaded)
		return refuse(fd, SIGNER_OPEN_PIN, "no PIN seal key");
	if (signer_pinseal_open(k->pin_pk, k->pin_sk, p, len, pin, err, sizeof err) != 0)
		return refuse(fd, SIGNER_OPEN_PIN, err);
	log_info("signer: OPEN_PIN: one sealed card PIN opened");
	int rc = send_frame(fd, REPLY_OK, pin, strlen(pin));
	sodium_memzero(pin, sizeof pin);
	return rc;
}

/* Handles one request; returns -1 when the child must exit. */
static int child_handle(int fd, struct signer_keys *k, uint32_t op, const unsigned char *p,
			size_t len)
{
	switch (op) {
	case SIGNER_PING: return send_frame(fd, REPLY_OK, "pong", 4);
	case SIGNER_SIGN_CRL: return handle_crl(fd, k, p, len);
	case SIGNER_SIGN_OCSP: return handle_ocsp(fd, k, p, len);
	case SIGNER_ISSUE_CERT: return handle_issue(fd, k, p, len);
	case SIGNER_OCSP_CERT: return handle_ocsp_cert(fd, k, p, len);
	case SIGNER_SIGN_CHECKPOINT: return handle_checkpoint(fd, k, p, len);
	case SIGNER_OPEN_PIN: return handle_open_pin(fd, k, p, len);
	default: return -1;
	}
}

static int child_load(const char *dir, struct signer_keys *k)
{
	char p[4096], err[256] = "";
	/* Token or encrypted files, never the root key (keystore.h). */
	if (pki_keys_load(dir, &k->ca_key, &k->ocsp_key, err, sizeof err) != 0) {
		log_error("signer: refusing to start: CA keys not loaded: %s", err);
		return -1;
	}
	if (pki_path(p, sizeof p, dir, "issuing.pem") || !(k->ca = pki_load_cert(p)) ||
	    pki_path(p, sizeof p, dir, "ocsp.pem") || !(k->ocsp = pki_load_cert(p))) {
		log_error("signer: cannot load the CA keys and certificates from %s %s", dir, err);
		return -1;
	}
	if (!X509_check_private_key(k->ca, k->ca_key) ||
	    !X509_check_private_key(k->ocsp, k->ocsp_key)) {
		log_error("signer: a key in %s does not match its certificate", dir);
		return -1;
	}
	unsigned char *q = k->ca_name;
	int nl = i2d_X509_NAME(X509_get_subject_name(k->ca), NULL);
	if (nl <= 0 || (size_t)nl > sizeof k->ca_name)
		return -1;
	k->ca_name_len = (size_t)i2d_X509_NAME(X509_get_subject_name(k->ca), &q);
	if (pki_path(p, sizeof p, dir, JOURNAL_FILE) != 0 ||
	    journal_open(&k->journal, p, err, sizeof err) != 0) {
		log_error("signer: refusing to start: %s (%s)", err, p);
		return -1;
	}
	log_info("signer: journal %s: %ld records, last CRL number %lld", p, k->journal.line,
		 (long long)k->journal.last_crl);
	/* The newest responder certificate is ocsp.pem's or the journal's. */
	if (signer_ocsp_refresh(&k->journal, k->ca, k->ca_key, &k->ocsp, SIGNER_OCSP_CATCH_UP, err,
				sizeof err) != 0)
		log_warn("signer: OCSP responder certificate not renewed: %s", err);
	if ((k->audit_key = signer_audit_key_load(dir, err, sizeof err)) == NULL) {
		log_error("signer: refusing to start: %s", err);
		return -1;
	}
	/* Card PINs are not the CA's keys: without this key the signer still
	 * signs, and refuses OPEN_PIN. */
	k->pin_loaded = signer_pinseal_load(dir, k->pin_pk, k->pin_sk, err, sizeof err) == 0;
	if (!k->pin_loaded)
		log_warn("signer: OPEN_PIN unavailable: %s", err);
	return 0;
}

static void child_free(struct signer_keys *k)
{
	EVP_PKEY_free(k->ca_key);
	EVP_PKEY_free(k->ocsp_key);
	pki_keys_close();
	EVP_PKEY_free(k->audit_key);
	sodium_memzero(k->pin_sk, sizeof k->pin_sk);
	X509_free(k->ca);
	X509_free(k->ocsp);
	if (k->journal.fd >= 0)
		journal_close(&k->journal);
}

static void child_fds(int sock)
{
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
	}
	if (sock != 3) {
		dup2(sock, 3);
	}
	/* Keep 0-2 (stderr carries log lines) and the channel on fd 3. */
	close_range(4, ~0U, 0);
}

static void __attribute__((noreturn))
child_main(int sock, const char *dir, pid_t parent, int card_client)
{
	struct signer_keys k = {.journal.fd = -1, .card_client = card_client};
	unsigned char *payload = NULL;
	int status = 1;
	child_fds(sock);
	sock = 3;
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	EVP_PKEY *keys[] = {NULL, NULL};
	if (signer_child_user(parent) != 0 || child_load(dir, &k) != 0)
		goto out;
	keys[0] = k.ca_key;
	keys[1] = k.ocsp_key;
	if (signer_child_sandbox(sock, k.journal.fd, keys, 2) != 0)
		goto out;
	for (;;) {
		uint32_t h[2];
		int r = read_all(sock, h, sizeof h);
		if (r == 1) {
			status = 0; /* EOF: the server is gone */
			goto out;
		}
		if (r != 0)
			goto out;
		uint32_t op = ntohl(h[0]), len = ntohl(h[1]);
		size_t limit = op_limit(op);
		if (limit == 0 || len > limit) {
			log_error("signer: op %u with %u bytes: exiting", op, len);
			status = 2;
			goto out;
		}
		payload = malloc(len ? len : 1);
		if (payload == NULL || read_all(sock, payload, len) != 0)
			goto out;
		if (child_handle(sock, &k, op, payload, len) != 0)
			goto out;
		free(payload);
		payload = NULL;
	}
out:
	free(payload);
	child_free(&k);
	_exit(status);
}

void signer_child_run(int channel, const char *dir, pid_t parent, int card_client)
{
	child_main(channel, dir, parent, card_client);
}

/* ---- parent ---- */

static pthread_mutex_t signer_mu = PTHREAD_MUTEX_INITIALIZER;
static int signer_fd = -1;
static pid_t signer_child = -1;
static int signer_remote; /* connected to `eimza signer` (ca.signer_socket) */
static int signer_card;	  /* the next forked signer serves card production */
static char signer_dir[4096];

static void reap_locked(void)
{
	if (signer_fd >= 0)
		close(signer_fd);
	signer_fd = -1;
	if (signer_child > 0) {
		int st;
		while (waitpid(signer_child, &st, 0) < 0 && errno == EINTR)
			;
	}
	signer_child = -1;
	signer_remote = 0;
}

/* One request and its reply; the mutex is held. 0 ok, 1 refused, -1 I/O. */
static int roundtrip_locked(uint32_t op, const void *data, size_t len, unsigned char **out,
			    size_t *outlen)
{
	uint32_t h[2];
	*out = NULL;
	if (signer_fd < 0 || send_frame(signer_fd, op, data, len) != 0 ||
	    read_all(signer_fd, h, sizeof h) != 0)
		return -1;
	uint32_t code = ntohl(h[0]), rl = ntohl(h[1]);
	if (rl > SIGNER_MAX_FRAME || (code != REPLY_OK && code != REPLY_REFUSED))
		return -1;
	*out = malloc(rl + 1);
	if (*out == NULL || read_all(signer_fd, *out, rl) != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[rl] = '\0';
	*outlen = rl;
	return code == REPLY_OK ? 0 : 1;
}

/* ca.signer_socket set: the signer is its own service; connect to it. */
static int connect_locked(const char *path)
{
	signer_fd = signer_service_connect(path);
	if (signer_fd < 0)
		return -1;
	signer_remote = 1;
	unsigned char *pong = NULL;
	size_t pl = 0;
	if (roundtrip_locked(SIGNER_PING, NULL, 0, &pong, &pl) != 0) {
		log_error("signer: the signer service on %s did not answer", path);
		free(pong);
		reap_locked();
		return -1;
	}
	free(pong);
	log_info("signer: connected to the signer service on %s", path);
	return 0;
}

static int start_locked(void)
{
	int sv[2];
	const char *path = config_get("ca.signer_socket");
	if (path[0] != '\0')
		return connect_locked(path);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		log_error("signer: socketpair: %s", strerror(errno));
		return -1;
	}
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		log_error("signer: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		child_main(sv[1], signer_dir, parent, signer_card);
	}
	close(sv[1]);
	signer_fd = sv[0];
	signer_child = pid;
	unsigned char *pong = NULL;
	size_t pl = 0;
	if (roundtrip_locked(SIGNER_PING, NULL, 0, &pong, &pl) != 0) {
		log_error("signer: did not start (CA files in %s?)", signer_dir);
		free(pong);
		reap_locked();
		return -1;
	}
	free(pong);
	log_info("signer: started (pid %d) for %s", (int)pid, signer_dir);
	return 0;
}

int signer_start(const char *ca_dir)
{
	int rc;
	char perr[512];
	/* The signer certifies nothing under a profile configuration that would
	 * make its certificates claim a TLS/EV policy (docs/PROFILE.md). */
	if (pki_policy_config_check(perr, sizeof perr) != 0) {
		log_error("signer: profile configuration refused: %s", perr);
		return -1;
	}
	if (snprintf(signer_dir, sizeof signer_dir, "%s", ca_dir) >= (int)sizeof signer_dir)
		return -1;
	signer_unwatch();
	pthread_mutex_lock(&signer_mu);
	reap_locked();
	rc = start_locked();
	pthread_mutex_unlock(&signer_mu);
	return rc;
}

void signer_set_card_client(int on)
{
	signer_card = on != 0;
}

void signer_stop(void)
{
	signer_unwatch();
	pthread_mutex_lock(&signer_mu);
	reap_locked();
	pthread_mutex_unlock(&signer_mu);
}

pid_t signer_pid(void)
{
	return signer_child;
}

int signer_channel_dup(void)
{
	pthread_mutex_lock(&signer_mu);
	int fd = signer_remote && signer_fd >= 0 ? fcntl(signer_fd, F_DUPFD_CLOEXEC, 0) : -1;
	pthread_mutex_unlock(&signer_mu);
	return fd;
}

int signer_ping(void)
{
	unsigned char *sig = NULL;
	size_t l = 0;
	char err[64];
	int rc = signer_sign(SIGNER_PING, NULL, 0, &sig, &l, err, sizeof err);
	free(sig);
	return rc;
}

int signer_sign(enum signer_op op, const void *tbs, size_t len, unsigned char **sig, size_t *siglen,
		char *err, size_t n)
{
	int rc;
	*sig = NULL;
	if (op <= 0 || op >= SIGNER_OP__MAX || op_limit((uint32_t)op) == 0 ||
	    len > op_limit((uint32_t)op)) {
		snprintf(err, n, "signer: request too large or unknown");
		return -1;
	}
	pthread_mutex_lock(&signer_mu);
	rc = roundtrip_locked((uint32_t)op, tbs, len, sig, siglen);
	pid_t gone = -1;
	if (rc < 0 && signer_fd >= 0) {
		/* Never restarted here: this process may have read network input.
		 * The channel is closed (the child, if alive, exits on EOF) and
		 * signer_stop() reaps it. */
		close(signer_fd);
		signer_fd = -1;
		gone = signer_remote ? 0 : signer_child; /* 0: the signer service */
	}
	pthread_mutex_unlock(&signer_mu);
	if (gone >= 0)
		signer_lost(gone, "the signer is gone (a request on its channel failed)");
	if (rc == 1) {
		snprintf(err, n, "signer refused: %s", (char *)*sig);
		free(*sig);
		*sig = NULL;
		return -1;
	}
	if (rc < 0) {
		snprintf(err, n,
			 "signer unavailable (the signer process is gone and is not restarted)");
		return -1;
	}
	return 0;
}
