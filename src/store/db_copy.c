/* db_copy_all(): see db_copy.h. */
#include "store/db_copy.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store/db_internal.h"
#include "util/log.h"

#define COPY_SQL_MAX 4096

/* Table names go into SQL text, so only plain identifiers are accepted. */
static int plain_identifier(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= sizeof((struct db_copy_table *)0)->name)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* The source's tables in creation order, without SQLite's own and the
 * migrations' bookkeeping. */
static int list_tables(db *from, struct db_copy_table *t, int *n, char *err, size_t errlen)
{
	db_stmt *s = db_prepare(from, "SELECT name FROM sqlite_master WHERE type = 'table' AND "
				      "name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' "
				      "ORDER BY rowid");
	int rc;

	*n = 0;
	if (s == NULL) {
		snprintf(err, errlen, "kaynak tablolar okunamadı: %s", db_errmsg(from));
		return -1;
	}
	while ((rc = db_step(s)) == DB_ROW) {
		const char *name = db_col_text(s, 0);
		if (name == NULL || !plain_identifier(name) || *n == DB_COPY_MAX_TABLES) {
			snprintf(err, errlen, "kaynakta beklenmeyen tablo: %s",
				 name != NULL ? name : "?");
			db_finalize(s);
			return -1;
		}
		snprintf(t[*n].name, sizeof t[*n].name, "%s", name);
		t[*n].rows = 0;
		(*n)++;
	}
	db_finalize(s);
	if (rc != DB_DONE) {
		snprintf(err, errlen, "kaynak tablolar okunamadı: %s", db_errmsg(from));
		return -1;
	}
	return 0;
}

static int64_t count_rows(db *d, const char *table)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	return db_query_int64(d, -1, sql, NULL);
}

/* Binds the current source row's cells as $1..$ncols of ins. */
static void bind_row(db_stmt *src, db_stmt *ins, int ncols)
{
	for (int c = 0; c < ncols; c++) {
		if (db_col_is_null(src, c)) {
			db_bind_null(ins, c + 1);
		} else if (src->d->ops->col_is_blob(src, c)) {
			size_t len = 0;
			const void *p = db_col_blob(src, c, &len);
			db_bind_blob(ins, c + 1, p, len);
		} else {
			db_bind_text(ins, c + 1, db_col_text(src, c));
		}
	}
}

/* "INSERT INTO t (a, b) VALUES ($1, $2)" from the source row's columns. */
static int insert_sql(db_stmt *src, const char *table, char *sql, size_t n, int *ncols)
{
	size_t len;
	int cols = src->d->ops->col_count(src);

	len = (size_t)snprintf(sql, n, "INSERT INTO %s (", table);
	for (int c = 0; c < cols && len < n; c++) {
		const char *name = src->d->ops->col_name(src, c);
		if (name == NULL || !plain_identifier(name))
			return -1;
		len += (size_t)snprintf(sql + len, n - len, "%s%s", c ? ", " : "", name);
	}
	for (int c = 0; c < cols && len < n; c++)
		len += (size_t)snprintf(sql + len, n - len, "%s$%d", c ? ", " : ") VALUES (",
					c + 1);
	if (len < n)
		len += (size_t)snprintf(sql + len, n - len, ")");
	*ncols = cols;
	return cols > 0 && len < n ? 0 : -1;
}

static int copy_table(db *from, db *to, struct db_copy_table *t, char *err, size_t errlen)
{
	char sql[COPY_SQL_MAX];
	int ncols = 0, rc;
	db_stmt *src;

	snprintf(sql, sizeof sql, "SELECT * FROM %s", t->name);
	src = db_prepare(from, sql);
	if (src == NULL)
		goto fail;
	char ins_sql[COPY_SQL_MAX] = "";
	while ((rc = db_step(src)) == DB_ROW) {
		if (ins_sql[0] == '\0' &&
		    insert_sql(src, t->name, ins_sql, sizeof ins_sql, &ncols) != 0) {
			snprintf(err, errlen, "%s: sütunlar okunamadı", t->name);
			db_finalize(src);
			return -1;
		}
		db_stmt *ins = db_prepare(to, ins_sql);
		if (ins == NULL) {
			snprintf(err, errlen, "%s: %s", t->name, db_errmsg(to));
			db_finalize(src);
			return -1;
		}
		bind_row(src, ins, ncols);
		int st = db_step(ins);
		db_finalize(ins);
		if (st != DB_DONE) {
			snprintf(err, errlen, "%s satırı yazılamadı: %s", t->name, db_errmsg(to));
			db_finalize(src);
			return -1;
		}
		t->rows++;
	}
	db_finalize(src);
	if (rc == DB_DONE)
		return 0;
fail:
	snprintf(err, errlen, "%s okunamadı: %s", t->name, db_errmsg(from));
	return -1;
}

