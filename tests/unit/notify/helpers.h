/* Shared helpers of the notify tests: a scratch database and local sink
 * processes (started by PID, stopped by PID). */
#ifndef EIMZA_TEST_NOTIFY_HELPERS_H
#define EIMZA_TEST_NOTIFY_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "store/db.h"

/* A fresh temporary directory (caller removes with th_rmtree). */
char *th_tmpdir(void);
void th_rmtree(const char *dir);
/* Opens dir/name.db and migrates it; fails the test on error. */
db *th_open_db(const char *dir, const char *name);
/* A TCP port on 127.0.0.1 that was free a moment ago. */
int th_free_port(void);
/* Starts /usr/bin/python3 SCRIPT PORT DIR [EXTRA] and waits (up to 10 s) for
 * DIR/ready and for the port to accept connections. Returns the PID. */
pid_t th_start_sink(const char *script, int port, const char *dir, const char *extra);
/* SIGTERM, then SIGKILL after 5 s; reaps the process. */
void th_stop(pid_t pid);
/* Reads a whole file into a malloc'd NUL-terminated string (NULL if absent). */
char *th_read_file(const char *path, size_t *len);
/* Waits up to ms for path to exist. 0 when it does. */
int th_wait_file(const char *path, int ms);

/* One outbox row's state. Strings are malloc'd (free with th_row_free). */
struct th_row {
	char *status, *last_error, *recipient, *subject, *body;
	int64_t attempts, next_attempt_at, sent_at;
};
int th_row(db *d, int64_t id, struct th_row *out);
void th_row_free(struct th_row *r);
int64_t th_count(db *d, const char *status); /* NULL: all rows */
int64_t th_last_id(db *d);

#endif
