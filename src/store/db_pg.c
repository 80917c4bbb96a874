/* PostgreSQL backend of db.h (libpq).
 *
 * A statement is sent when first stepped (parameters as text, blobs as
 * binary) and its whole result is then walked row by row. Each connection
 * keeps the statements it has seen as server-side prepared statements
 * (PQprepare once, PQexecPrepared after), keyed by their SQL text, so the
 * hot queries are parsed and planned once per connection. The dialect
 * differences (migration rewrites, SQLSTATE classes) are in
 * db_pg_dialect.c. */
#include <ctype.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_internal.h"
#include "store/db_pg_dialect.h"
#include "util/buf.h"
#include "util/log.h"

#define PG_MAX_PARAMS 64
#define PG_SCRIPT_MAX (16 * 1024 * 1024)
#define PG_PREPARED_MAX 256
/* PostgreSQL's type OID of BYTEA (catalog/pg_type.h, fixed). */
#define PG_BYTEA_OID 17

struct pg_db {
	struct db base;
	PGconn *c;
	int64_t changes;
	char *prepared[PG_PREPARED_MAX]; /* SQL of server statement "eN" */
	int nprepared;
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
	/* Unescaped BYTEA cells of the current row, one per column, made on
	 * the first read and freed on the next step. */
	unsigned char **bytes;
	size_t *nbytes;
	int ncols;
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
	if (db_pg_sqlstate_retryable(state))
		q->base.retryable = 1;
	return db_pg_sqlstate_rc(state);
}

static void pg_close(db *d)
{
	struct pg_db *q = PG(d);

	for (int i = 0; i < q->nprepared; i++)
		free(q->prepared[i]);
	PQfinish(q->c);
	free(d);
}

