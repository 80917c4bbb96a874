/* Signed audit checkpoints, the side that asks and the side that checks
 * (see checkpoint.h): the request format, the audit key files, making a
 * checkpoint through the signer, verifying one with audit.pub, finding the
 * newest in the signer's journal, and the `serve` timer. */
#include "pki/checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <sodium.h>

#include "pki/internal.h"
#include "pki/keystore.h"
#include "pki/signer.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"

/* ---- the request and the message ---- */

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (56 - 8 * i));
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

int pki_checkpoint_request(const struct audit_checkpoint *c,
			   unsigned char out[PKI_CHECKPOINT_REQ_LEN])
{
	size_t got = 0;
	if (c->count < 0 || c->at < 0 || strlen(c->head) != AUDIT_HEAD_HEX ||
	    sodium_hex2bin(out + 8, 32, c->head, AUDIT_HEAD_HEX, NULL, &got, NULL) != 0 ||
	    got != 32)
		return -1;
	put_be64(out, (uint64_t)c->count);
	put_be64(out + 40, (uint64_t)c->at);
	return 0;
}

int pki_checkpoint_parse(const unsigned char *p, size_t len, struct audit_checkpoint *c)
{
	memset(c, 0, sizeof *c);
	if (len != PKI_CHECKPOINT_REQ_LEN)
		return -1;
	uint64_t count = get_be64(p), at = get_be64(p + 40);
	if (count > INT64_MAX || at > INT64_MAX)
		return -1;
	c->count = (int64_t)count;
	c->at = (int64_t)at;
	sodium_bin2hex(c->head, sizeof c->head, p + 8, 32);
	return 0;
}

void pki_checkpoint_message(const unsigned char req[PKI_CHECKPOINT_REQ_LEN],
			    unsigned char msg[PKI_CHECKPOINT_MSG_LEN])
{
	memcpy(msg, PKI_CHECKPOINT_DOMAIN, PKI_CHECKPOINT_DOMAIN_LEN);
	memcpy(msg + PKI_CHECKPOINT_DOMAIN_LEN, req, PKI_CHECKPOINT_REQ_LEN);
}

/* ---- the audit key files ---- */

/* Writes pub_path (PEM SubjectPublicKeyInfo, 0644) from the key at key_path. */
static int write_pub(const char *key_path, const char *pass, const char *pub_path)
{
	char err[256];
	EVP_PKEY *k = pki_key_read_encrypted(key_path, pass, 0, err, sizeof err);
	BIO *mem = BIO_new(BIO_s_mem());
	char *data;
	int rc = -1;
	if (k != NULL && mem != NULL && PEM_write_bio_PUBKEY(mem, k)) {
		long len = BIO_get_mem_data(mem, &data);
		rc = pki_write_file(pub_path, data, (size_t)len, 0644);
	}
	BIO_free(mem);
	EVP_PKEY_free(k);
	return rc;
}

int pki_audit_key_ensure(const char *dir, char *err, size_t n)
{
	char key[4096], pub[4096], pass[KEYS_PASS_MAX];
	int rc = -1;
	if (pki_path(key, sizeof key, dir, PKI_AUDIT_KEY_FILE) != 0 ||
	    pki_path(pub, sizeof pub, dir, PKI_AUDIT_PUB_FILE) != 0) {
		snprintf(err, n, "audit key path too long");
		return -1;
	}
	int missing = access(key, F_OK) != 0, pub_missing = access(pub, F_OK) != 0;
	if (!missing && !pub_missing)
		return 0;
	if (pki_keys_passphrase(dir, missing, pass, sizeof pass, err, n) != 0)
		return -1;
	if (missing) {
		if (pki_key_create_encrypted(key, "ED25519", pass) != 0) {
			snprintf(err, n, "cannot create the audit key %s: %s", key,
				 strerror(errno));
			goto out;
		}
		unlink(pub); /* a public key without its private half is stale */
		log_info("pki: audit checkpoint key created: %s", key);
	}
	if (access(pub, F_OK) != 0 && write_pub(key, pass, pub) != 0) {
		snprintf(err, n, "cannot write the audit public key %s", pub);
		goto out;
	}
	rc = 0;
out:
	OPENSSL_cleanse(pass, sizeof pass);
	return rc;
}

/* ---- making one ---- */

int pki_checkpoint_make(db *d, int force, struct audit_checkpoint *out, char *err, size_t n)
{
	struct audit_checkpoint c = {0}, last;
	unsigned char req[PKI_CHECKPOINT_REQ_LEN], *sig = NULL;
	size_t siglen = 0;
	int rc = -1;
	if (audit_chain_head(d, &c.count, c.head) != 0) {
		snprintf(err, n, "audit head unreadable: %s", db_errmsg(d));
		return -1;
	}
	int have = audit_checkpoint_newest(d, &last);
	if (have < 0) {
		snprintf(err, n, "audit checkpoints unreadable: %s", db_errmsg(d));
		return -1;
	}
	if (!force && have == 1 && last.count == c.count && strcmp(last.head, c.head) == 0)
		return 0;
	c.at = clock_now();
	if (pki_checkpoint_request(&c, req) != 0) {
		snprintf(err, n, "audit head is not a hash");
		return -1;
	}
	if (signer_sign(SIGNER_SIGN_CHECKPOINT, req, sizeof req, &sig, &siglen, err, n) != 0)
		return -1;
	if (siglen != PKI_CHECKPOINT_SIG_LEN) {
		snprintf(err, n, "checkpoint signature has %zu bytes", siglen);
		goto out;
	}
	sodium_bin2hex(c.signature, sizeof c.signature, sig, siglen);
	/* What is stored must verify: a key mix-up shows here, not at audit time. */
	if (pki_checkpoint_verify(pki_ca_dir(), &c, err, n) != 0) {
		if (err[0] == '\0')
			snprintf(err, n, "checkpoint signature does not verify with audit.pub");
		goto out;
	}
	if (audit_checkpoint_add(d, &c) != 0) {
		snprintf(err, n, "checkpoint not stored: %s", db_errmsg(d));
		goto out;
	}
	log_info("audit: checkpoint of %lld records signed", (long long)c.count);
	if (out != NULL)
		*out = c;
	rc = 1;
out:
	free(sig);
	return rc;
}

