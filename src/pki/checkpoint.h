/* Signed audit checkpoints (issue 9).
 *
 * The audit chain (store/audit.c) is an unkeyed hash chain: anyone with
 * write access to the database can rewrite it or cut records off its end
 * and recompute it. What they cannot do is sign: the signer process holds
 * an Ed25519 audit key (`<ca.dir>/audit.key`, public half `audit.pub`) and,
 * on request (op SIGN_CHECKPOINT), signs the number of audit records and
 * the newest record's hash at a time. `eimza audit verify` then checks the
 * chain against the newest checkpoint with the public key.
 *
 * The request payload (48 bytes) is
 *
 *     u64 count  (big-endian)   audit records covered
 *     32 bytes   head           hash of record `count` (zeros for 0)
 *     i64 time   (big-endian)   Unix seconds
 *
 * and the signed message is the 25 ASCII bytes "eimza audit checkpoint v1"
 * followed by those 48 bytes (73 bytes, Ed25519 over the message itself).
 * The signer refuses a count below its last checkpoint's (kept in its
 * journal), the same count with another head, and a time more than
 * PKI_CHECKPOINT_SKEW seconds from its clock. */
#ifndef EIMZA_PKI_CHECKPOINT_H
#define EIMZA_PKI_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "pki/journal.h"
#include "store/audit_checkpoint.h"
#include "store/db.h"

#define PKI_CHECKPOINT_DOMAIN "eimza audit checkpoint v1"
#define PKI_CHECKPOINT_DOMAIN_LEN (sizeof PKI_CHECKPOINT_DOMAIN - 1)
#define PKI_CHECKPOINT_REQ_LEN 48
#define PKI_CHECKPOINT_MSG_LEN (PKI_CHECKPOINT_DOMAIN_LEN + PKI_CHECKPOINT_REQ_LEN)
#define PKI_CHECKPOINT_SIG_LEN 64
#define PKI_CHECKPOINT_SKEW 300
#define PKI_AUDIT_KEY_FILE "audit.key"
#define PKI_AUDIT_PUB_FILE "audit.pub"

/* ---- both sides ---- */

/* The request payload of c (count, head hex, at). 0, or -1 when the head is
 * not 64 hex digits or a number is negative. */
int pki_checkpoint_request(const struct audit_checkpoint *c,
			   unsigned char out[PKI_CHECKPOINT_REQ_LEN]);
/* The inverse: count, head (lower-case hex) and at of a payload (the
 * signature is left empty). 0, or -1 when len is not the payload's or the
 * count does not fit an int64. */
int pki_checkpoint_parse(const unsigned char *p, size_t len, struct audit_checkpoint *c);
/* The signed message: the domain string followed by the payload. */
void pki_checkpoint_message(const unsigned char req[PKI_CHECKPOINT_REQ_LEN],
			    unsigned char msg[PKI_CHECKPOINT_MSG_LEN]);
/* Creates `<dir>/audit.key` (Ed25519, PKCS#8 PEM, 0600) unless it exists,
 * and writes `<dir>/audit.pub` (PEM, 0644) from it when missing. Safe
 * against a concurrent creator (the key file is linked into place). 0, or
 * -1 with the reason in err. */
int pki_audit_key_ensure(const char *dir, char *err, size_t n);

/* ---- the signer (signer_checkpoint.c) ---- */

/* Ensures and loads the audit key of dir (an Ed25519 private key). Called
 * in child_load with the other keys, before any request. NULL (err). */
EVP_PKEY *signer_audit_key_load(const char *dir, char *err, size_t n);
/* SIGN_CHECKPOINT: checks the payload against the journal's last checkpoint
 * and the clock, signs the message and journals the checkpoint (under the
 * journal's lock), then writes the signature to sig. 0, or -1 with the
 * reason for the refusal in err. */
int signer_checkpoint_sign(EVP_PKEY *key, struct journal *j, const unsigned char *p, size_t len,
			   unsigned char sig[PKI_CHECKPOINT_SIG_LEN], char *err, size_t n);

/* ---- the web process and the command line (checkpoint.c) ---- */

/* Asks the running signer (pki_init) for a checkpoint of d's audit chain as
 * it is now and stores it in audit_checkpoints. Unless force, nothing is
 * done when the newest stored checkpoint already has this count and head.
 * 1 made (in *out when not NULL), 0 nothing to do, -1 (err). */
int pki_checkpoint_make(db *d, int force, struct audit_checkpoint *out, char *err, size_t n);
/* Checks c's signature with `<ca_dir>/audit.pub`: 0 valid, 1 invalid, -1
 * when the public key cannot be read (err). */
int pki_checkpoint_verify(const char *ca_dir, const struct audit_checkpoint *c, char *err,
			  size_t n);
/* The newest checkpoint in the signer's journal `<ca_dir>/journal`: 1 found,
 * 0 none (or no journal), -2 the journal exists but this user cannot read
 * it, -1 the journal is broken (err). */
int pki_checkpoint_from_journal(const char *ca_dir, struct audit_checkpoint *c, char *err,
				size_t n);

/* `serve`: a thread that makes a checkpoint every `seconds` when the audit
 * chain changed (none when seconds <= 0); needs db_global_init(). */
int pki_checkpoint_timer_start(int64_t seconds);
/* Stops that thread and makes one last checkpoint (before pki_shutdown). */
void pki_checkpoint_timer_stop(void);

#endif
