/* Payments (table payments). */
#include "store/payment.h"

#include <string.h>

int payment_insert(db *d, const struct payment *p)
{
	db_stmt *st =
		db_prepare(d, "INSERT INTO payments (application_id, amount_kurus, "
			      "receipt_no, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, p->application_id);
	db_bind_int64(st, 2, p->amount_kurus);
	db_bind_text(st, 3, p->receipt_no);
	db_bind_text(st, 4, p->recorded_by);
	db_bind_int64(st, 5, p->recorded_at);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : rc == DB_CONSTRAINT ? 1 : -1;
}

int payment_load(db *d, arena *ar, int64_t application_id, struct payment *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(d, "SELECT amount_kurus, receipt_no, recorded_by, recorded_at "
				    "FROM payments WHERE application_id = $1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->application_id = application_id;
		out->amount_kurus = db_col_int64(st, 0);
		out->receipt_no = arena_strdup(ar, db_col_text(st, 1) ? db_col_text(st, 1) : "");
		out->recorded_by = arena_strdup(ar, db_col_text(st, 2) ? db_col_text(st, 2) : "");
		out->recorded_at = db_col_int64(st, 3);
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}
