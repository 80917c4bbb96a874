/* Failed-login lockouts, stored in table login_failures (migration 0004) so
 * they survive a restart and are shared by every node.
 *
 * A (scope, key) pair counts failures in a window that starts at its first
 * failure; when the count reaches the maximum, the pair is locked for
 * lock_seconds and its count starts again from zero. Scopes: "ip" (key
 * stored as given), "tckn" (key stored as a keyed hash under the server
 * secret), "staff" (stored as given). Keys longer than LOCKOUT_KEY_MAX bytes
 * are stored hashed too. */
#ifndef EIMZA_IDENTITY_LOCKOUT_H
#define EIMZA_IDENTITY_LOCKOUT_H

#include <stdint.h>

#include "store/db.h"

#define LOCKOUT_KEY_MAX 128
#define LOCKOUT_MSG_LEN 64

/* The epoch second until which (scope, key) is locked, or 0 when it is not
 * locked at `now` (also 0 on a database error, which is logged). */
int64_t lockout_until(db *d, const char *scope, const char *key, int64_t now);

/* Records one failed attempt at `now`. Failures older than window_seconds
 * (counted from the first failure of the current window) are forgotten.
 * When the count reaches max_failures the pair is locked until
 * now + lock_seconds. Returns 1 if the pair is now locked, 0 if not, -1 on a
 * database error (logged). The count is updated atomically, so parallel
 * requests cannot lose failures. */
int lockout_fail(db *d, const char *scope, const char *key, int max_failures, int window_seconds,
		 int lock_seconds, int64_t now);

/* Forgets every failure of (scope, key), e.g. after a successful login. */
void lockout_clear(db *d, const char *scope, const char *key);

/* Growing delays (the staff console): the caller counts a failure, works
 * out the delay with domain/throttle.h and holds the pair for it. Unlike
 * lockout_fail, the count is kept when the hold starts, so each further
 * failure makes the next delay longer (until the window ends). */

/* Records one failure like lockout_fail, without any lock; returns the
 * count in the current window, or -1 on a database error (logged). */
int64_t lockout_count_failure(db *d, const char *scope, const char *key, int window_seconds,
			      int64_t now);
/* Refuses (scope, key) until `until` (lockout_until then reports it); a
 * longer hold already running is kept. 0 ok, -1 on error (logged). */
int lockout_hold(db *d, const char *scope, const char *key, int64_t until);
/* The failures of (scope, key) in the window still running at now; 0 when
 * none, when the window has ended, or on a database error (logged). */
int64_t lockout_failures(db *d, const char *scope, const char *key, int window_seconds,
			 int64_t now);

/* Deletes the rows that no longer count: not held at `now` and whose
 * window began window_seconds or more ago (the longest window any login
 * uses), so a deleted row and a kept one would answer alike. Returns the
 * number of rows deleted, or -1 on a database error (logged). */
int lockout_purge(db *d, int64_t window_seconds, int64_t now);

/* Writes the Turkish message shown to a locked-out user into out, e.g.
 * "Çok fazla hatalı deneme. Lütfen 14:35'ten sonra deneyin." with the time
 * of `until` in Türkiye time (UTC+3, no daylight saving since 2016), rounded
 * up to the next minute, and the ablative suffix that fits how the time is
 * read aloud. Always NUL-terminated; fits LOCKOUT_MSG_LEN bytes. */
void lockout_format_until(int64_t until, char out[LOCKOUT_MSG_LEN]);

/* The ablative suffix ("den", "ten", "dan" or "tan") for "HH:MM" read
 * aloud in Turkish (exposed for tests). */
const char *lockout_time_suffix(int hour, int minute);

#endif
