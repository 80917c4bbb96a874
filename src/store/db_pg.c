/* PostgreSQL backend of db.h (libpq).
 *
 * Statements are run with PQexecParams when first stepped (parameters as
 * text, blobs as binary), so no server-side type guessing happens at
 * prepare time; the whole result is then walked row by row. Migration
 * scripts are rewritten from the portable dialect: BLOB -> BYTEA and
 * INTEGER PRIMARY KEY -> BIGSERIAL PRIMARY KEY. */
#include <ctype.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_internal.h"
#include "util/buf.h"
#include "util/log.h"

#define PG_MAX_PARAMS 64
#define PG_SCRIPT_MAX (16 * 1024 * 1024)

struct pg_db {
	struct db base;
	PGconn *c;
	int64_t changes;
};

struct pg_stmt {
	struct db_stmt base;
	char *sql;
	int nparams;
	char *val[PG_MAX_PARAMS];
	int len[PG_MAX_PARAMS];
	int fmt[PG_MAX_PARAMS];
	int isnull[PG_MAX_PARAMS];
	PGresult *res;
	int row, nrows;
	unsigned char *blob; /* unescaped bytea of the last col_blob call */
};

static struct pg_db *PG(db *d)
{
	return (struct pg_db *)d;
}

static struct pg_stmt *PGS(db_stmt *s)
{
	return (struct pg_stmt *)s;
}

/* Maps a failed result to a db_rc and records the message. */
static int map_result(struct pg_db *q, PGresult *r)
{
	const char *state = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	db_set_err(&q->base, "%s", PQerrorMessage(q->c));
	if (state == NULL)
		return DB_ERR;
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return DB_BUSY;
	return DB_ERR;
}

static void pg_close(db *d)
{
	PQfinish(PG(d)->c);
	free(d);
}

static int pg_exec(db *d, const char *sql)
{
	PGresult *r = PQexec(PG(d)->c, sql);
	int st = PQresultStatus(r), rc = DB_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = map_result(PG(d), r);
	PQclear(r);
	return rc;
}

/* Replaces whole-word `from` (case-insensitive) with `to`. */
static void rewrite(buf *b, const char *sql, const char *from, const char *to)
{
	size_t fl = strlen(from);

	for (const char *p = sql; *p != '\0';) {
		int word_start = p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (word_start && strncasecmp(p, from, fl) == 0 &&
		    !(isalnum((unsigned char)p[fl]) || p[fl] == '_')) {
			buf_puts(b, to);
			p += fl;
		} else {
			buf_putc(b, *p++);
		}
	}
}

static int pg_exec_script(db *d, const char *sql)
{
	buf a, b;
	int rc = DB_ERR;

	buf_init(&a, PG_SCRIPT_MAX);
	buf_init(&b, PG_SCRIPT_MAX);
	rewrite(&a, sql, "INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY");
	if (!a.err)
		rewrite(&b, a.data != NULL ? a.data : "", "BLOB", "BYTEA");
	if (a.err || b.err) {
		db_set_err(d, "migration script too large");
		goto out;
	}
	rc = pg_exec(d, b.data != NULL ? b.data : "");
out:
	buf_free(&a);
	buf_free(&b);
	return rc;
}

/* The highest $N in sql (outside quotes), or -1 if above the limit. */
static int max_param(const char *sql)
{
	int max = 0;
	char q = 0;

	for (const char *p = sql; *p != '\0'; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (*p == '$' && isdigit((unsigned char)p[1])) {
			long n = strtol(p + 1, NULL, 10);
			if (n > PG_MAX_PARAMS)
				return -1;
			if (n > max)
				max = (int)n;
		}
	}
	return max;
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
	struct pg_stmt *s = NULL;
	int n = max_param(sql);

	if (n < 0) {
		db_set_err(d, "too many parameters");
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->sql = strdup(sql)) == NULL) {
		free(s);
		db_set_err(d, "out of memory");
		return NULL;
	}
	s->base.d = d;
	s->nparams = n;
	for (int i = 0; i < n; i++)
		s->isnull[i] = 1;
	return &s->base;
}

static int set_param(db_stmt *st, int idx, const void *v, size_t n, int fmt)
{
	struct pg_stmt *s = PGS(st);
	char *copy;

	if (idx < 1 || idx > s->nparams || n > INT32_MAX) {
		db_set_err(st->d, "statement has no parameter $%d", idx);
		return DB_ERR;
	}
	copy = malloc(n + 1);
	if (copy == NULL)
		return DB_ERR;
	if (n > 0)
		memcpy(copy, v, n);
	copy[n] = '\0';
	free(s->val[idx - 1]);
	s->val[idx - 1] = copy;
	s->len[idx - 1] = (int)n;
	s->fmt[idx - 1] = fmt;
	s->isnull[idx - 1] = 0;
	return DB_OK;
}

static int pg_bind_textn(db_stmt *s, int idx, const char *v, size_t n)
{
	return set_param(s, idx, v, n, 0);
}

