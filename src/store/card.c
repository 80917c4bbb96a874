/* Cards and card jobs (see card.h). */
#include "store/card.h"

#include <string.h>

static const char *dup_or_null(arena *ar, const char *v)
{
	return v != NULL ? arena_strdup(ar, v) : NULL;
}

/* Binds $1..$n: 'i' int64, 't' text, in the order of kinds. */
static db_stmt *prep(db *d, const char *sql, const char *kinds, const int64_t *ints,
		     const char *const *texts)
{
	db_stmt *s = db_prepare(d, sql);
	size_t ii = 0, ti = 0;
	for (int k = 0; s != NULL && kinds[k] != '\0'; k++) {
		if (kinds[k] == 'i')
			db_bind_int64(s, k + 1, ints[ii++]);
		else
			db_bind_text(s, k + 1, texts[ti++]);
	}
	return s;
}

/* A statement without rows: 0, 1 on a constraint, -1 error. */
static int run(db *d, const char *sql, const char *kinds, const int64_t *ints,
	       const char *const *texts)
{
	db_stmt *s = prep(d, sql, kinds, ints, texts);
	if (s == NULL)
		return -1;
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE || rc == DB_ROW ? 0 : rc == DB_CONSTRAINT ? 1 : -1;
}

/* The first column of the first row (COUNT(*)), or -1. */
static int64_t count(db *d, const char *sql, int64_t id)
{
	db_stmt *s = prep(d, sql, "i", &id, NULL);
	int64_t v = -1;
	if (s != NULL && db_step(s) == DB_ROW)
		v = db_col_int64(s, 0);
	db_finalize(s);
	return v;
}

int card_load(db *d, arena *ar, const char *serial, struct card_row *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT status, application_id, certificate_serial, "
				   "so_pin_sealed, transport_pin_sealed, shipped_at "
				   "FROM card_tokens WHERE token_serial = $1");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, serial);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		const char *st = db_col_text(s, 0);
		out->status = st && strcmp(st, "produced") == 0 ? CARD_PRODUCED : CARD_BLANK;
		out->application_id = db_col_is_null(s, 1) ? 0 : db_col_int64(s, 1);
		out->certificate_serial = dup_or_null(ar, db_col_text(s, 2));
		out->so_pin_sealed = dup_or_null(ar, db_col_text(s, 3));
		out->transport_pin_sealed = dup_or_null(ar, db_col_text(s, 4));
		out->shipped_at = db_col_is_null(s, 5) ? 0 : db_col_int64(s, 5);
		rc = 0;
	} else {
		rc = rc == DB_DONE ? 1 : -1;
	}
	db_finalize(s);
	return rc;
}

int card_record_produced(db *d, const char *serial, int64_t application_id,
			 const char *certificate_serial, const char *so_sealed,
			 const char *transport_sealed, const char *by, int64_t now)
{
	/* A blank row becomes produced; a produced one is never overwritten. */
	if (run(d, "DELETE FROM card_tokens WHERE token_serial = $1 AND status = 'blank'", "t",
		NULL, (const char *const[]){serial}) != 0)
		return -1;
	db_stmt *s = db_prepare(d, "INSERT INTO card_tokens (token_serial, status, application_id, "
				   "certificate_serial, so_pin_sealed, transport_pin_sealed, "
				   "produced_by, produced_at, updated_at) "
				   "VALUES ($1, 'produced', $2, $3, $4, $5, $6, $7, $7)");
	if (s == NULL)
		return -1;
	db_bind_text(s, 1, serial);
	db_bind_int64(s, 2, application_id);
	db_bind_text(s, 3, certificate_serial);
	db_bind_text(s, 4, so_sealed);
	db_bind_text(s, 5, transport_sealed);
	db_bind_text(s, 6, by);
	db_bind_int64(s, 7, now);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? 0 : rc == DB_CONSTRAINT ? 1 : -1;
}

int card_record_blank(db *d, const char *serial, const char *so_sealed, int64_t now)
{
	struct card_row row;
	arena *ar = arena_new(1024);
	if (ar == NULL)
		return -1;
	int f = card_load(d, ar, serial, &row);
	arena_free(ar);
	if (f < 0)
		return -1;
	if (f == 0 && row.status == CARD_PRODUCED)
		return 1;
	if (f == 0)
		return run(d,
			   "UPDATE card_tokens SET so_pin_sealed = $1, updated_at = $2 "
			   "WHERE token_serial = $3 AND status = 'blank'",
			   "tit", &now, (const char *const[]){so_sealed, serial}) == 0
			       ? 0
			       : -1;
	return run(d,
		   "INSERT INTO card_tokens (token_serial, status, so_pin_sealed, updated_at) "
		   "VALUES ($1, 'blank', $2, $3)",
		   "tti", &now, (const char *const[]){serial, so_sealed}) == 0
		       ? 0
		       : -1;
}

int card_mark_shipped(db *d, int64_t application_id, int64_t now)
{
	int produced = card_produced_for(d, application_id);
	if (produced <= 0)
		return produced;
	if (run(d,
		"UPDATE card_tokens SET shipped_at = $1, updated_at = $1 WHERE "
		"application_id = $2 AND status = 'produced' AND shipped_at IS NULL",
		"ii", (const int64_t[]){now, application_id}, NULL) != 0)
		return -1;
	return db_changes(d) > 0 ? 0 : 1;
}

int card_of_application(db *d, arena *ar, int64_t application_id, const char **token_serial,
			const char **certificate_serial)
{
	db_stmt *s = prep(d,
			  "SELECT token_serial, certificate_serial FROM card_tokens WHERE "
			  "application_id = $1 AND status = 'produced' ORDER BY produced_at DESC "
			  "LIMIT 1",
			  "i", &application_id, NULL);
	if (s == NULL)
		return -1;
	int rc = db_step(s);
	if (rc == DB_ROW) {
		*token_serial = dup_or_null(ar, db_col_text(s, 0));
		*certificate_serial = dup_or_null(ar, db_col_text(s, 1));
	}
	db_finalize(s);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int card_produced_for(db *d, int64_t application_id)
{
	int64_t c = count(d,
			  "SELECT COUNT(*) FROM card_tokens WHERE application_id = $1 "
			  "AND status = 'produced'",
			  application_id);
	return c < 0 ? -1 : c > 0;
}

int card_job_add(db *d, int64_t application_id, const char *by, int64_t now)
{
	db_stmt *s = db_prepare(d, "INSERT INTO card_jobs (application_id, requested_by, "
				   "requested_at) VALUES ($1, $2, $3)");
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, application_id);
	db_bind_text(s, 2, by);
	db_bind_int64(s, 3, now);
	int rc = db_step(s);
	db_finalize(s);
	return rc == DB_DONE ? 0 : rc == DB_CONSTRAINT ? 1 : -1;
}

int card_job_remove(db *d, int64_t application_id)
{
	return run(d, "DELETE FROM card_jobs WHERE application_id = $1", "i", &application_id,
		   NULL) == 0
		       ? 0
		       : -1;
}

int card_job_next(db *d, int64_t *application_id)
{
	db_stmt *s = db_prepare(d, "SELECT application_id FROM card_jobs ORDER BY requested_at, "
				   "application_id LIMIT 1");
	if (s == NULL)
		return -1;
	int rc = db_step(s);
	if (rc == DB_ROW)
		*application_id = db_col_int64(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int card_job_queued(db *d, int64_t application_id)
{
	int64_t c = count(d, "SELECT COUNT(*) FROM card_jobs WHERE application_id = $1",
			  application_id);
	return c < 0 ? -1 : c > 0;
}
