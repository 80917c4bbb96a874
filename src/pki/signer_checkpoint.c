/* The signer's side of SIGN_CHECKPOINT (see checkpoint.h): the audit key,
 * loaded with the other keys before any request, and the monotonic,
 * journaled checkpoint signature. Nothing here opens a file after start. */
#include "pki/checkpoint.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "pki/internal.h"
#include "pki/keystore.h"
#include "util/clock.h"

EVP_PKEY *signer_audit_key_load(const char *dir, char *err, size_t n)
{
	char p[4096], pass[KEYS_PASS_MAX], why[256] = "";
	EVP_PKEY *k = NULL;
	if (pki_audit_key_ensure(dir, err, n) != 0)
		return NULL;
	/* Encrypted under the online keys' passphrase (keystore.h). */
	if (pki_path(p, sizeof p, dir, PKI_AUDIT_KEY_FILE) == 0 &&
	    pki_keys_passphrase(dir, 0, pass, sizeof pass, why, sizeof why) == 0)
		k = pki_key_read_encrypted(p, pass, 0, why, sizeof why);
	OPENSSL_cleanse(pass, sizeof pass);
	if (k == NULL) {
		snprintf(err, n, "audit key %s/%s unreadable: %s", dir, PKI_AUDIT_KEY_FILE, why);
		return NULL;
	}
	if (EVP_PKEY_get_id(k) != EVP_PKEY_ED25519) {
		snprintf(err, n, "audit key %s/%s is not an Ed25519 key", dir, PKI_AUDIT_KEY_FILE);
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

/* Ed25519 over msg (no pre-hash). 0 or -1. */
static int ed25519_sign(EVP_PKEY *key, const unsigned char *msg, size_t len,
			unsigned char sig[PKI_CHECKPOINT_SIG_LEN])
{
	size_t siglen = PKI_CHECKPOINT_SIG_LEN;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx != NULL && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
		 EVP_DigestSign(ctx, sig, &siglen, msg, len) == 1 &&
		 siglen == PKI_CHECKPOINT_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* Refusals that need the journal's last checkpoint (the lock is held). */
static int check_against_last(const struct journal *j, const struct audit_checkpoint *c, char *err,
			      size_t n)
{
	if (c->count < j->cp_count) {
		snprintf(err, n, "count %" PRId64 " is below the last checkpoint's %" PRId64,
			 c->count, j->cp_count);
		return -1;
	}
	if (c->count == j->cp_count && strcmp(c->head, j->cp_head) != 0) {
		snprintf(err, n, "count %" PRId64 " was checkpointed with another head", c->count);
		return -1;
	}
	return 0;
}

int signer_checkpoint_sign(EVP_PKEY *key, struct journal *j, const unsigned char *p, size_t len,
			   unsigned char sig[PKI_CHECKPOINT_SIG_LEN], char *err, size_t n)
{
	struct audit_checkpoint c;
	struct journal_rec r = {.kind = JOURNAL_CHECKPOINT};
	unsigned char msg[PKI_CHECKPOINT_MSG_LEN];
	int64_t now = clock_now();
	int rc = -1;
	if (key == NULL) {
		snprintf(err, n, "no audit key");
		return -1;
	}
	if (pki_checkpoint_parse(p, len, &c) != 0) {
		snprintf(err, n, "checkpoint request malformed");
		return -1;
	}
	if (c.at < now - PKI_CHECKPOINT_SKEW || c.at > now + PKI_CHECKPOINT_SKEW) {
		snprintf(err, n, "checkpoint time %" PRId64 " is not now (%" PRId64 ")", c.at, now);
		return -1;
	}
	if (journal_lock(j, err, n) != 0)
		return -1;
	if (check_against_last(j, &c, err, n) != 0)
		goto out;
	pki_checkpoint_message(p, msg);
	if (ed25519_sign(key, msg, sizeof msg, sig) != 0) {
		pki_ssl_err(err, n, "checkpoint signature failed");
		goto out;
	}
	r.count = c.count;
	r.at = c.at;
	memcpy(r.head, c.head, sizeof r.head);
	sodium_bin2hex(r.signature, sizeof r.signature, sig, PKI_CHECKPOINT_SIG_LEN);
	/* A signature whose journal record could not be written is not given. */
	if (journal_append(j, &r, err, n) != 0)
		goto out;
	rc = 0;
out:
	journal_unlock(j);
	if (rc != 0)
		sodium_memzero(sig, PKI_CHECKPOINT_SIG_LEN);
	return rc;
}
