/* email_confirmations (see email_proof.h). */
#include "store/email_proof.h"

#include <stdio.h>
#include <string.h>

int email_proof_insert(db *d, const char *token_hash, int64_t application_id, const char *email,
		       int64_t now, int64_t expires_at)
{
	db_stmt *s = db_prepare(d, "INSERT INTO email_confirmations (token_hash, application_id, "
				   "email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, token_hash);
	db_bind_int64(s, 2, application_id);
	db_bind_text(s, 3, email);
	db_bind_int64(s, 4, now);
	db_bind_int64(s, 5, expires_at);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? 0 : -1;
}

int email_proof_use(db *d, const char *token_hash, int64_t now, int64_t *application_id,
		    char email[EMAIL_PROOF_EMAIL_MAX + 1])
{
	/* The UPDATE is the single use: of two requests with one token only
	 * one changes the row. */
	db_stmt *s = db_prepare(d, "UPDATE email_confirmations SET used_at = $2 WHERE token_hash "
				   "= $1 AND used_at IS NULL AND expires_at > $2");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, token_hash);
	db_bind_int64(s, 2, now);
	int rc = db_step(s);
	db_finalize(s);
	if (rc != DB_DONE)
		return -1;
	if (db_changes(d) != 1)
		return 1;
	s = db_prepare(d, "SELECT application_id, email FROM email_confirmations WHERE "
			  "token_hash = $1");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, token_hash);
	rc = db_step(s);
	if (rc == DB_ROW) {
		*application_id = db_col_int64(s, 0);
		snprintf(email, EMAIL_PROOF_EMAIL_MAX + 1, "%s",
			 db_col_text(s, 1) ? db_col_text(s, 1) : "");
	}
	db_finalize(s);
	return rc == DB_ROW ? 0 : -1;
}

int email_proof_proven(db *d, int64_t application_id, const char *email)
{
	db_stmt *s = db_prepare(d, "SELECT COUNT(*) FROM email_confirmations WHERE application_id "
				   "= $1 AND email = $2 AND used_at IS NOT NULL");
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, application_id);
	db_bind_text(s, 2, email);
	int rc = db_step(s);
	int64_t n = rc == DB_ROW ? db_col_int64(s, 0) : -1;
	db_finalize(s);
	return n < 0 ? -1 : n > 0;
}
