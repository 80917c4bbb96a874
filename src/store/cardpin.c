/* Sealed card PINs and one-time PIN authorizations (cardpin.h). */
#include "store/cardpin.h"

#include <string.h>

const char *const pin_purpose_names[PIN_PURPOSE__MAX] = {
	[PIN_PURPOSE_SET] = "SET_PIN",
	[PIN_PURPOSE_UNBLOCK] = "UNBLOCK",
};

int pin_purpose_parse(const char *s)
{
	for (int i = 0; s != NULL && i < PIN_PURPOSE__MAX; i++)
		if (strcmp(s, pin_purpose_names[i]) == 0)
			return i;
	return -1;
}

/* Runs sql with $1 = a: with want_row, gives the first column of the
 * first row (0 without a row); otherwise binds $2 = b too and gives 0 once
 * the statement is done. -1 on error. */
static int64_t exec_id(db *d, const char *sql, int64_t a, int64_t b, int want_row)
{
	db_stmt *st = db_prepare(d, sql);
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, a);
	if (!want_row)
		db_bind_int64(st, 2, b);
	int rc = db_step(st);
	int64_t v = -1;
	if (want_row && rc == DB_ROW)
		v = db_col_int64(st, 0);
	else if (want_row && rc == DB_DONE)
		v = 0;
	else if (!want_row && rc == DB_DONE)
		v = 0;
	db_finalize(st);
	return v;
}

int cardpin_store(db *d, int64_t application_id, const char *token_serial,
		  const unsigned char *transport_sealed, size_t tlen,
		  const unsigned char *so_sealed, size_t slen, int64_t now)
{
	int64_t have = exec_id(d, "SELECT COUNT(*) FROM card_pins WHERE application_id = $1",
			       application_id, 0, 1);
	if (have < 0)
		return -1;
	if (have > 0)
		return 1;
	db_stmt *st = db_prepare(d,
				 "INSERT INTO card_pins (application_id, token_serial, "
				 "transport_pin, so_pin, created_at) VALUES ($1, $2, $3, $4, $5)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	db_bind_text(st, 2, token_serial);
	db_bind_blob(st, 3, transport_sealed, tlen);
	db_bind_blob(st, 4, so_sealed, slen);
	db_bind_int64(st, 5, now);
	int rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

int cardpin_load(db *d, arena *ar, int64_t application_id, enum pin_purpose purpose,
		 const char **token_serial, const unsigned char **sealed, size_t *len)
{
	db_stmt *st = db_prepare(d, purpose == PIN_PURPOSE_UNBLOCK
					    ? "SELECT token_serial, so_pin FROM card_pins "
					      "WHERE application_id = $1"
					    : "SELECT token_serial, transport_pin FROM card_pins "
					      "WHERE application_id = $1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		size_t n = 0;
		const void *p = db_col_blob(st, 1, &n);
		const char *ts = db_col_text(st, 0);
		*token_serial = arena_strdup(ar, ts != NULL ? ts : "");
		unsigned char *copy = n > 0 ? arena_alloc(ar, n) : NULL;
		if (n == 0 || copy == NULL || *token_serial == NULL) {
			rc = -1;
		} else {
			memcpy(copy, p, n);
			*sealed = copy;
			*len = n;
			rc = 0;
		}
	} else {
		rc = rc == DB_DONE ? 1 : -1;
	}
	db_finalize(st);
	return rc;
}

int cardpin_application_id(db *d, const char *number, int64_t *id)
{
	db_stmt *st = db_prepare(d, "SELECT id FROM applications WHERE number = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, number);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	rc = rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
	db_finalize(st);
	return rc;
}

int pinauth_insert(db *d, int64_t application_id, enum pin_purpose purpose, const char *hash_hex,
		   int64_t now, int64_t expires_at)
{
	db_stmt *st = db_prepare(d,
				 "INSERT INTO pin_authorizations (application_id, purpose, "
				 "code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	db_bind_text(st, 2, pin_purpose_names[purpose]);
	db_bind_text(st, 3, hash_hex);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, expires_at);
	int rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

int pinauth_consume(db *d, const char *hash_hex, int64_t now, int64_t *application_id,
		    enum pin_purpose *purpose)
{
	db_stmt *st = db_prepare(d, "SELECT id, application_id, purpose FROM pin_authorizations "
				    "WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, hash_hex);
	db_bind_int64(st, 2, now);
	int rc = db_step(st);
	int64_t id = 0;
	int p = -1;
	if (rc == DB_ROW) {
		id = db_col_int64(st, 0);
		*application_id = db_col_int64(st, 1);
		p = pin_purpose_parse(db_col_text(st, 2));
		rc = p < 0 ? -1 : 0;
	} else {
		rc = rc == DB_DONE ? 1 : -1;
	}
	db_finalize(st);
	if (rc != 0)
		return rc;
	*purpose = (enum pin_purpose)p;
	/* used_at IS NULL again: of two concurrent exchanges one wins. */
	if (exec_id(d,
		    "UPDATE pin_authorizations SET used_at = $2 WHERE id = $1 AND used_at IS NULL",
		    id, now, 0) < 0)
		return -1;
	return db_changes(d) == 1 ? 0 : 1;
}
