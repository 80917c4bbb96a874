/* What differs between the portable SQL of db.h and PostgreSQL, in one
 * place (pure functions, no libpq; tests/unit/store/test_pg_dialect.c).
 *
 * Statement SQL needs no rewrite: `$N` parameters, `INSERT ... RETURNING`,
 * `ON CONFLICT ... DO UPDATE`, BIGINT seconds for times (no date functions
 * in SQL) and INTEGER 0/1 for booleans are read alike by both backends.
 * Migration scripts are rewritten (db_pg_rewrite_script) for the two types
 * SQLite spells differently: `INTEGER PRIMARY KEY` (SQLite's rowid alias,
 * filled on INSERT) becomes `BIGSERIAL PRIMARY KEY`, and `BLOB` becomes
 * `BYTEA`. Reading a BYTEA column as text gives its bytes, as SQLite does
 * for a BLOB (db_pg.c). Errors are classified by SQLSTATE
 * (db_pg_sqlstate_rc). */
#ifndef EIMZA_DB_PG_DIALECT_H
#define EIMZA_DB_PG_DIALECT_H

#include "util/buf.h"

/* Appends `sql` to out with the migration rewrites applied, outside quoted
 * strings and comments. 0, or -1 when out overflows. */
int db_pg_rewrite_script(buf *out, const char *sql);

/* The db_rc of a failed statement's SQLSTATE (NULL: DB_ERR): class 23
 * (integrity) is DB_CONSTRAINT; serialization failure 40001, deadlock 40P01
 * and lock_not_available 55P03 are DB_BUSY; anything else DB_ERR. */
int db_pg_sqlstate_rc(const char *state);

/* 1 if a transaction that failed with this SQLSTATE may succeed when run
 * again from its start (40001, 40P01), else 0. */
int db_pg_sqlstate_retryable(const char *state);

/* The highest `$N` in sql outside quotes; -1 if one is above max. */
int db_pg_max_param(const char *sql, int max);

#endif