static int pg_usable(db *d)
{
	return PQstatus(PG(d)->c) == CONNECTION_OK;
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

static int pg_exec_script(db *d, const char *sql)
{
	buf b;
	int rc = DB_ERR;

	buf_init(&b, PG_SCRIPT_MAX);
	if (db_pg_rewrite_script(&b, sql) != 0)
		db_set_err(d, "migration script too large");
	else
		rc = pg_exec(d, b.data != NULL ? b.data : "");
	buf_free(&b);
	return rc;
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
	struct pg_stmt *s = NULL;
	int n = db_pg_max_param(sql, PG_MAX_PARAMS);

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

/* The index of sql's prepared statement on this connection, preparing it
 * if new; -1 when the cache is full (the caller sends it unprepared) or
 * -2 when the server refused it (error recorded). */
static int prepared_index(struct pg_db *q, const char *sql, int nparams)
{
	char name[16];
	PGresult *r;
	int ok;

	for (int i = 0; i < q->nprepared; i++)
		if (strcmp(q->prepared[i], sql) == 0)
			return i;
	if (q->nprepared == PG_PREPARED_MAX)
		return -1;
	char *copy = strdup(sql);
	if (copy == NULL)
		return -1;
	snprintf(name, sizeof name, "e%d", q->nprepared);
	r = PQprepare(q->c, name, sql, nparams, NULL);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		map_result(q, r);
	PQclear(r);
	if (!ok) {
		free(copy);
		return -2;
	}
	q->prepared[q->nprepared] = copy;
	return q->nprepared++;
}

static int pg_run(struct pg_stmt *s)
{
	struct pg_db *q = PG(s->base.d);
	const char *vals[PG_MAX_PARAMS];
	char name[16];
	int st, idx;

	for (int i = 0; i < s->nparams; i++)
		vals[i] = s->isnull[i] ? NULL : s->val[i];
	idx = prepared_index(q, s->sql, s->nparams);
	if (idx == -2)
		return q->base.retryable ? DB_BUSY : DB_ERR;
	if (idx >= 0) {
		snprintf(name, sizeof name, "e%d", idx);
		s->res = PQexecPrepared(q->c, name, s->nparams, vals, s->len, s->fmt, 0);
	} else {
		s->res = PQexecParams(q->c, s->sql, s->nparams, NULL, vals, s->len, s->fmt, 0);
	}
	st = PQresultStatus(s->res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = map_result(q, s->res);
		PQclear(s->res);
		s->res = NULL;
		return rc;
	}
	s->nrows = PQntuples(s->res);
	s->row = -1;
	s->ncols = PQnfields(s->res);
	if (s->ncols > 0) {
		s->bytes = calloc((size_t)s->ncols, sizeof *s->bytes);
		s->nbytes = calloc((size_t)s->ncols, sizeof *s->nbytes);
		if (s->bytes == NULL || s->nbytes == NULL) {
			db_set_err(&q->base, "out of memory");
			return DB_ERR;
		}
	}
	q->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
	return DB_OK;
}

static void free_bytes(struct pg_stmt *s)
{
	for (int i = 0; s->bytes != NULL && i < s->ncols; i++) {
		free(s->bytes[i]);
		s->bytes[i] = NULL;
	}
}

static int pg_step(db_stmt *st)
{
	struct pg_stmt *s = PGS(st);
	int rc;

	if (s->res == NULL && (rc = pg_run(s)) != DB_OK)
		return rc;
	free_bytes(s);
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

static const char *raw_cell(struct pg_stmt *s, int col)
{
	if (!valid_cell(s, col) || PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

/* The bytes of a BYTEA cell, NUL-terminated so that they read as text too
 * (as SQLite gives a BLOB read as text). Kept until the next step. */
static const unsigned char *bytea_cell(struct pg_stmt *s, int col, size_t *len)
{
	const char *v = raw_cell(s, col);

	if (v == NULL || s->bytes == NULL)
		return NULL;
	if (s->bytes[col] == NULL) {
		size_t n = 0;
		unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &n);
		unsigned char *copy = raw != NULL ? malloc(n + 1) : NULL;
		if (copy == NULL) {
			PQfreemem(raw);
			return NULL;
		}
		memcpy(copy, raw, n);
		copy[n] = '\0';
		PQfreemem(raw);
		s->bytes[col] = copy;
		s->nbytes[col] = n;
	}
	if (len != NULL)
		*len = s->nbytes[col];
	return s->bytes[col];
}

static const char *pg_col_text(db_stmt *st, int col)
{
	struct pg_stmt *s = PGS(st);

	if (valid_cell(s, col) && PQftype(s->res, col) == PG_BYTEA_OID)
		return (const char *)bytea_cell(s, col, NULL);
	return raw_cell(s, col);
}

static int64_t pg_col_int64(db_stmt *st, int col)
{
	const char *v = raw_cell(PGS(st), col);

	if (v == NULL)
		return 0;
	if (strcmp(v, "t") == 0)
		return 1;
	return strtoll(v, NULL, 10);
}

static const void *pg_col_blob(db_stmt *st, int col, size_t *len)
{
	const void *p = bytea_cell(PGS(st), col, len);

	if (p == NULL && len != NULL)
		*len = 0;
	return p;
}

static int pg_col_is_null(db_stmt *st, int col)
{
	return raw_cell(PGS(st), col) == NULL;
}

static int pg_col_count(db_stmt *st)
{
	return PGS(st)->res != NULL ? PQnfields(PGS(st)->res) : 0;
}

static const char *pg_col_name(db_stmt *st, int col)
{
	struct pg_stmt *s = PGS(st);
	return s->res != NULL && col >= 0 && col < PQnfields(s->res) ? PQfname(s->res, col) : NULL;
}

static int pg_col_is_blob(db_stmt *st, int col)
{
	struct pg_stmt *s = PGS(st);
	return valid_cell(s, col) && PQftype(s->res, col) == PG_BYTEA_OID;
}

static void pg_finalize(db_stmt *st)
{
	struct pg_stmt *s = PGS(st);

	for (int i = 0; i < s->nparams; i++)
		free(s->val[i]);
	PQclear(s->res);
	free_bytes(s);
	free(s->bytes);
	free(s->nbytes);
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
	.lock_sql = "SELECT pg_advisory_xact_lock(hashtext($1))",
	.skip_locked = " FOR UPDATE SKIP LOCKED",
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
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_is_blob = pg_col_is_blob,
	.finalize = pg_finalize,
	.changes = pg_changes,
	.usable = pg_usable,
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
	char setup[160];
	snprintf(setup, sizeof setup,
		 "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; "
		 "SET statement_timeout = %d; SET client_min_messages = warning",
		 db_statement_timeout_ms());
	if (pg_exec(&q->base, setup) != DB_OK) {
		snprintf(err, errlen, "PostgreSQL oturumu ayarlanamadı: %s", q->base.err);
		pg_close(&q->base);
		return NULL;
	}
	return &q->base;
}
