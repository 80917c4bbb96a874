/* The signer's sandbox (src/pki/sandbox.c): in a forked child the filter
 * is installed; what the request loop needs still works, and opening a file
 * for writing, a socket, a fork, an exec or an executable mapping kill the
 * child with SIGSYS. Descriptors not kept are closed, and no_new_privs, no
 * dumping, no core and no capabilities hold. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "pki/sandbox.h"

/* What the child does once sandboxed; its return value is its exit
 * status. out is a kept pipe to the parent. */
typedef int (*child_fn)(int out, int extra);

/* Forks; the child opens `extra` (an fd not kept, to see it closed), enters
 * the sandbox keeping only the pipe, runs fn. Returns the wait status. */
static int run(child_fn fn, int read_open, char *msg, size_t n)
{
	int p[2], st = 0;
	assert_int_equal(pipe(p), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		int extra = open("/dev/null", O_RDONLY);
		close(p[0]);
		if (sandbox_enter(&p[1], 1, read_open, err, sizeof err) != 0) {
			dprintf(2, "sandbox_enter: %s\n", err);
			_exit(100);
		}
		_exit(fn(p[1], extra));
	}
	close(p[1]);
	ssize_t r = read(p[0], msg, n - 1);
	msg[r > 0 ? r : 0] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void expect_exit0(int st)
{
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void expect_sigsys(int st)
{
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
}

/* The request loop's calls: write to a kept fd, time, randomness, memory
 * (brk and a large mmap, freed), getpid. */
static int allowed_calls(int out, int extra)
{
	(void)extra;
	struct timespec ts;
	unsigned char rnd[32];
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
		return 1;
	char *small = malloc(100), *big = malloc(64u << 20);
	if (small == NULL || big == NULL)
		return 2;
	memset(big, 1, 64u << 20);
	free(big);
	free(small);
	if (getpid() <= 0)
		return 3;
	return write(out, "ok", 2) == 2 ? 0 : 4;
}

static void test_allowed_calls_work(void **state)
{
	(void)state;
	char msg[16];
	expect_exit0(run(allowed_calls, 0, msg, sizeof msg));
	assert_string_equal(msg, "ok");
}

/* The process state after sandbox_enter, read by the parent from /proc
 * while the child waits on a kept pipe (descriptors, no_new_privs, filter,
 * capabilities, core size). */
static char *proc_read(pid_t pid, const char *what)
{
	char path[64], *data = calloc(1, 8192);
	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, what);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(data);
	size_t r = fread(data, 1, 8191, f);
	data[r] = '\0';
	fclose(f);
	return data;
}

static int count_fds(pid_t pid)
{
	char cmd[64], line[32];
	snprintf(cmd, sizeof cmd, "ls /proc/%d/fd | wc -l", (int)pid);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	pclose(f);
	return atoi(line);
}

static void test_state_after_enter(void **state)
{
	(void)state;
	int in[2], out[2], st = 0;
	char c;
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	int extra = open("/dev/null", O_RDONLY); /* inherited, not kept */
	assert_true(extra >= 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[256];
		int keep[] = {in[0], out[1]};
		if (sandbox_enter(keep, 2, 0, err, sizeof err) != 0)
			_exit(100);
		if (write(out[1], "r", 1) != 1 || read(in[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(extra);
	close(in[0]);
	close(out[1]);
	assert_int_equal(read(out[0], &c, 1), 1); /* sandboxed */
	char *status = proc_read(pid, "status"), *limits = proc_read(pid, "limits");
	assert_non_null(strstr(status, "NoNewPrivs:\t1"));
	assert_non_null(strstr(status, "Seccomp:\t2"));
	assert_non_null(strstr(status, "CapInh:\t0000000000000000"));
	assert_non_null(strstr(status, "CapPrm:\t0000000000000000"));
	assert_non_null(strstr(status, "CapEff:\t0000000000000000"));
	assert_non_null(strstr(status, "CapAmb:\t0000000000000000"));
	if (geteuid() == 0) /* only root may empty the bounding set */
		assert_non_null(strstr(status, "CapBnd:\t0000000000000000"));
	assert_non_null(strstr(limits, "Max core file size        0                    0"));
	/* 0, 1, 2 and the two pipe ends; extra (and anything cmocka or the
	 * test runner left open) is closed. */
	assert_int_equal(count_fds(pid), 5);
	free(status);
	free(limits);
	assert_int_equal(write(in[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	expect_exit0(st);
	close(in[1]);
	close(out[0]);
}

static int open_for_writing(int out, int extra)
{
	(void)out;
	(void)extra;
	int fd = openat(AT_FDCWD, "/dev/null", O_WRONLY);
	return fd >= 0 ? 0 : 1;
}

static int open_for_reading(int out, int extra)
{
	(void)extra;
	int fd = openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	close(fd);
	return write(out, "read", 4) == 4 ? 0 : 2;
}

static int make_socket(int out, int extra)
{
	(void)out;
	(void)extra;
	return socket(AF_INET, SOCK_STREAM, 0) >= 0 ? 0 : 1;
}

static int do_fork(int out, int extra)
{
	(void)out;
	(void)extra;
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	return 0;
}

static int do_exec(int out, int extra)
{
	(void)out;
	(void)extra;
	char *argv[] = {"/bin/true", NULL};
	execv("/bin/true", argv);
	return 1;
}

static int map_exec(int out, int extra)
{
	(void)out;
	(void)extra;
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? 1 : 0;
}

static void test_forbidden_calls_kill(void **state)
{
	(void)state;
	char msg[16];
	/* Writing is never allowed, not even with a token to read. */
	expect_sigsys(run(open_for_writing, 0, msg, sizeof msg));
	expect_sigsys(run(open_for_writing, 1, msg, sizeof msg));
	expect_sigsys(run(make_socket, 1, msg, sizeof msg));
	expect_sigsys(run(do_fork, 1, msg, sizeof msg));
	expect_sigsys(run(do_exec, 1, msg, sizeof msg));
	expect_sigsys(run(map_exec, 1, msg, sizeof msg));
}

static void test_read_open_only_for_a_token(void **state)
{
	(void)state;
	char msg[16];
	expect_sigsys(run(open_for_reading, 0, msg, sizeof msg));
	expect_exit0(run(open_for_reading, 1, msg, sizeof msg));
	assert_string_equal(msg, "read");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed_calls_work),
		cmocka_unit_test(test_state_after_enter),
		cmocka_unit_test(test_forbidden_calls_kill),
		cmocka_unit_test(test_read_open_only_for_a_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
