/* Purging login_failures rows that no longer count (see lockout.h). */
#include "identity/lockout.h"

#include "util/log.h"

int lockout_purge(db *d, int64_t window_seconds, int64_t now)
{
	int n = -1;
	db_stmt *s = db_prepare(d, "DELETE FROM login_failures "
				   "WHERE locked_until <= $1 AND first_at <= $2");
	if (s == NULL)
		goto out;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, now - window_seconds);
	if (db_step(s) != DB_DONE) {
		log_error("lockout: purging expired failures failed: %s", db_errmsg(d));
		goto out;
	}
	n = (int)db_changes(d);
out:
	if (s != NULL)
		db_finalize(s);
	return n;
}