/* PostgreSQL: a BIGSERIAL id's sequence continues after the copied ids
 * (SQLite's rowid needs nothing). */
static int advance_sequence(db *to, const char *table, char *err, size_t errlen)
{
	char sql[512];

	if (strcmp(db_backend(to), "postgresql") != 0)
		return 0;
	snprintf(sql, sizeof sql,
		 "SELECT setval(pg_get_serial_sequence('%s', 'id'), MAX(id)) FROM %s "
		 "WHERE pg_get_serial_sequence('%s', 'id') IS NOT NULL HAVING MAX(id) IS NOT NULL",
		 table, table, table);
	if (db_execp(to, sql, NULL) != DB_OK) {
		snprintf(err, errlen, "%s: sıra sayacı ayarlanamadı: %s", table, db_errmsg(to));
		return -1;
	}
	return 0;
}

/* 1 if table has a column named id in d. */
static int has_id_column(db *d, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pragma_table_info('%s') WHERE name = 'id'",
		 table);
	return db_query_int64(d, 0, sql, NULL) > 0;
}

static int copy_all_in_tx(db *from, db *to, struct db_copy_table *t, int n, char *err,
			  size_t errlen)
{
	for (int i = 0; i < n; i++) {
		if (copy_table(from, to, &t[i], err, errlen) != 0)
			return -1;
		if (has_id_column(from, t[i].name) &&
		    advance_sequence(to, t[i].name, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int db_copy_all(db *from, db *to, struct db_copy_table *t, int *n, char *err, size_t errlen)
{
	*n = 0;
	if (strcmp(db_backend(from), "sqlite") != 0) {
		snprintf(err, errlen, "kaynak bir SQLite veritabanı olmalı (sqlite:YOL)");
		return -1;
	}
	int64_t vf = db_query_int64(from, -1, "SELECT MAX(version) FROM schema_migrations", NULL);
	int64_t vt = db_query_int64(to, -1, "SELECT MAX(version) FROM schema_migrations", NULL);
	if (vf < 0 || vf != vt) {
		snprintf(err, errlen,
			 "şema sürümleri farklı (kaynak %" PRId64 ", hedef %" PRId64 ")", vf, vt);
		return -1;
	}
	if (list_tables(from, t, n, err, errlen) != 0)
		return -1;
	for (int i = 0; i < *n; i++) {
		int64_t rows = count_rows(to, t[i].name);
		if (rows != 0) {
			snprintf(err, errlen,
				 "hedef boş değil ya da şeması farklı: %s tablosu (%" PRId64
				 " satır)",
				 t[i].name, rows);
			return -1;
		}
	}
	if (db_begin(to) != DB_OK) {
		snprintf(err, errlen, "hedefte işlem başlatılamadı: %s", db_errmsg(to));
		return -1;
	}
	if (copy_all_in_tx(from, to, t, *n, err, errlen) != 0) {
		db_rollback(to);
		return -1;
	}
	if (db_commit(to) != DB_OK) {
		snprintf(err, errlen, "hedefe yazılamadı: %s", db_errmsg(to));
		return -1;
	}
	for (int i = 0; i < *n; i++) {
		int64_t a = count_rows(from, t[i].name), b = count_rows(to, t[i].name);
		if (a != t[i].rows || b != t[i].rows) {
			snprintf(err, errlen,
				 "%s: satır sayıları tutmuyor (kaynak %" PRId64
				 ", kopyalanan %" PRId64 ", hedef %" PRId64 ")",
				 t[i].name, a, t[i].rows, b);
			return -1;
		}
	}
	return 0;
}
