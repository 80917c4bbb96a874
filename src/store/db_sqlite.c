/* SQLite backend of db.h: WAL, foreign keys, a 5 s busy timeout,
 * synchronous=NORMAL, `$N` parameters bound by name, and a small
 * per-connection cache of prepared statements keyed by their SQL text. */
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_internal.h"
#include "util/log.h"

#define SQ_CACHE_MAX 64
#define SQ_BUSY_MS 5000

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *st;
	char *sql;  /* cached statements only: the cache key */
	int cached; /* lives in the connection's cache; finalize only resets */
	int in_use;
};

struct sq_db {
	struct db base;
	sqlite3 *h;
	struct sq_stmt *cache[SQ_CACHE_MAX];
	int ncache;
};

static const struct db_ops sqlite_ops;

static struct sq_db *SQ(db *d)
{
	return (struct sq_db *)d;
}

static struct sq_stmt *SQS(db_stmt *s)
{
	return (struct sq_stmt *)s;
}

/* Maps an SQLite result code to a db_rc, recording the message. */
static int map_rc(struct sq_db *q, int rc)
{
	switch (rc) {
	case SQLITE_OK: return DB_OK;
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: return DB_DONE;
	}
	db_set_err(&q->base, "%s", sqlite3_errmsg(q->h));
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED: return DB_BUSY;
	}
	return DB_ERR;
}

static void sq_close(db *d)
{
	struct sq_db *q = SQ(d);

	for (int i = 0; i < q->ncache; i++) {
		sqlite3_finalize(q->cache[i]->st);
		free(q->cache[i]->sql);
		free(q->cache[i]);
	}
	/* close_v2 defers the close if a caller leaked an uncached statement. */
	sqlite3_close_v2(q->h);
	free(q);
}

