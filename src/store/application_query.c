/* Read-only queries of the staff console over applications, institutions,
 * personnel records and certificates (see application_query.h). */
#include "store/application_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/trcase.h"

/* Binds the scope as two parameters: idx = 1 for every unit, idx + 1 the
 * unit. SQL reads "($idx = 1 OR yetki_birimi = $idx+1)". */
static void bind_scope(db_stmt *st, int idx, const char *scope)
{
	db_bind_int64(st, idx, scope == NULL);
	db_bind_text(st, idx + 1, scope ? scope : "");
}

/* "%key%" for LIKE ... ESCAPE '\' with % _ and \ escaped, where key is the
 * Turkish name key of term (term itself if it has none). Caller frees;
 * NULL on out-of-memory. */
static char *like_pattern(const char *term)
{
	char key[512];
	const char *s = trcase_name_key(term, key, sizeof key) == 0 ? key : term;
	size_t n = strlen(s);
	char *p = malloc(n * 2 + 3), *o = p;
	if (p == NULL)
		return NULL;
	*o++ = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*o++ = '\\';
		*o++ = *s;
	}
	*o++ = '%';
	*o = '\0';
	return p;
}

/* The queue's statement: LIST_COLUMNS fixed columns, then the columns of
 * the form fields the CSV export shows (form table, csv_label), in table
 * order. Column names come from the static table, never from input.
 * 0, or -1 when it does not fit in sql[n]. */
#define LIST_COLUMNS 12
static int list_sql(char *sql, size_t n)
{
	const struct form_field_def *t = form_field_table();
	size_t len = 0;
	int k = snprintf(sql, n,
			 "SELECT id, number, tckn, ad, soyad, kurum_adi, reason, state, "
			 "flags, created_at, signing_method, yetki_birimi");
	for (int i = 0; i <= FF__MAX; i++) {
		if (k < 0 || (size_t)k >= n - len)
			return -1;
		len += (size_t)k;
		if (i == FF__MAX)
			break;
		k = t[i].csv_label != NULL && t[i].column != NULL
			    ? snprintf(sql + len, n - len, ", %s", t[i].column)
			    : 0;
	}
	k = snprintf(sql + len, n - len, "%s",
		     " FROM applications "
		     "WHERE ($1 = 1 OR yetki_birimi = $2) AND ($3 = '' OR state = $3) "
		     "AND ($4 = '' OR kurum_kodu = $4) AND ($5 = '' OR reason = $5) "
		     "AND ($6 = 0 OR created_at >= $6) AND ($7 = 0 OR created_at < $7) "
		     "AND ($8 = '' OR tckn = $8 OR number = $8 OR "
		     "name_key LIKE $9 ESCAPE '\\') "
		     "ORDER BY created_at DESC, id DESC LIMIT $10 OFFSET $11");
	return k < 0 || (size_t)k >= n - len ? -1 : 0;
}

int application_query_list(db *d, const struct application_filter *f, int64_t limit, int64_t offset,
			   void (*cb)(void *ctx, const struct application_row *row), void *ctx)
{
	const struct form_field_def *t = form_field_table();
	const char *term = f->term ? f->term : "";
	char *pattern = like_pattern(term);
	char sql[2048];
	db_stmt *st = NULL;
	int rc = -1;
	if (pattern == NULL || list_sql(sql, sizeof sql) != 0)
		goto out;
	st = db_prepare(d, sql);
	if (st == NULL)
		goto out;
	bind_scope(st, 1, f->scope);
	db_bind_text(st, 3, f->state >= 0 ? app_state_name((enum app_state)f->state) : "");
	db_bind_text(st, 4, f->kurum_kodu ? f->kurum_kodu : "");
	db_bind_text(st, 5, f->reason >= 0 ? app_reason_name((enum app_reason)f->reason) : "");
	db_bind_int64(st, 6, f->from);
	db_bind_int64(st, 7, f->to);
	db_bind_text(st, 8, term);
	db_bind_text(st, 9, pattern);
	db_bind_int64(st, 10, limit);
	db_bind_int64(st, 11, offset);
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		struct application_row row = {
			.id = db_col_int64(st, 0),
			.number = db_col_text(st, 1),
			.tckn = db_col_text(st, 2),
			.ad = db_col_text(st, 3),
			.soyad = db_col_text(st, 4),
			.kurum_adi = db_col_text(st, 5),
			.reason = app_reason_parse(db_col_text(st, 6)),
			.state = app_state_parse(db_col_text(st, 7)),
			.flags = db_col_int64(st, 8),
			.created_at = db_col_int64(st, 9),
			.signing_method = sign_method_parse(db_col_text(st, 10)),
			.yetki_birimi = db_col_text(st, 11),
		};
		for (int i = 0, c = LIST_COLUMNS; i < FF__MAX; i++)
			if (t[i].csv_label != NULL && t[i].column != NULL)
				row.form[i] = db_col_text(st, c++);
		cb(ctx, &row);
	}
	rc = step == DB_DONE ? 0 : -1;
out:
	db_finalize(st);
	free(pattern);
	return rc;
}