static int pg_bind_int64(db_stmt *s, int idx, int64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof t, "%" PRId64, v);
	return set_param(s, idx, t, (size_t)n, 0);
}

static int pg_bind_blob(db_stmt *s, int idx, const void *v, size_t n)
{
	return set_param(s, idx, v, n, 1);
}

static int pg_bind_null(db_stmt *st, int idx)
{
	struct pg_stmt *s = PGS(st);

	if (idx < 1 || idx > s->nparams) {
		db_set_err(st->d, "statement has no parameter $%d", idx);
		return DB_ERR;
	}
	free(s->val[idx - 1]);
	s->val[idx - 1] = NULL;
	s->isnull[idx - 1] = 1;
	return DB_OK;
}

static int pg_run(struct pg_stmt *s)
{
	struct pg_db *q = PG(s->base.d);
	const char *vals[PG_MAX_PARAMS];
	int st;

	for (int i = 0; i < s->nparams; i++)
		vals[i] = s->isnull[i] ? NULL : s->val[i];
	s->res = PQexecParams(q->c, s->sql, s->nparams, NULL, vals, s->len, s->fmt, 0);
	st = PQresultStatus(s->res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = map_result(q, s->res);
		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
	s->nrows = PQntuples(s->res);
	s->row = -1;
	q->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
	return DB_OK;
}

static int pg_step(db_stmt *st)
{
	struct pg_stmt *s = PGS(st);
	int rc;

	if (s->res == NULL && (rc = pg_run(s)) != DB_OK)
		return rc;
	PQfreemem(s->blob);
	s->blob = NULL;
	if (s->row + 1 < s->nrows) {
		s->row++;
		return DB_ROW;
	}
	s->row = s->nrows;
	return DB_DONE;
}

static int valid_cell(struct pg_stmt *s, int col)
{
	return s->res != NULL && s->row >= 0 && s->row < s->nrows && col >= 0 &&
	       col < PQnfields(s->res);
}

static const char *pg_col_text(db_stmt *st, int col)
{
	struct pg_stmt *s = PGS(st);

	if (!valid_cell(s, col) || PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int64(db_stmt *st, int col)
{
	const char *v = pg_col_text(st, col);

	if (v == NULL)
		return 0;
	if (strcmp(v, "t") == 0)
		return 1;
	return strtoll(v, NULL, 10);
}

static const void *pg_col_blob(db_stmt *st, int col, size_t *len)
{
	struct pg_stmt *s = PGS(st);
	const char *v = pg_col_text(st, col);
	size_t n = 0;

	PQfreemem(s->blob);
	s->blob = NULL;
	if (v != NULL)
		s->blob = PQunescapeBytea((const unsigned char *)v, &n);
	if (len != NULL)
		*len = s->blob != NULL ? n : 0;
	return s->blob;
}

static int pg_col_is_null(db_stmt *st, int col)
{
	return pg_col_text(st, col) == NULL;
}

static void pg_finalize(db_stmt *st)
{
	struct pg_stmt *s = PGS(st);

	for (int i = 0; i < s->nparams; i++)
		free(s->val[i]);
	PQclear(s->res);
	PQfreemem(s->blob);
	free(s->sql);
	free(s);
}

static int64_t pg_changes(db *d)
{
	return PG(d)->changes;
}

static const struct db_ops pg_ops = {
	.name = "postgresql",
	.close = pg_close,
	.exec = pg_exec,
	.exec_script = pg_exec_script,
	.begin_sql = "BEGIN",
	.prepare = pg_prepare,
	.bind_textn = pg_bind_textn,
	.bind_int64 = pg_bind_int64,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_text = pg_col_text,
	.col_int64 = pg_col_int64,
	.col_blob = pg_col_blob,
	.col_is_null = pg_col_is_null,
	.finalize = pg_finalize,
	.changes = pg_changes,
};

/* Connects to a postgresql:// URL. NULL on failure with a Turkish message
 * in err. Caller closes. */
db *db_pg_open(const char *url, char *err, size_t errlen)
{
	struct pg_db *q = calloc(1, sizeof *q);

	if (q == NULL) {
		snprintf(err, errlen, "bellek yetersiz");
		return NULL;
	}
	q->base.ops = &pg_ops;
	q->c = PQconnectdb(url);
	if (q->c == NULL || PQstatus(q->c) != CONNECTION_OK) {
		snprintf(err, errlen, "PostgreSQL bağlantısı kurulamadı: %s",
			 q->c != NULL ? PQerrorMessage(q->c) : "bellek yetersiz");
		PQfinish(q->c);
		free(q);
		return NULL;
	}
	if (pg_exec(&q->base, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'") != DB_OK) {
		snprintf(err, errlen, "PostgreSQL oturumu ayarlanamadı: %s", q->base.err);
		pg_close(&q->base);
		return NULL;
	}
	return &q->base;
}
