#include "store/institution.h"

int authority_unit_contact(db *d, arena *ar, const char *code, const char **email,
			   const char **name)
{
	*email = "";
	*name = "";
	db_stmt *st = db_prepare(d, "SELECT eposta, name FROM authority_units WHERE code = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *e = db_col_text(st, 0), *n = db_col_text(st, 1);
		const char *ec = arena_strdup(ar, e ? e : ""), *nc = arena_strdup(ar, n ? n : "");
		*email = ec ? ec : "";
		*name = nc ? nc : "";
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}
