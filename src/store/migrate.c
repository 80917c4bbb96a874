/* db_migrate(): applies the embedded migrations src/store/migrations/
 * NNNN_name.sql in version order, each in its own transaction, recording
 * each in schema_migrations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_internal.h"
#include "util/assets.h"
#include "util/clock.h"
#include "util/log.h"

#define MIG_PREFIX "src/store/migrations/"
#define MIG_MAX 512

struct migration {
	long version;
	const char *name; /* file name without directory, e.g. "0001_core.sql" */
	const struct asset *a;
};

/* Parses "NNNN_name.sql" (at least one digit, '_', ".sql"). -1 if not one. */
static long migration_version(const char *file)
{
	size_t n = strlen(file), i = 0;
	long v = 0;

	if (n < 6 || strcmp(file + n - 4, ".sql") != 0)
		return -1;
	while (file[i] >= '0' && file[i] <= '9' && i < 9) {
		v = v * 10 + (file[i] - '0');
		i++;
	}
	if (i == 0 || file[i] != '_')
		return -1;
	return v;
}

static int cmp_migration(const void *a, const void *b)
{
	const struct migration *x = a, *y = b;
	return (x->version > y->version) - (x->version < y->version);
}

/* Collects and sorts the embedded migrations. -1 on a malformed name or a
 * version used twice. */
static int collect(struct migration *m, size_t *n)
{
	size_t plen = strlen(MIG_PREFIX);

	*n = 0;
	for (const struct asset *a = eimza_assets; a->name != NULL; a++) {
		if (strncmp(a->name, MIG_PREFIX, plen) != 0)
			continue;
		const char *file = a->name + plen;
		long v = migration_version(file);
		if (v < 0 || strchr(file, '/') != NULL) {
			log_warn("db: ignoring %s (not NNNN_name.sql)", a->name);
			continue;
		}
		if (*n == MIG_MAX) {
			log_error("db: too many migrations");
			return -1;
		}
		m[*n].version = v;
		m[*n].name = file;
		m[*n].a = a;
		(*n)++;
	}
	qsort(m, *n, sizeof *m, cmp_migration);
	for (size_t i = 1; i < *n; i++) {
		if (m[i].version == m[i - 1].version) {
			log_error("db: migrations %s and %s share a number", m[i - 1].name,
				  m[i].name);
			return -1;
		}
	}
	return 0;
}

/* Applies one migration unless it is recorded already. 0 ok, -1 error. */
static int apply_one(db *d, const struct migration *m)
{
	char ver[24];
	int rc = -1, began = 0;
	int64_t seen;

	snprintf(ver, sizeof ver, "%ld", m->version);
	if (db_begin(d) != DB_OK)
		goto out;
	began = 1;
	seen = db_query_int64(d, -1, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
			      ver, NULL);
	if (seen < 0)
		goto out;
	if (seen == 0) {
		if (db_exec_script(d, (const char *)m->a->data) != DB_OK) {
			log_error("db: migration %s failed: %s", m->name, db_errmsg(d));
			goto out;
		}
		db_stmt *s = db_prepare(d, "INSERT INTO schema_migrations (version, name, "
					   "applied_at) VALUES ($1, $2, $3)");
		if (s == NULL)
			goto out;
		db_bind_int64(s, 1, m->version);
		db_bind_text(s, 2, m->name);
		db_bind_int64(s, 3, clock_now());
		int st = db_step(s);
		db_finalize(s);
		if (st != DB_DONE)
			goto out;
		log_info("db: applied migration %s", m->name);
	}
	if (db_commit(d) != DB_OK)
		goto out;
	began = 0;
	rc = 0;
out:
	if (began)
		db_rollback(d);
	return rc;
}

int db_migrate(db *d)
{
	struct migration *m = NULL;
	size_t n = 0;
	int rc = -1;

	if (db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY "
		       "KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)") != DB_OK) {
		log_error("db: cannot create schema_migrations: %s", db_errmsg(d));
		goto out;
	}
	m = calloc(MIG_MAX, sizeof *m);
	if (m == NULL || collect(m, &n) != 0) {
		db_set_err(d, "gömülü şema göçleri okunamadı");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (apply_one(d, &m[i]) != 0)
			goto out;
	rc = 0;
out:
	free(m);
	return rc;
}