/* ---- checking one ---- */

int pki_checkpoint_verify(const char *ca_dir, const struct audit_checkpoint *c, char *err, size_t n)
{
	char path[4096];
	unsigned char req[PKI_CHECKPOINT_REQ_LEN], msg[PKI_CHECKPOINT_MSG_LEN];
	unsigned char sig[PKI_CHECKPOINT_SIG_LEN];
	size_t got = 0;
	EVP_PKEY *pub = NULL;
	EVP_MD_CTX *ctx = NULL;
	FILE *f = NULL;
	int rc = -1;
	err[0] = '\0';
	if (pki_path(path, sizeof path, ca_dir, PKI_AUDIT_PUB_FILE) != 0 ||
	    (f = fopen(path, "re")) == NULL ||
	    (pub = PEM_read_PUBKEY(f, NULL, NULL, NULL)) == NULL ||
	    EVP_PKEY_get_id(pub) != EVP_PKEY_ED25519) {
		snprintf(err, n, "audit public key %s unreadable", path);
		goto out;
	}
	rc = 1;
	if (strlen(c->signature) != AUDIT_SIG_HEX ||
	    sodium_hex2bin(sig, sizeof sig, c->signature, AUDIT_SIG_HEX, NULL, &got, NULL) != 0 ||
	    got != sizeof sig || pki_checkpoint_request(c, req) != 0)
		goto out;
	pki_checkpoint_message(req, msg);
	ctx = EVP_MD_CTX_new();
	if (ctx != NULL && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pub) == 1 &&
	    EVP_DigestVerify(ctx, sig, sizeof sig, msg, sizeof msg) == 1)
		rc = 0;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pub);
	if (f != NULL)
		fclose(f);
	return rc;
}

/* journal_read() callback: keeps the last checkpoint record. */
static int last_checkpoint(const struct journal_rec *r, void *arg)
{
	struct audit_checkpoint *c = arg;
	if (r->kind != JOURNAL_CHECKPOINT)
		return 0;
	c->count = r->count;
	c->at = r->at;
	memcpy(c->head, r->head, sizeof c->head);
	memcpy(c->signature, r->signature, sizeof c->signature);
	return 0;
}

int pki_checkpoint_from_journal(const char *ca_dir, struct audit_checkpoint *c, char *err, size_t n)
{
	char path[4096];
	memset(c, 0, sizeof *c);
	c->count = -1;
	if (pki_path(path, sizeof path, ca_dir, JOURNAL_FILE) != 0) {
		snprintf(err, n, "journal path too long");
		return -1;
	}
	if (access(path, F_OK) != 0)
		return 0;
	if (access(path, R_OK) != 0)
		return -2;
	if (journal_read(path, last_checkpoint, c, err, n) != 0)
		return -1;
	return c->count >= 0 ? 1 : 0;
}

/* ---- the serve timer ---- */

static pthread_mutex_t timer_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t timer_cv;
static pthread_t timer_thread;
static int timer_running, timer_stop;
static int64_t timer_seconds;

static void checkpoint_now(int force)
{
	char err[256] = "";
	db *d = db_thread();
	if (d == NULL || pki_checkpoint_make(d, force, NULL, err, sizeof err) < 0)
		log_error("audit: checkpoint failed: %s", d == NULL ? "no database" : err);
}

static void *timer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&timer_mu);
	while (!timer_stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)timer_seconds;
		while (!timer_stop &&
		       pthread_cond_timedwait(&timer_cv, &timer_mu, &until) != ETIMEDOUT)
			;
		if (timer_stop)
			break;
		pthread_mutex_unlock(&timer_mu);
		checkpoint_now(0);
		pthread_mutex_lock(&timer_mu);
	}
	pthread_mutex_unlock(&timer_mu);
	db_thread_close();
	return NULL;
}

int pki_checkpoint_timer_start(int64_t seconds)
{
	pthread_condattr_t ca;
	if (seconds <= 0)
		return 0;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&timer_cv, &ca);
	pthread_condattr_destroy(&ca);
	timer_seconds = seconds;
	timer_stop = 0;
	if (pthread_create(&timer_thread, NULL, timer_main, NULL) != 0) {
		log_error("audit: checkpoint timer not started");
		return -1;
	}
	timer_running = 1;
	return 0;
}

void pki_checkpoint_timer_stop(void)
{
	if (timer_running) {
		pthread_mutex_lock(&timer_mu);
		timer_stop = 1;
		pthread_cond_signal(&timer_cv);
		pthread_mutex_unlock(&timer_mu);
		pthread_join(timer_thread, NULL);
		pthread_cond_destroy(&timer_cv);
		timer_running = 0;
	}
	/* The last one, on an orderly shutdown, before the signer stops. */
	checkpoint_now(1);
	db_thread_close();
}
