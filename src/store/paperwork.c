/* Paperwork (table paperwork). */
#include "store/paperwork.h"

#include <string.h>

int paperwork_insert(db *d, const struct paperwork *p)
{
	db_stmt *st =
		db_prepare(d, "INSERT INTO paperwork (application_id, dys_no, dys_date, "
			      "post_no, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, p->application_id);
	db_bind_text(st, 2, p->dys_no);
	db_bind_text(st, 3, p->dys_date);
	db_bind_text(st, 4, p->post_no);
	db_bind_text(st, 5, p->recorded_by);
	db_bind_int64(st, 6, p->recorded_at);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : rc == DB_CONSTRAINT ? 1 : -1;
}

static const char *dup_or_empty(arena *ar, const char *v)
{
	return arena_strdup(ar, v != NULL ? v : "");
}

int paperwork_load(db *d, arena *ar, int64_t application_id, struct paperwork *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(d, "SELECT dys_no, dys_date, post_no, recorded_by, recorded_at "
				    "FROM paperwork WHERE application_id = $1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->application_id = application_id;
		out->dys_no = dup_or_empty(ar, db_col_text(st, 0));
		out->dys_date = dup_or_empty(ar, db_col_text(st, 1));
		out->post_no = dup_or_empty(ar, db_col_text(st, 2));
		out->recorded_by = dup_or_empty(ar, db_col_text(st, 3));
		out->recorded_at = db_col_int64(st, 4);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}
