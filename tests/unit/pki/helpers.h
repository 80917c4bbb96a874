/* Test helpers for src/pki: temp dirs, running the openssl CLI, a database. */
#ifndef EIMZA_TEST_PKI_HELPERS_H
#define EIMZA_TEST_PKI_HELPERS_H

#include <stddef.h>

#include "store/db.h"

/* A fresh directory under /tmp (caller frees the string). */
char *tp_tmpdir(void);
void tp_rmtree(const char *dir);
/* Runs a shell command (printf-style); returns its exit status and its
 * stdout+stderr in out (malloc'd, caller frees) when out is not NULL. */
int tp_sh(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens dir/name.db and applies the migrations. */
db *tp_open_db(const char *dir, const char *name);
/* Reads a whole file (caller frees). */
char *tp_slurp(const char *path, size_t *len);
/* Writes bytes to a file. */
void tp_write(const char *path, const void *data, size_t len);

/* Fails with the Turkish error text when a pki call returns non-zero. */
#define tp_ok(expr, err) \
	do { \
		if ((expr) != 0) \
			fail_msg("%s failed: %s", #expr, (err)); \
	} while (0)
#endif
