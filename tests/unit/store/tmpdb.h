/* Test helper: a fresh SQLite database in a mkdtemp directory. */
#ifndef EIMZA_TEST_TMPDB_H
#define EIMZA_TEST_TMPDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

struct tmpdb {
	char dir[64];
	char path[128];
};

static void tmpdb_make(struct tmpdb *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/eimza-store-XXXXXX");
	if (mkdtemp(t->dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
	snprintf(t->path, sizeof t->path, "%s/test.db", t->dir);
}

static void tmpdb_remove(struct tmpdb *t)
{
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
	char p[160];

	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s%s", t->path, sfx[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

/* Opens the database and applies the migrations; aborts on failure. */
static db *tmpdb_open(struct tmpdb *t)
{
	char err[256];
	db *d = db_open(t->path, err, sizeof err);

	if (d == NULL) {
		fprintf(stderr, "db_open: %s\n", err);
		abort();
	}
	if (db_migrate(d) != 0) {
		fprintf(stderr, "db_migrate: %s\n", db_errmsg(d));
		abort();
	}
	return d;
}

#endif
