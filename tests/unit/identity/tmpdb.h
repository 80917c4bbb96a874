/* Test helper: a migrated SQLite database in a fresh temporary directory,
 * plus a server secret file beside it. */
#ifndef EIMZA_TEST_TMPDB_H
#define EIMZA_TEST_TMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "util/config.h"

struct tmpdb {
	char dir[64];
	char path[96];
	char secret[96];
	db *d;
};

/* Opens (or reopens) t->path and migrates it. 0 on success. */
static inline int tmpdb_open(struct tmpdb *t)
{
	char err[256] = "";
	t->d = db_open(t->path, err, sizeof err);
	if (t->d == NULL) {
		fprintf(stderr, "db_open %s: %s\n", t->path, err);
		return -1;
	}
	if (db_migrate(t->d) != 0) {
		fprintf(stderr, "db_migrate: %s\n", db_errmsg(t->d));
		db_close(t->d);
		t->d = NULL;
		return -1;
	}
	return 0;
}

static inline int tmpdb_create(struct tmpdb *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/eimza-identity-XXXXXX");
	if (mkdtemp(t->dir) == NULL)
		return -1;
	snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
	snprintf(t->secret, sizeof t->secret, "%s/secret.key", t->dir);
	if (config_set("server.secret_file", t->secret) != 0)
		return -1;
	return tmpdb_open(t);
}

static inline void tmpdb_destroy(struct tmpdb *t)
{
	static const char *const names[] = {"test.db", "test.db-wal", "test.db-shm", "secret.key"};
	char p[128];
	if (t->d != NULL)
		db_close(t->d);
	t->d = NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", t->dir, names[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

#endif