int64_t application_query_count(db *d, const char *scope, int state, enum app_flag flag)
{
	/* A flag is one bit: (flags / flag) % 2 = 1. No flag: divide by 1
	 * and accept either remainder. */
	db_stmt *st = db_prepare(d,
				 "SELECT COUNT(*) FROM applications "
				 "WHERE ($1 = 1 OR yetki_birimi = $2) AND ($3 = '' OR state = $3) "
				 "AND (flags / $4) % 2 >= $5");
	if (st == NULL)
		return -1;
	bind_scope(st, 1, scope);
	db_bind_text(st, 3, state >= 0 ? app_state_name((enum app_state)state) : "");
	db_bind_int64(st, 4, flag ? (int64_t)flag : 1);
	db_bind_int64(st, 5, flag ? 1 : 0);
	int64_t n = db_step(st) == DB_ROW ? db_col_int64(st, 0) : -1;
	db_finalize(st);
	return n;
}

int application_query_count_by_state(db *d, const char *scope, int64_t counts[APP_STATE__MAX])
{
	memset(counts, 0, sizeof(int64_t) * APP_STATE__MAX);
	db_stmt *st = db_prepare(d, "SELECT state, COUNT(*) FROM applications "
				    "WHERE ($1 = 1 OR yetki_birimi = $2) GROUP BY state");
	if (st == NULL)
		return -1;
	bind_scope(st, 1, scope);
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		int s = app_state_parse(db_col_text(st, 0));
		if (s >= 0)
			counts[s] = db_col_int64(st, 1);
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

int application_query_count_by_week(db *d, const char *scope, int64_t start, int weeks,
				    int64_t *counts)
{
	const int64_t week = 7 * 86400;
	memset(counts, 0, sizeof(int64_t) * (size_t)(weeks > 0 ? weeks : 0));
	db_stmt *st = db_prepare(d, "SELECT created_at FROM applications "
				    "WHERE ($1 = 1 OR yetki_birimi = $2) AND created_at >= $3 "
				    "AND created_at < $4");
	if (st == NULL)
		return -1;
	bind_scope(st, 1, scope);
	db_bind_int64(st, 3, start);
	db_bind_int64(st, 4, start + (int64_t)weeks * week);
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		int64_t w = (db_col_int64(st, 0) - start) / week;
		if (w >= 0 && w < weeks)
			counts[w]++;
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

int application_query_institutions(db *d, const char *scope,
				   void (*cb)(void *ctx, const struct institution_row *row),
				   void *ctx)
{
	db_stmt *st = db_prepare(d, "SELECT kurum_kodu, kurum_adi FROM institutions "
				    "WHERE ($1 = 1 OR yetki_birimi = $2) ORDER BY kurum_adi");
	if (st == NULL)
		return -1;
	bind_scope(st, 1, scope);
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		struct institution_row row = {db_col_text(st, 0), db_col_text(st, 1)};
		cb(ctx, &row);
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}

static const char *dup_col(db_stmt *st, arena *ar, int col)
{
	const char *s = db_col_text(st, col);
	return s ? arena_strdup(ar, s) : NULL;
}

int application_query_personnel(db *d, arena *ar, const char *tckn, struct personnel_view *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(d, "SELECT p.sicil_no, p.kurum_kodu, i.kurum_adi, p.unvan, "
				    "p.birim, g.ad, g.soyad, i.yetki_birimi FROM personnel p "
				    "JOIN institutions i ON i.kurum_kodu = p.kurum_kodu "
				    "LEFT JOIN registry g ON g.tckn = p.tckn WHERE p.tckn = $1");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, tckn);
	int step = db_step(st);
	if (step == DB_ROW) {
		const char **v[] = {&out->sicil_no, &out->kurum_kodu,  &out->kurum_adi,
				    &out->unvan,    &out->birim,       &out->ad,
				    &out->soyad,    &out->yetki_birimi};
		for (int i = 0; i < 8; i++)
			*v[i] = dup_col(st, ar, i);
	}
	db_finalize(st);
	return step == DB_ROW ? 0 : step == DB_DONE ? 1 : -1;
}

int application_query_expiring(db *d, const char *scope, int64_t from, int64_t until, int64_t limit,
			       void (*cb)(void *ctx, const struct expiring_row *row), void *ctx)
{
	db_stmt *st = db_prepare(d, "SELECT c.serial_hex, c.tckn, c.not_after, g.ad, g.soyad, "
				    "i.kurum_adi FROM certificates c "
				    "JOIN personnel p ON p.tckn = c.tckn "
				    "JOIN institutions i ON i.kurum_kodu = p.kurum_kodu "
				    "LEFT JOIN registry g ON g.tckn = c.tckn "
				    "WHERE ($1 = 1 OR i.yetki_birimi = $2) AND c.status = 'good' "
				    "AND c.not_after >= $3 AND c.not_after < $4 "
				    "ORDER BY c.not_after, c.serial_hex LIMIT $5");
	if (st == NULL)
		return -1;
	bind_scope(st, 1, scope);
	db_bind_int64(st, 3, from);
	db_bind_int64(st, 4, until);
	db_bind_int64(st, 5, limit);
	int step;
	while ((step = db_step(st)) == DB_ROW) {
		struct expiring_row row = {
			.serial_hex = db_col_text(st, 0),
			.tckn = db_col_text(st, 1),
			.not_after = db_col_int64(st, 2),
			.ad = db_col_text(st, 3),
			.soyad = db_col_text(st, 4),
			.kurum_adi = db_col_text(st, 5),
		};
		cb(ctx, &row);
	}
	db_finalize(st);
	return step == DB_DONE ? 0 : -1;
}
