/* Institution endorsements (see endorsement.h). */
#include "store/endorsement.h"

static const char *col_dup(arena *ar, db_stmt *st, int col)
{
	if (db_col_is_null(st, col))
		return NULL;
	const char *v = db_col_text(st, col);
	return arena_strdup(ar, v ? v : "");
}

int endorsement_insert(db *d, int64_t application_id, const char *token_hash, const char *email,
		       int64_t now, int64_t expires_at)
{
	db_stmt *st = db_prepare(d, "INSERT INTO endorsements (application_id, token_hash, email, "
				    "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	db_bind_text(st, 2, token_hash);
	db_bind_text(st, 3, email);
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, expires_at);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}

int endorsement_find(db *d, arena *ar, const char *token_hash, struct endorsement *out)
{
	db_stmt *st = db_prepare(d, "SELECT id, application_id, email, created_at, expires_at, "
				    "used_at, principal_name, principal_title FROM endorsements "
				    "WHERE token_hash = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, token_hash);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_col_int64(st, 0);
		out->application_id = db_col_int64(st, 1);
		out->email = col_dup(ar, st, 2);
		out->created_at = db_col_int64(st, 3);
		out->expires_at = db_col_int64(st, 4);
		out->used_at = db_col_is_null(st, 5) ? 0 : db_col_int64(st, 5);
		out->principal_name = col_dup(ar, st, 6);
		out->principal_title = col_dup(ar, st, 7);
		if (out->email == NULL)
			out->email = "";
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int endorsement_use(db *d, int64_t id, const char *name, const char *title, const char *client_ip,
		    int64_t now)
{
	db_stmt *st = db_prepare(d, "UPDATE endorsements SET used_at = $1, principal_name = $2, "
				    "principal_title = $3, client_ip = $4 WHERE id = $5 AND "
				    "used_at IS NULL");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, now);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, title);
	if (client_ip != NULL)
		db_bind_text(st, 4, client_ip);
	else
		db_bind_null(st, 4);
	db_bind_int64(st, 5, id);
	int rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return db_changes(d) == 1 ? 0 : 1;
}

int endorsement_received(db *d, int64_t application_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM endorsements WHERE application_id = $1 AND "
				    "used_at IS NOT NULL LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int endorsement_offered(db *d, int64_t application_id)
{
	db_stmt *st = db_prepare(d, "SELECT 1 FROM endorsements WHERE application_id = $1 LIMIT 1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	int rc = db_step(st);
	db_finalize(st);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int endorsement_institution_email(db *d, arena *ar, const char *kurum_kodu, const char **email)
{
	*email = "";
	db_stmt *st = db_prepare(d, "SELECT resmi_eposta FROM institutions WHERE kurum_kodu = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kurum_kodu);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *e = col_dup(ar, st, 0);
		*email = e ? e : "";
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}
