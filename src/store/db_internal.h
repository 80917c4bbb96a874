/* Internal to src/store: the backend vtable behind db.h.
 *
 * db.c owns the public functions and dispatches to one `struct db_ops`
 * chosen by db_open() from the URL: "postgresql://" or "postgres://" picks
 * the PostgreSQL backend (db_pg.c), anything else is a SQLite file path
 * (db_sqlite.c). A backend embeds `struct db` / `struct db_stmt` as the first
 * member of its own handle types. */
#ifndef EIMZA_DB_INTERNAL_H
#define EIMZA_DB_INTERNAL_H

#include <stdarg.h>

#include "store/db.h"

#define DB_ERRLEN 512

struct db {
	const struct db_ops *ops;
	char err[DB_ERRLEN]; /* last error of this handle */
	int retryable;	     /* the last error was a serialization failure/deadlock */
};

struct db_stmt {
	db *d;
	int bind_err; /* sticky: a bind failed, db_step refuses to run */
};

struct db_ops {
	const char *name; /* "sqlite" or "postgresql" */
	void (*close)(db *d);
	/* Multi-statement SQL without parameters or rows. */
	int (*exec)(db *d, const char *sql);
	/* A migration script: like exec, after the backend's dialect rewrite. */
	int (*exec_script)(db *d, const char *sql);
	const char *begin_sql; /* "BEGIN IMMEDIATE" / "BEGIN" */
	/* db_lock(): SQL taking the lock named $1 until the transaction ends,
	 * or NULL when every write transaction holds the one write lock
	 * (SQLite's BEGIN IMMEDIATE). */
	const char *lock_sql;
	const char *skip_locked; /* see db_skip_locked() */
	db_stmt *(*prepare)(db *d, const char *sql);
	int (*bind_textn)(db_stmt *s, int idx, const char *v, size_t n);
	int (*bind_int64)(db_stmt *s, int idx, int64_t v);
	int (*bind_blob)(db_stmt *s, int idx, const void *v, size_t n);
	int (*bind_null)(db_stmt *s, int idx);
	int (*step)(db_stmt *s);
	const char *(*col_text)(db_stmt *s, int col);
	int64_t (*col_int64)(db_stmt *s, int col);
	const void *(*col_blob)(db_stmt *s, int col, size_t *len);
	int (*col_is_null)(db_stmt *s, int col);
	/* Result shape, for db_copy: column count and names (after the first
	 * step), and whether a cell holds bytes (BLOB / BYTEA). */
	int (*col_count)(db_stmt *s);
	const char *(*col_name)(db_stmt *s, int col);
	int (*col_is_blob)(db_stmt *s, int col);
	void (*finalize)(db_stmt *s);
	int64_t (*changes)(db *d);
	/* 0 once the connection is known broken (NULL: always usable). */
	int (*usable)(db *d);
};

/* Backend constructors: NULL on failure with a message in err. */
db *db_sqlite_open(const char *path, char *err, size_t errlen);
db *db_pg_open(const char *url, char *err, size_t errlen);

/* database.statement_timeout_ms as set by db_global_init (0: none). */
int db_statement_timeout_ms(void);

/* Runs a migration script through the backend's exec_script. */
int db_exec_script(db *d, const char *sql);

/* Records an error message on the handle (printf-style). */
void db_set_err(db *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
