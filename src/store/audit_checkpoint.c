/* The audit_checkpoints table (see audit_checkpoint.h). */
#include "store/audit_checkpoint.h"

#include <stdio.h>
#include <string.h>

int audit_checkpoint_add(db *d, const struct audit_checkpoint *c)
{
	db_stmt *st = db_prepare(d, "INSERT INTO audit_checkpoints (record_count, head, "
				    "signed_at, signature) VALUES ($1, $2, $3, $4)");
	int rc = -1;
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, c->count);
	db_bind_text(st, 2, c->head);
	db_bind_int64(st, 3, c->at);
	db_bind_text(st, 4, c->signature);
	if (db_step(st) == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

int audit_checkpoint_newest(db *d, struct audit_checkpoint *c)
{
	db_stmt *st = db_prepare(d, "SELECT record_count, signed_at, head, signature "
				    "FROM audit_checkpoints "
				    "ORDER BY record_count DESC, signed_at DESC, id DESC LIMIT 1");
	int rc = -1, step;
	if (st == NULL)
		return -1;
	memset(c, 0, sizeof *c);
	step = db_step(st);
	if (step == DB_ROW) {
		const char *h = db_col_text(st, 2), *s = db_col_text(st, 3);
		c->count = db_col_int64(st, 0);
		c->at = db_col_int64(st, 1);
		snprintf(c->head, sizeof c->head, "%s", h ? h : "");
		snprintf(c->signature, sizeof c->signature, "%s", s ? s : "");
		rc = 1;
	} else if (step == DB_DONE) {
		rc = 0;
	}
	db_finalize(st);
	return rc;
}
