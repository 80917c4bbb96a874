#include "store/certificate.h"

#include <string.h>

#define CERT_COLUMNS \
	"serial_hex, tckn, application_id, not_before, not_after, status, revoked_at, reason, " \
	"created_at"

int certificate_history(db *d, const char *tckn, struct cert_summary *out, size_t max)
{
	db_stmt *st = db_prepare(d,
				 "SELECT not_before, not_after, status, reason FROM certificates "
				 "WHERE tckn = $1 ORDER BY not_after DESC");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, tckn);
	size_t n = 0;
	int rc = DB_DONE;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		out[n].not_before = db_col_int64(st, 0);
		out[n].not_after = db_col_int64(st, 1);
		/* A suspended certificate is not usable; count it as revoked here. */
		enum cert_status status = cert_status_parse(db_col_text(st, 2));
		out[n].revoked = status != CERT_GOOD;
		out[n].key_compromise = status == CERT_REVOKED && db_col_int64(st, 3) == 1;
		n++;
	}
	if (n == max)
		rc = DB_DONE;
	db_finalize(st);
	return rc == DB_DONE ? (int)n : -1;
}

int certificate_current_serial(db *d, arena *ar, const char *tckn, int64_t now, const char **serial)
{
	*serial = NULL;
	db_stmt *st = db_prepare(d, "SELECT serial_hex FROM certificates WHERE tckn = $1 AND "
				    "status = 'good' AND not_before <= $2 AND not_after > $2 "
				    "ORDER BY not_after DESC LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, tckn);
	db_bind_int64(st, 2, now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*serial = arena_strdup(ar, db_col_text(st, 0));
	db_finalize(st);
	if (rc == DB_ROW)
		return *serial != NULL ? 0 : -1;
	return rc == DB_DONE ? 1 : -1;
}

int certificate_validity(db *d, const char *serial_hex, struct cert_summary *out)
{
	db_stmt *st = db_prepare(d,
				 "SELECT not_before, not_after, status, reason FROM certificates "
				 "WHERE serial_hex = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, serial_hex);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->not_before = db_col_int64(st, 0);
		out->not_after = db_col_int64(st, 1);
		enum cert_status status = cert_status_parse(db_col_text(st, 2));
		out->revoked = status != CERT_GOOD;
		out->key_compromise = status == CERT_REVOKED && db_col_int64(st, 3) == 1;
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

/* Reads one row of CERT_COLUMNS; strings are copied into ar, or point into
 * the statement when ar is NULL (valid until the next step). */
static void read_row(db_stmt *st, arena *ar, struct certificate *o)
{
	const char *serial = db_col_text(st, 0), *tckn = db_col_text(st, 1);
	o->serial_hex = ar != NULL && serial != NULL ? arena_strdup(ar, serial) : serial;
	o->tckn = ar != NULL && tckn != NULL ? arena_strdup(ar, tckn) : tckn;
	o->application_id = db_col_is_null(st, 2) ? 0 : db_col_int64(st, 2);
	o->not_before = db_col_int64(st, 3);
	o->not_after = db_col_int64(st, 4);
	int s = cert_status_parse(db_col_text(st, 5));
	o->status = s >= 0 ? (enum cert_status)s : CERT_REVOKED;
	o->revoked_at = db_col_is_null(st, 6) ? 0 : db_col_int64(st, 6);
	o->reason = db_col_is_null(st, 7) ? -1 : (int)db_col_int64(st, 7);
	o->created_at = db_col_int64(st, 8);
}

static int load_one(db *d, arena *ar, const char *sql, const char *serial_hex, const char *tckn,
		    struct certificate *out)
{
	db_stmt *st = db_prepare(d, sql);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, serial_hex);
	if (tckn != NULL)
		db_bind_text(st, 2, tckn);
	int rc = db_step(st);
	if (rc == DB_ROW)
		read_row(st, ar, out);
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int certificate_load(db *d, arena *ar, const char *serial_hex, struct certificate *out)
{
	return load_one(d, ar, "SELECT " CERT_COLUMNS " FROM certificates WHERE serial_hex = $1",
			serial_hex, NULL, out);
}

int certificate_load_of_holder(db *d, arena *ar, const char *serial_hex, const char *tckn,
			       struct certificate *out)
{
	if (tckn == NULL)
		return 1;
	return load_one(d, ar,
			"SELECT " CERT_COLUMNS " FROM certificates WHERE serial_hex = $1 "
			"AND tckn = $2",
			serial_hex, tckn, out);
}

int certificate_list_for_tckn(db *d, const char *tckn,
			      void (*fn)(void *ctx, const struct certificate *c), void *ctx)
{
	db_stmt *st = db_prepare(d, "SELECT " CERT_COLUMNS " FROM certificates WHERE tckn = $1 "
				    "ORDER BY not_before DESC, created_at DESC");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, tckn);
	int count = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct certificate c;
		read_row(st, NULL, &c);
		fn(ctx, &c);
		count++;
	}
	db_finalize(st);
	return rc == DB_DONE ? count : -1;
}
