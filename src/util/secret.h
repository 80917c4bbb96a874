/* The server's master secret: 32 random bytes in a file outside the database
 * (config server.secret_file, created 0600 on first use). Keyed hashes of
 * OTPs, the audit chain and lockout keys use subkeys derived from it, so a
 * copy of the database alone cannot brute-force a 6-digit code or rewrite
 * the audit chain. */
#ifndef EIMZA_SECRET_H
#define EIMZA_SECRET_H

#include <stddef.h>
#include <stdint.h>

enum secret_purpose {
	SECRET_OTP = 1,
	SECRET_AUDIT,
	SECRET_LOCKOUT,
	SECRET_SESSION,
	SECRET_TOTP_SEAL = 5,	/* staff TOTP secrets at rest (util/seal.h) */
	SECRET_CAPTCHA = 6,	/* keyed hashes of CAPTCHA answers */
	SECRET_MESSAGE_ID = 7,	/* idempotency keys of outgoing messages */
	SECRET_ENDORSEMENT = 8, /* institution endorsement links (app/endorse.c) */
	SECRET__MAX
};

/* Loads (or creates) the secret file. 0 on success. Thread-safe; called
 * lazily by secret_subkey too. */
int secret_init(const char *path);
/* Writes the 32-byte subkey for `purpose` into out. -1 if no secret. */
int secret_subkey(enum secret_purpose purpose, unsigned char out[32]);
/* Keyed hash (BLAKE2b-256) of data under the purpose's subkey, as 64 hex
 * characters plus NUL. */
int secret_keyed_hash_hex(enum secret_purpose purpose, const void *data, size_t len, char out[65]);

#endif
