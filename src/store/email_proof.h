/* E-mail confirmations of applications (table email_confirmations,
 * migration 0011): one-time tokens, stored as their SHA-256, that prove an
 * applicant controls the form's e-mail address. No function begins or
 * commits: callers hold the transaction. */
#ifndef EIMZA_STORE_EMAIL_PROOF_H
#define EIMZA_STORE_EMAIL_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"

#define EMAIL_PROOF_HASH_HEX 64
#define EMAIL_PROOF_EMAIL_MAX 254

/* Stores a new token hash for (application_id, email). 0 or -1. */
int email_proof_insert(db *d, const char *token_hash, int64_t application_id, const char *email,
		       int64_t now, int64_t expires_at);

/* Marks the token used when it exists, is unused and not expired at now,
 * and gives its application and address. 0: used now; 1: no such usable
 * token (unknown, used or expired); -1: database error. */
int email_proof_use(db *d, const char *token_hash, int64_t now, int64_t *application_id,
		    char email[EMAIL_PROOF_EMAIL_MAX + 1]);

/* 1 when `email` was proven for the application (a used token), 0 when
 * not, -1 on a database error. */
int email_proof_proven(db *d, int64_t application_id, const char *email);

#endif
