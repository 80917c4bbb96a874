/* The backend-independent half of db.h: choosing a backend, dispatch,
 * per-thread connections and the small convenience helpers. */
#include "store/db.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_internal.h"
#include "util/log.h"

/* Highest $N the variadic helpers bind. */
#define DB_MAX_VARARGS 32

void db_set_err(db *d, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
}

static int is_pg_url(const char *url)
{
	return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

db *db_open(const char *url, char *err, size_t errlen)
{
	if (url == NULL || url[0] == '\0') {
		snprintf(err, errlen, "veritabanı adresi boş");
		return NULL;
	}
	if (is_pg_url(url))
		return db_pg_open(url, err, errlen);
	return db_sqlite_open(url, err, errlen);
}

void db_close(db *d)
{
	if (d != NULL)
		d->ops->close(d);
}

const char *db_backend(const db *d)
{
	return d->ops->name;
}

int db_begin(db *d)
{
	d->retryable = 0;
	return d->ops->exec(d, d->ops->begin_sql);
}

int db_commit(db *d)
{
	return d->ops->exec(d, "COMMIT");
}

int db_rollback(db *d)
{
	return d->ops->exec(d, "ROLLBACK");
}

int db_lock(db *d, const char *name)
{
	if (d->ops->lock_sql == NULL)
		return DB_OK;
	return db_execp(d, d->ops->lock_sql, name, NULL);
}

const char *db_skip_locked(const db *d)
{
	return d->ops->skip_locked != NULL ? d->ops->skip_locked : "";
}

int db_exec(db *d, const char *sql)
{
	return d->ops->exec(d, sql);
}

int db_exec_script(db *d, const char *sql)
{
	return d->ops->exec_script(d, sql);
}

db_stmt *db_prepare(db *d, const char *sql)
{
	db_stmt *s = d->ops->prepare(d, sql);
	if (s == NULL)
		log_error("db: prepare failed: %s (SQL: %.120s)", d->err, sql);
	else
		s->bind_err = 0;
	return s;
}

/* Bind results: a failed bind makes the statement refuse to step, so a
 * caller that ignores the return value still cannot run half-bound SQL. */
static int bind_done(db_stmt *s, int rc)
{
	if (rc != DB_OK)
		s->bind_err = 1;
	return rc;
}

int db_bind_text(db_stmt *s, int idx, const char *v)
{
	if (v == NULL)
		return db_bind_null(s, idx);
	return bind_done(s, s->d->ops->bind_textn(s, idx, v, strlen(v)));
}

int db_bind_textn(db_stmt *s, int idx, const char *v, size_t n)
{
	if (v == NULL)
		return db_bind_null(s, idx);
	return bind_done(s, s->d->ops->bind_textn(s, idx, v, n));
}

int db_bind_int64(db_stmt *s, int idx, int64_t v)
{
	return bind_done(s, s->d->ops->bind_int64(s, idx, v));
}

int db_bind_blob(db_stmt *s, int idx, const void *v, size_t n)
{
	return bind_done(s, s->d->ops->bind_blob(s, idx, v, n));
}

int db_bind_null(db_stmt *s, int idx)
{
	return bind_done(s, s->d->ops->bind_null(s, idx));
}

int db_step(db_stmt *s)
{
	if (s->bind_err) {
		log_error("db: statement not run: a parameter failed to bind: %s", s->d->err);
		return DB_ERR;
	}
	return s->d->ops->step(s);
}

const char *db_col_text(db_stmt *s, int col)
{
	return s->d->ops->col_text(s, col);
}

int64_t db_col_int64(db_stmt *s, int col)
{
	return s->d->ops->col_int64(s, col);
}

const void *db_col_blob(db_stmt *s, int col, size_t *len)
{
	return s->d->ops->col_blob(s, col, len);
}

int db_col_is_null(db_stmt *s, int col)
{
	return s->d->ops->col_is_null(s, col);
}

void db_finalize(db_stmt *s)
{
	if (s != NULL)
		s->d->ops->finalize(s);
}

const char *db_errmsg(db *d)
{
	return d->err;
}

int db_retryable(db *d)
{
	return d->retryable;
}

int64_t db_changes(db *d)
{
	return d->ops->changes(d);
}

/* ---- per-thread connections ---- */

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key;
static char *global_url;
static int global_statement_timeout_ms;

void db_set_statement_timeout(int ms)
{
	pthread_mutex_lock(&global_lock);
	global_statement_timeout_ms = ms > 0 ? ms : 0;
	pthread_mutex_unlock(&global_lock);
}

int db_statement_timeout_ms(void)
{
	int ms;

	pthread_mutex_lock(&global_lock);
	ms = global_statement_timeout_ms;
	pthread_mutex_unlock(&global_lock);
	return ms;
}

static void thread_destroy(void *p)
{
	db_close(p);
}

static void key_init(void)
{
	if (pthread_key_create(&thread_key, thread_destroy) != 0) {
		log_error("db: pthread_key_create failed");
		abort();
	}
}

void db_global_init(const char *url)
{
	char *copy = url != NULL ? strdup(url) : NULL;

	pthread_once(&key_once, key_init);
	pthread_mutex_lock(&global_lock);
	free(global_url);
	global_url = copy;
	pthread_mutex_unlock(&global_lock);
}

db *db_thread(void)
{
	char err[256];
	char *url = NULL;
	db *d;

	pthread_once(&key_once, key_init);
	d = pthread_getspecific(thread_key);
	if (d != NULL && (d->ops->usable == NULL || d->ops->usable(d)))
		return d;
	if (d != NULL) {
		log_warn("db: connection lost, opening a new one");
		pthread_setspecific(thread_key, NULL);
		db_close(d);
	}
	pthread_mutex_lock(&global_lock);
	if (global_url != NULL)
		url = strdup(global_url);
	pthread_mutex_unlock(&global_lock);
	if (url == NULL) {
		log_error("db: db_thread() before db_global_init()");
		return NULL;
	}
	d = db_open(url, err, sizeof err);
	free(url);
	if (d == NULL) {
		log_error("db: thread connection failed: %s", err);
		return NULL;
	}
	if (pthread_setspecific(thread_key, d) != 0) {
		db_close(d);
		return NULL;
	}
	return d;
}

void db_thread_close(void)
{
	db *d;

	pthread_once(&key_once, key_init);
	d = pthread_getspecific(thread_key);
	if (d != NULL) {
		pthread_setspecific(thread_key, NULL);
		db_close(d);
	}
}

/* ---- variadic helpers ---- */

/* Prepares sql and binds the NULL-terminated text arguments as $1..$n.
 * NULL on failure (logged). */
static db_stmt *prepare_va(db *d, const char *sql, va_list ap)
{
	db_stmt *s = db_prepare(d, sql);
	const char *v;
	int i = 1;

	if (s == NULL)
		return NULL;
	while ((v = va_arg(ap, const char *)) != NULL) {
		if (i > DB_MAX_VARARGS || db_bind_text(s, i, v) != DB_OK) {
			log_error("db: cannot bind parameter $%d: %s", i, d->err);
			db_finalize(s);
			return NULL;
		}
		i++;
	}
	return s;
}

int64_t db_query_int64(db *d, int64_t dflt, const char *sql, ...)
{
	int64_t v = dflt;
	db_stmt *s;
	va_list ap;
	int rc;

	va_start(ap, sql);
	s = prepare_va(d, sql, ap);
	va_end(ap);
	if (s == NULL)
		goto out;
	rc = db_step(s);
	if (rc == DB_ROW && !db_col_is_null(s, 0))
		v = db_col_int64(s, 0);
	else if (rc != DB_ROW && rc != DB_DONE)
		log_error("db: query failed: %s", d->err);
out:
	db_finalize(s);
	return v;
}

int db_execp(db *d, const char *sql, ...)
{
	int rc = DB_ERR;
	db_stmt *s;
	va_list ap;

	va_start(ap, sql);
	s = prepare_va(d, sql, ap);
	va_end(ap);
	if (s == NULL)
		goto out;
	rc = db_step(s);
	if (rc == DB_ROW || rc == DB_DONE)
		rc = DB_OK;
out:
	db_finalize(s);
	return rc;
}
