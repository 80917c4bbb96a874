/* The certificate holder's records (see holder.h). */
#include "store/holder.h"

#include "domain/form.h"

int holder_load(db *d, arena *ar, const char *tckn, struct application *app, const char **hash)
{
	int rc = -1;
	int64_t id = 0;
	db_stmt *st = db_prepare(d, "SELECT id, security_word_hash FROM applications "
				    "WHERE tckn = $1 AND state IN ('PRODUCED', 'SHIPPED', "
				    "'DELIVERED') ORDER BY created_at DESC, id DESC LIMIT 1");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, tckn);
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = 1;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	id = db_col_int64(st, 0);
	if (hash != NULL) {
		const char *h = db_col_text(st, 1);
		if (h == NULL || (*hash = arena_strdup(ar, h)) == NULL)
			goto out;
	}
	db_finalize(st);
	st = NULL;
	rc = application_load(d, ar, id, app);
out:
	if (st != NULL)
		db_finalize(st);
	return rc;
}

int holder_set_contact(db *d, int64_t id, const char *eposta, const char *cep_tel,
		       unsigned channels, int64_t now)
{
	db_stmt *st = db_prepare(d, "UPDATE applications SET eposta = $1, cep_tel = $2, "
				    "bilgi_kanali = $3, updated_at = $4 WHERE id = $5");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, eposta);
	db_bind_text(st, 2, cep_tel);
	db_bind_text(st, 3, form_channel_name(channels));
	db_bind_int64(st, 4, now);
	db_bind_int64(st, 5, id);
	int rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return -1;
	return db_changes(d) == 1 ? 0 : 1;
}

int holder_certificate(db *d, const char *serial_hex, const char *tckn, enum cert_status *status,
		       int64_t *not_after)
{
	db_stmt *st = db_prepare(d, "SELECT status, not_after FROM certificates "
				    "WHERE serial_hex = $1 AND tckn = $2");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, serial_hex);
	db_bind_text(st, 2, tckn);
	int rc = db_step(st);
	int found = rc == DB_ROW ? cert_status_parse(db_col_text(st, 0)) : -1;
	if (found >= 0) {
		*status = (enum cert_status)found;
		*not_after = db_col_int64(st, 1);
	}
	db_finalize(st);
	if (rc == DB_DONE)
		return 1;
	return found >= 0 ? 0 : -1;
}
