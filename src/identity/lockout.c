#include "identity/lockout.h"

#include <sodium.h>
#include <string.h>

#include "util/log.h"
#include "util/secret.h"

/* Hex of the hash of key; keyed under the server secret when there is one,
 * so a copy of the table alone does not reveal which numbers failed. */
static void hash_key(const char *key, char out[65])
{
	if (secret_keyed_hash_hex(SECRET_LOCKOUT, key, strlen(key), out) == 0)
		return;
	log_warn("lockout: no server secret, storing an unkeyed hash");
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)key, strlen(key), NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* The key as stored: hashed for the "tckn" scope and for overlong keys. */
static void stored_key(const char *scope, const char *key, char out[LOCKOUT_KEY_MAX + 1])
{
	size_t n = strlen(key);
	if (strcmp(scope, "tckn") == 0 || n > LOCKOUT_KEY_MAX) {
		char h[65];
		hash_key(key, h);
		memcpy(out, h, sizeof h);
		return;
	}
	memcpy(out, key, n + 1);
}

int64_t lockout_until(db *d, const char *scope, const char *key, int64_t now)
{
	char k[LOCKOUT_KEY_MAX + 1];
	int64_t until = 0;
	db_stmt *s = NULL;

	if (scope == NULL || key == NULL)
		goto out;
	stored_key(scope, key, k);
	s = db_prepare(d, "SELECT locked_until FROM login_failures WHERE scope = $1 AND key = $2");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, k);
	int rc = db_step(s);
	if (rc == DB_ROW)
		until = db_col_int64(s, 0);
	else if (rc != DB_DONE)
		log_error("lockout: reading %s failed: %s", scope, db_errmsg(d));
	if (until <= now)
		until = 0;
out:
	if (s != NULL)
		db_finalize(s);
	return until;
}

/* Adds one failure, starting a new window when the current one is over, and
 * returns the count in the window (-1 on error). One statement, so it is
 * atomic on both backends. */
static int64_t count_failure(db *d, const char *scope, const char *k, int64_t now,
			     int64_t window_start)
{
	int64_t count = -1;
	db_stmt *s = db_prepare(
		d, "INSERT INTO login_failures (scope, key, count, first_at, locked_until) "
		   "VALUES ($1, $2, 1, $3, 0) ON CONFLICT (scope, key) DO UPDATE SET "
		   "count = CASE WHEN login_failures.first_at <= $4 THEN 1 "
		   "ELSE login_failures.count + 1 END, "
		   "first_at = CASE WHEN login_failures.first_at <= $4 THEN $3 "
		   "ELSE login_failures.first_at END "
		   "RETURNING count");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, k);
	db_bind_int64(s, 3, now);
	db_bind_int64(s, 4, window_start);
	if (db_step(s) != DB_ROW) {
		log_error("lockout: counting a %s failure failed: %s", scope, db_errmsg(d));
		goto out;
	}
	count = db_col_int64(s, 0);
out:
	if (s != NULL)
		db_finalize(s);
	return count;
}

/* Locks the pair and starts its count again, so that after the lock the
 * user has a full set of attempts. */
static int lock_pair(db *d, const char *scope, const char *k, int64_t now, int64_t until)
{
	int rc = -1;
	db_stmt *s = db_prepare(d, "UPDATE login_failures SET locked_until = $3, count = 0, "
				   "first_at = $4 WHERE scope = $1 AND key = $2");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, k);
	db_bind_int64(s, 3, until);
	db_bind_int64(s, 4, now);
	if (db_step(s) != DB_DONE) {
		log_error("lockout: locking %s failed: %s", scope, db_errmsg(d));
		goto out;
	}
	rc = 0;
out:
	if (s != NULL)
		db_finalize(s);
	return rc;
}

int lockout_fail(db *d, const char *scope, const char *key, int max_failures, int window_seconds,
		 int lock_seconds, int64_t now)
{
	char k[LOCKOUT_KEY_MAX + 1];
	int rc = -1;

	if (scope == NULL || key == NULL)
		goto out;
	stored_key(scope, key, k);
	int64_t count = count_failure(d, scope, k, now, now - (int64_t)window_seconds);
	if (count < 0)
		goto out;
	rc = 0;
	if (count >= (int64_t)(max_failures > 0 ? max_failures : 1)) {
		if (lock_pair(d, scope, k, now, now + (int64_t)lock_seconds) != 0) {
			rc = -1;
			goto out;
		}
		log_info("lockout: %s locked for %d s after %lld failures", scope, lock_seconds,
			 (long long)count);
		rc = 1;
	}
out:
	sodium_memzero(k, sizeof k);
	return rc;
}

void lockout_clear(db *d, const char *scope, const char *key)
{
	char k[LOCKOUT_KEY_MAX + 1];
	db_stmt *s = NULL;

	if (scope == NULL || key == NULL)
		goto out;
	stored_key(scope, key, k);
	s = db_prepare(d, "DELETE FROM login_failures WHERE scope = $1 AND key = $2");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, k);
	if (db_step(s) != DB_DONE)
		log_error("lockout: clearing %s failed: %s", scope, db_errmsg(d));
out:
	if (s != NULL)
		db_finalize(s);
}

/* ---- growing delays (the staff console, app/staff_throttle.c) ---- */

int64_t lockout_count_failure(db *d, const char *scope, const char *key, int window_seconds,
			      int64_t now)
{
	char k[LOCKOUT_KEY_MAX + 1];
	if (scope == NULL || key == NULL)
		return -1;
	stored_key(scope, key, k);
	int64_t count = count_failure(d, scope, k, now, now - (int64_t)window_seconds);
	sodium_memzero(k, sizeof k);
	return count;
}

int lockout_hold(db *d, const char *scope, const char *key, int64_t until)
{
	char k[LOCKOUT_KEY_MAX + 1];
	int rc = -1;
	db_stmt *s = NULL;
	if (scope == NULL || key == NULL)
		return -1;
	stored_key(scope, key, k);
	/* Never shortens a hold already running; keeps the count. */
	s = db_prepare(d, "UPDATE login_failures SET locked_until = CASE WHEN locked_until > $3 "
			  "THEN locked_until ELSE $3 END WHERE scope = $1 AND key = $2");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, k);
	db_bind_int64(s, 3, until);
	if (db_step(s) != DB_DONE) {
		log_error("lockout: holding %s failed: %s", scope, db_errmsg(d));
		goto out;
	}
	rc = 0;
out:
	if (s != NULL)
		db_finalize(s);
	sodium_memzero(k, sizeof k);
	return rc;
}

int64_t lockout_failures(db *d, const char *scope, const char *key, int window_seconds, int64_t now)
{
	char k[LOCKOUT_KEY_MAX + 1];
	int64_t count = 0;
	db_stmt *s = NULL;
	if (scope == NULL || key == NULL)
		return 0;
	stored_key(scope, key, k);
	s = db_prepare(d, "SELECT count FROM login_failures WHERE scope = $1 AND key = $2 "
			  "AND first_at > $3");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, k);
	db_bind_int64(s, 3, now - (int64_t)window_seconds);
	int rc = db_step(s);
	if (rc == DB_ROW)
		count = db_col_int64(s, 0);
	else if (rc != DB_DONE)
		log_error("lockout: reading %s failures failed: %s", scope, db_errmsg(d));
out:
	if (s != NULL)
		db_finalize(s);
	sodium_memzero(k, sizeof k);
	return count;
}
