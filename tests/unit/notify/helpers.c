#include "helpers.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

char *th_tmpdir(void)
{
	char tmpl[] = "/tmp/eimza-notify-XXXXXX";
	char *d = mkdtemp(tmpl);
	assert_non_null(d);
	return strdup(d);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void th_rmtree(const char *dir)
{
	if (dir != NULL && strncmp(dir, "/tmp/eimza-notify-", 18) == 0)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

db *th_open_db(const char *dir, const char *name)
{
	char path[512], err[256] = "";
	snprintf(path, sizeof path, "%s/%s.db", dir, name);
	db *d = db_open(path, err, sizeof err);
	if (d == NULL)
		fail_msg("db_open %s: %s", path, err);
	assert_int_equal(db_migrate(d), 0);
	return d;
}

int th_free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	socklen_t len = sizeof a;
	assert_true(s >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
	close(s);
	return ntohs(a.sin_port);
}

static int port_open(int port)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
	close(s);
	return ok;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int th_wait_file(const char *path, int ms)
{
	for (int i = 0; i < ms / 20 + 1; i++) {
		if (access(path, F_OK) == 0)
			return 0;
		sleep_ms(20);
	}
	return -1;
}

pid_t th_start_sink(const char *script, int port, const char *dir, const char *extra)
{
	char portstr[16], ready[512];
	snprintf(portstr, sizeof portstr, "%d", port);
	snprintf(ready, sizeof ready, "%s/ready", dir);
	unlink(ready);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl("/usr/bin/python3", "python3", script, portstr, dir, extra, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid)
			fail_msg("sink %s exited early", script);
		if (access(ready, F_OK) == 0 && port_open(port))
			return pid;
		sleep_ms(20);
	}
	th_stop(pid);
	fail_msg("sink %s did not start", script);
	return -1;
}

void th_stop(pid_t pid)
{
	int status;
	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 250; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		sleep_ms(20);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

char *th_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4096, n = 0;
	char *p = malloc(cap);
	size_t r;
	while (p != NULL && (r = fread(p + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0) {
			cap *= 2;
			p = realloc(p, cap);
		}
	}
	fclose(f);
	if (p == NULL)
		return NULL;
	p[n] = '\0';
	if (len)
		*len = n;
	return p;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int th_row(db *d, int64_t id, struct th_row *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *s = db_prepare(d, "SELECT status, last_error, recipient, subject, body, "
				   "attempts, next_attempt_at, sent_at FROM outbox WHERE id = $1");
	assert_non_null(s);
	db_bind_int64(s, 1, id);
	int rc = db_step(s) == DB_ROW ? 0 : -1;
	if (rc == 0) {
		out->status = dup_or_null(db_col_text(s, 0));
		out->last_error = dup_or_null(db_col_text(s, 1));
		out->recipient = dup_or_null(db_col_text(s, 2));
		out->subject = dup_or_null(db_col_text(s, 3));
		out->body = dup_or_null(db_col_text(s, 4));
		out->attempts = db_col_int64(s, 5);
		out->next_attempt_at = db_col_int64(s, 6);
		out->sent_at = db_col_int64(s, 7);
	}
	db_finalize(s);
	return rc;
}

void th_row_free(struct th_row *r)
{
	free(r->status);
	free(r->last_error);
	free(r->recipient);
	free(r->subject);
	free(r->body);
	memset(r, 0, sizeof *r);
}

int64_t th_count(db *d, const char *status)
{
	if (status == NULL)
		return db_query_int64(d, -1, "SELECT COUNT(*) FROM outbox", (char *)NULL);
	return db_query_int64(d, -1, "SELECT COUNT(*) FROM outbox WHERE status = $1", status,
			      (char *)NULL);
}

int64_t th_last_id(db *d)
{
	return db_query_int64(d, -1, "SELECT MAX(id) FROM outbox", (char *)NULL);
}
