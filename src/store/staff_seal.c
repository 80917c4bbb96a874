/* Seals staff TOTP secrets stored in clear by versions before issue 12
 * (staff_seal.h). */
#include "store/staff_seal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "util/seal.h"

#define SEAL_BATCH 64

int staff_totp_seal_all(db *d)
{
	int64_t ids[SEAL_BATCH];
	char plain[SEAL_BATCH][64];
	int n = 0, sealed = 0, step;
	if (db_query_int64(d, 0,
			   "SELECT COUNT(*) FROM staff_users WHERE totp_secret IS NOT NULL AND "
			   "totp_secret NOT LIKE 's1:%'",
			   NULL) == 0)
		return 0;
	if (db_begin(d) != DB_OK)
		return -1;
	do {
		db_stmt *s = db_prepare(d,
					"SELECT id, totp_secret FROM staff_users WHERE "
					"totp_secret IS NOT NULL AND totp_secret NOT LIKE 's1:%' "
					"ORDER BY id LIMIT $1");
		if (s == NULL)
			goto fail;
		db_bind_int64(s, 1, SEAL_BATCH);
		n = 0;
		while (n < SEAL_BATCH && (step = db_step(s)) == DB_ROW) {
			const char *t = db_col_text(s, 1);
			ids[n] = db_col_int64(s, 0);
			if (t == NULL || strlen(t) >= sizeof plain[n])
				continue;
			memcpy(plain[n], t, strlen(t) + 1);
			n++;
		}
		db_finalize(s);
		for (int i = 0; i < n; i++) {
			char box[256];
			if (seal_text(SECRET_TOTP_SEAL, plain[i], box, sizeof box) != 0)
				goto fail;
			s = db_prepare(d, "UPDATE staff_users SET totp_secret = $1 WHERE id = $2");
			if (s == NULL)
				goto fail;
			db_bind_text(s, 1, box);
			db_bind_int64(s, 2, ids[i]);
			step = db_step(s);
			db_finalize(s);
			if (step != DB_DONE)
				goto fail;
			sealed++;
		}
	} while (n == SEAL_BATCH);
	sodium_memzero(plain, sizeof plain);
	if (db_commit(d) != DB_OK)
		return -1;
	log_info("staff: %d TOTP secret(s) sealed with the instance key", sealed);
	return sealed;
fail:
	sodium_memzero(plain, sizeof plain);
	db_rollback(d);
	return -1;
}
