/* Test helper: starts tests/integration/kps_stub.py (path KPS_STUB, set by
 * meson) with /usr/bin/python3 on a free 127.0.0.1 port, points config
 * registry.kps_url at it, and stops it by its PID. */
#ifndef EIMZA_TEST_KPS_STUB_PROC_H
#define EIMZA_TEST_KPS_STUB_PROC_H

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/config.h"

extern char **environ;

static pid_t stub_pid = -1;
static char stub_url[128];

/* Reads "PORT n" from fd within 10 s; the port or -1. */
static int read_port(int fd)
{
	char line[64];
	size_t n = 0;
	struct pollfd p = {.fd = fd, .events = POLLIN};
	while (n < sizeof line - 1) {
		if (poll(&p, 1, 10000) <= 0)
			return -1;
		ssize_t r = read(fd, line + n, 1);
		if (r <= 0)
			return -1;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	char *end = NULL;
	if (strncmp(line, "PORT ", 5) != 0)
		return -1;
	long port = strtol(line + 5, &end, 10);
	return (end != line + 5 && *end == '\0' && port > 0 && port < 65536) ? (int)port : -1;
}

static void stub_stop(void)
{
	if (stub_pid > 0) {
		kill(stub_pid, SIGTERM);
		waitpid(stub_pid, NULL, 0);
		stub_pid = -1;
	}
}

static int stub_start(void **state)
{
	int fds[2];
	posix_spawn_file_actions_t fa;
	char *argv[] = {"/usr/bin/python3", KPS_STUB, "0", NULL};

	if (pipe(fds) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	int rc = posix_spawn(&stub_pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		stub_pid = -1;
		return -1;
	}
	int port = read_port(fds[0]);
	close(fds[0]);
	if (port < 0) {
		stub_stop();
		return -1;
	}
	snprintf(stub_url, sizeof stub_url, "http://127.0.0.1:%d/Service/KPSPublic.asmx", port);
	if (config_set("registry.kps_url", stub_url) != 0 ||
	    config_set("registry.kps_timeout", "2") != 0) {
		stub_stop();
		return -1;
	}
	return 0;
}

#endif
