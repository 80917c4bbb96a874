/* Local registry backend: the imported table `registry`. */
#include "identity/registry.h"

#include <string.h>

#include "domain/date.h"
#include "domain/tckn.h"
#include "domain/trcase.h"
#include "util/log.h"

/* 1 if s is a real date written exactly "YYYY-MM-DD". */
static int iso_date_ok(const char *s)
{
	int y, m, d;
	return s != NULL && strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	       date_parse(s, &y, &m, &d) == 0;
}

/* 1 if every field matches. All four comparisons always run, with stand-in
 * values when there is no row, so the time taken does not tell an unknown
 * number from a wrong field. Names and places fold circumflex letters
 * (trcase_name_equal_loose), since how MERNİS stores them is unconfirmed. */
static int fields_match(const struct registry_query *q, const char *ad, const char *soyad,
			const char *yeri, const char *tarih)
{
	int ok = 1;
	ok &= trcase_name_equal_loose(q->ad, ad != NULL ? ad : "-");
	ok &= trcase_name_equal_loose(q->soyad, soyad != NULL ? soyad : "-");
	ok &= trcase_name_equal_loose(q->dogum_yeri, yeri != NULL ? yeri : "-");
	ok &= tarih != NULL && strcmp(q->dogum_tarihi, tarih) == 0;
	return ok;
}

enum registry_result registry_local_verify(db *d, const struct registry_query *q)
{
	enum registry_result res = REG_NO_MATCH;
	db_stmt *s = NULL;

	if (q == NULL || !tckn_valid(q->tckn) || q->ad == NULL || q->soyad == NULL ||
	    q->dogum_yeri == NULL || !iso_date_ok(q->dogum_tarihi))
		goto out;
	s = db_prepare(d, "SELECT ad, soyad, dogum_yeri, dogum_tarihi FROM registry "
			  "WHERE tckn = $1");
	if (s == NULL) {
		res = REG_UNAVAILABLE;
		goto out;
	}
	db_bind_text(s, 1, q->tckn);
	int rc = db_step(s);
	if (rc == DB_ROW) {
		if (fields_match(q, db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2),
				 db_col_text(s, 3)))
			res = REG_MATCH;
	} else if (rc == DB_DONE) {
		(void)fields_match(q, NULL, NULL, NULL, NULL);
	} else {
		log_error("registry: local lookup failed: %s", db_errmsg(d));
		res = REG_UNAVAILABLE;
	}
out:
	if (s != NULL)
		db_finalize(s);
	return res;
}

int registry_local_spelling(db *d, arena *ar, struct registry_query *q)
{
	db_stmt *st = db_prepare(d, "SELECT ad, soyad, dogum_yeri FROM registry WHERE tckn = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, q->tckn);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *ad = arena_strdup(ar, db_col_text(st, 0));
		const char *soyad = arena_strdup(ar, db_col_text(st, 1));
		const char *yeri = arena_strdup(ar, db_col_text(st, 2));
		if (ad == NULL || soyad == NULL || yeri == NULL) {
			rc = DB_ERR;
		} else {
			q->ad = ad;
			q->soyad = soyad;
			q->dogum_yeri = yeri;
		}
	}
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}
