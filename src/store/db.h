/* Storage interface: one small API over SQLite (one node) and PostgreSQL
 * (many nodes).
 *
 * SQL is written once in a portable dialect and always goes through prepared
 * statements. Parameters are written `$1`, `$2`, ... (PostgreSQL's native
 * form; the SQLite backend binds them by name). Portable dialect rules:
 *   - integers are BIGINT, times are BIGINT seconds since the epoch (UTC),
 *     booleans are INTEGER 0/1, text is TEXT, bytes are BLOB (BYTEA in PG:
 *     migrations write BLOB and the PG backend rewrites it);
 *   - ids are `BIGINT PRIMARY KEY` filled by the application or by
 *     `INSERT ... RETURNING id` (both backends support RETURNING);
 *   - upserts use `INSERT ... ON CONFLICT (key) DO UPDATE SET ...`.
 *
 * A `db` handle is used by one thread at a time. db_thread() gives each
 * thread its own connection to the URL set with db_global_init(). */
#ifndef EIMZA_DB_H
#define EIMZA_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_rc { DB_OK = 0, DB_ROW = 1, DB_DONE = 2, DB_ERR = -1, DB_CONSTRAINT = -2, DB_BUSY = -3 };

/* Opens `url`: a file path for SQLite, or "postgresql://..." for PostgreSQL.
 * On failure returns NULL and writes a message into err. Caller closes. */
db *db_open(const char *url, char *err, size_t errlen);
void db_close(db *d);
/* "sqlite" or "postgresql". */
const char *db_backend(const db *d);

/* Applies the numbered migrations (src/store/migrations/NNNN_name.sql, in
 * order) that this database has not seen yet, each in its own transaction. */
int db_migrate(db *d);

/* Transactions. db_begin() takes the write lock at once (SQLite BEGIN
 * IMMEDIATE) so that a transaction never fails half-way on a lock upgrade. */
int db_begin(db *d);
int db_commit(db *d);
int db_rollback(db *d);

/* Inside a transaction: waits for and takes the exclusive lock `name`,
 * held until commit or rollback, for read-then-write sequences that must
 * not interleave across connections (the audit chain's head). PostgreSQL:
 * a transaction-level advisory lock; SQLite: nothing to do, db_begin()
 * already holds the database's single write lock. */
int db_lock(db *d, const char *name);

/* The clause that makes a SELECT inside a transaction lock the rows it
 * returns and pass over rows another transaction has locked: " FOR UPDATE
 * SKIP LOCKED" on PostgreSQL (several workers each take different rows),
 * "" on SQLite (the write transaction already excludes other writers). */
const char *db_skip_locked(const db *d);

/* Runs SQL with no parameters and no rows (DDL, PRAGMA). */
int db_exec(db *d, const char *sql);

/* Prepared statements. db_prepare returns NULL on error (logged). */
db_stmt *db_prepare(db *d, const char *sql);
int db_bind_text(db_stmt *s, int idx, const char *v); /* NULL binds NULL */
int db_bind_textn(db_stmt *s, int idx, const char *v, size_t n);
int db_bind_int64(db_stmt *s, int idx, int64_t v);
int db_bind_blob(db_stmt *s, int idx, const void *v, size_t n);
int db_bind_null(db_stmt *s, int idx);
/* DB_ROW while rows remain, then DB_DONE; DB_CONSTRAINT on a unique or
 * foreign-key violation; DB_ERR otherwise. */
int db_step(db_stmt *s);
/* Column accessors for the current row (0-based). Text and blob pointers are
 * valid until the next db_step/db_finalize. A NULL text column gives NULL. */
const char *db_col_text(db_stmt *s, int col);
int64_t db_col_int64(db_stmt *s, int col);
const void *db_col_blob(db_stmt *s, int col, size_t *len);
int db_col_is_null(db_stmt *s, int col);
void db_finalize(db_stmt *s);

/* Last error text of this handle. */
const char *db_errmsg(db *d);
/* 1 if the last error of this handle was a serialization failure or a
 * deadlock (PostgreSQL 40001/40P01): the transaction was rolled back by the
 * server and running it again from the start may succeed. */
int db_retryable(db *d);
/* Rows changed by the last INSERT/UPDATE/DELETE statement. */
int64_t db_changes(db *d);

/* Per-thread connections: db_global_init() stores the URL; db_thread()
 * opens this thread's connection on first use (NULL if that fails) and
 * opens it again when the old one broke (a database restart). So each
 * process holds at most one connection per thread that uses the database:
 * server.threads HTTP workers plus the outbox worker and the main thread.
 * db_set_statement_timeout() sets database.statement_timeout_ms for the
 * connections opened after it (PostgreSQL; 0: no limit). */
void db_global_init(const char *url);
void db_set_statement_timeout(int ms);
db *db_thread(void);
void db_thread_close(void);

/* Convenience: run `sql` with text parameters (NULL-terminated list) and
 * return the first column of the first row as int64 (or `dflt`). */
int64_t db_query_int64(db *d, int64_t dflt, const char *sql, ...);
/* Runs a statement with text parameters and no result rows. */
int db_execp(db *d, const char *sql, ...);

#endif