static int sq_exec(db *d, const char *sql)
{
	struct sq_db *q = SQ(d);
	char *msg = NULL;
	int rc = sqlite3_exec(q->h, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return DB_OK;
	rc = map_rc(q, rc);
	if (msg != NULL)
		db_set_err(d, "%s", msg);
	sqlite3_free(msg);
	return rc;
}

static struct sq_stmt *cache_take(struct sq_db *q, const char *sql)
{
	for (int i = 0; i < q->ncache; i++) {
		struct sq_stmt *c = q->cache[i];
		if (!c->in_use && strcmp(c->sql, sql) == 0) {
			c->in_use = 1;
			return c;
		}
	}
	return NULL;
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
	struct sq_db *q = SQ(d);
	struct sq_stmt *s = cache_take(q, sql);
	int cache = q->ncache < SQ_CACHE_MAX;
	int rc;

	if (s != NULL)
		return &s->base;
	s = calloc(1, sizeof *s);
	if (s == NULL) {
		db_set_err(d, "out of memory");
		return NULL;
	}
	s->base.d = d;
	rc = sqlite3_prepare_v3(q->h, sql, -1, cache ? SQLITE_PREPARE_PERSISTENT : 0, &s->st, NULL);
	if (rc != SQLITE_OK || s->st == NULL) {
		if (rc == SQLITE_OK)
			db_set_err(d, "empty SQL statement");
		else
			map_rc(q, rc);
		sqlite3_finalize(s->st);
		free(s);
		return NULL;
	}
	if (cache) {
		s->sql = strdup(sql);
		if (s->sql != NULL) {
			s->cached = 1;
			q->cache[q->ncache++] = s;
		}
	}
	s->in_use = 1;
	return &s->base;
}

/* The SQLite index of parameter $idx, or 0 (error recorded). */
static int param_index(db_stmt *s, int idx)
{
	char name[16];
	int i;

	snprintf(name, sizeof name, "$%d", idx);
	i = sqlite3_bind_parameter_index(SQS(s)->st, name);
	if (i == 0)
		db_set_err(s->d, "statement has no parameter %s", name);
	return i;
}

static int sq_bind_textn(db_stmt *s, int idx, const char *v, size_t n)
{
	int i = param_index(s, idx);

	if (i == 0)
		return DB_ERR;
	if (n > INT_MAX) {
		db_set_err(s->d, "text parameter $%d too long", idx);
		return DB_ERR;
	}
	return map_rc(SQ(s->d), sqlite3_bind_text(SQS(s)->st, i, v, (int)n, SQLITE_TRANSIENT));
}

static int sq_bind_int64(db_stmt *s, int idx, int64_t v)
{
	int i = param_index(s, idx);

	if (i == 0)
		return DB_ERR;
	return map_rc(SQ(s->d), sqlite3_bind_int64(SQS(s)->st, i, v));
}

static int sq_bind_blob(db_stmt *s, int idx, const void *v, size_t n)
{
	int i = param_index(s, idx);

	if (i == 0)
		return DB_ERR;
	if (n > INT_MAX) {
		db_set_err(s->d, "blob parameter $%d too long", idx);
		return DB_ERR;
	}
	if (v == NULL || n == 0)
		return map_rc(SQ(s->d), sqlite3_bind_zeroblob(SQS(s)->st, i, 0));
	return map_rc(SQ(s->d), sqlite3_bind_blob(SQS(s)->st, i, v, (int)n, SQLITE_TRANSIENT));
}

static int sq_bind_null(db_stmt *s, int idx)
{
	int i = param_index(s, idx);

	if (i == 0)
		return DB_ERR;
	return map_rc(SQ(s->d), sqlite3_bind_null(SQS(s)->st, i));
}

static int sq_step(db_stmt *s)
{
	return map_rc(SQ(s->d), sqlite3_step(SQS(s)->st));
}

static const char *sq_col_text(db_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(SQS(s)->st, col);
}

static int64_t sq_col_int64(db_stmt *s, int col)
{
	return sqlite3_column_int64(SQS(s)->st, col);
}

static const void *sq_col_blob(db_stmt *s, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(SQS(s)->st, col);
	int n = sqlite3_column_bytes(SQS(s)->st, col);

	if (len != NULL)
		*len = n > 0 ? (size_t)n : 0;
	return p;
}

static int sq_col_is_null(db_stmt *s, int col)
{
	return sqlite3_column_type(SQS(s)->st, col) == SQLITE_NULL;
}

static int sq_col_count(db_stmt *s)
{
	return sqlite3_column_count(SQS(s)->st);
}

static const char *sq_col_name(db_stmt *s, int col)
{
	return sqlite3_column_name(SQS(s)->st, col);
}

static int sq_col_is_blob(db_stmt *s, int col)
{
	return sqlite3_column_type(SQS(s)->st, col) == SQLITE_BLOB;
}

static void sq_finalize(db_stmt *s)
{
	struct sq_stmt *q = SQS(s);

	if (q->cached) {
		sqlite3_reset(q->st);
		sqlite3_clear_bindings(q->st);
		q->in_use = 0;
		return;
	}
	sqlite3_finalize(q->st);
	free(q);
}

static int64_t sq_changes(db *d)
{
	return sqlite3_changes64(SQ(d)->h);
}

static const struct db_ops sqlite_ops = {
	.name = "sqlite",
	.close = sq_close,
	.exec = sq_exec,
	.exec_script = sq_exec,
	.begin_sql = "BEGIN IMMEDIATE",
	.prepare = sq_prepare,
	.bind_textn = sq_bind_textn,
	.bind_int64 = sq_bind_int64,
	.bind_blob = sq_bind_blob,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_text = sq_col_text,
	.col_int64 = sq_col_int64,
	.col_blob = sq_col_blob,
	.col_is_null = sq_col_is_null,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.col_is_blob = sq_col_is_blob,
	.finalize = sq_finalize,
	.changes = sq_changes,
};

/* Opens (creating if needed) the SQLite file at path and sets the pragmas.
 * NULL on failure with a Turkish message in err. Caller closes. */
db *db_sqlite_open(const char *path, char *err, size_t errlen)
{
	struct sq_db *q = calloc(1, sizeof *q);
	int rc;

	if (q == NULL) {
		snprintf(err, errlen, "bellek yetersiz");
		return NULL;
	}
	q->base.ops = &sqlite_ops;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
	rc = sqlite3_open_v2(path, &q->h, flags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "SQLite veritabanı açılamadı (%s): %s", path,
			 q->h != NULL ? sqlite3_errmsg(q->h) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(q->h, 1);
	sqlite3_busy_timeout(q->h, SQ_BUSY_MS);
	/* secure_delete: freed space is zeroed, so a masked SMS code, a
	 * purged message or an ended session does not linger in free pages
	 * (docs/SECURITY.md, "What is stored and for how long"). */
	if (sq_exec(&q->base, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			      "PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;") != DB_OK) {
		snprintf(err, errlen, "SQLite ayarları uygulanamadı (%s): %s", path, q->base.err);
		goto fail;
	}
	return &q->base;
fail:
	sqlite3_close_v2(q->h);
	free(q);
	return NULL;
}
