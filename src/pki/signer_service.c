/* The signer as its own service (`eimza signer`, docs/protocol.md "Signer
 * as a service"): for installations without root, where the web process and
 * the signer are two systemd units under two users.
 *
 * The service listens on a Unix socket (ca.signer_socket). For each
 * connection it checks the peer's uid (SO_PEERCRED) against
 * ca.signer_clients and its own uid, then forks one signer for that
 * connection: the child loads the keys itself (a PKCS#11 session does not
 * survive a fork), enters its sandbox and serves the connection exactly as
 * a forked signer serves `serve` (signer.c), exiting on EOF. The listening
 * process never reads a client's bytes and never loads a key. */
#include "pki/nes_policy.h"
#include "pki/signer.h"

#include <errno.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/config.h"
#include "util/log.h"

#define MAX_CLIENTS 16

static volatile sig_atomic_t service_stop;
static sigset_t unblocked; /* the mask before the loop blocked its signals */

static void on_stop(int sig)
{
	(void)sig;
	service_stop = 1;
}

/* Interrupts ppoll() so that the loop reaps at once. */
static void on_child(int sig)
{
	(void)sig;
}

static int socket_addr(struct sockaddr_un *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (path[0] == '\0')
		return -1;
	if (strlen(path) >= sizeof a->sun_path) {
		log_error("signer: socket path too long: %s", path);
		return -1;
	}
	memcpy(a->sun_path, path, strlen(path));
	return 0;
}

/* ca.signer_clients: comma-separated user names or numeric uids. The
 * service's own uid is always allowed. 0 or -1 (logged). */
static int uid_list(const char *key, uid_t *uids, size_t *n)
{
	char list[1024], *save = NULL;
	const char *v = config_get(key);
	if (snprintf(list, sizeof list, "%s", v) >= (int)sizeof list) {
		log_error("signer: %s too long", key);
		return -1;
	}
	for (char *t = strtok_r(list, ", \t", &save); t != NULL;
	     t = strtok_r(NULL, ", \t", &save)) {
		char *end;
		errno = 0;
		unsigned long u = strtoul(t, &end, 10);
		struct passwd *pw;
		if (*n >= MAX_CLIENTS) {
			log_error("signer: %s: more than %d clients", key, MAX_CLIENTS - 1);
			return -1;
		}
		if (t[0] >= '0' && t[0] <= '9' && *end == '\0' && errno == 0 && u < (uid_t)-1)
			uids[(*n)++] = (uid_t)u;
		else if ((pw = getpwnam(t)) != NULL)
			uids[(*n)++] = pw->pw_uid;
		else {
			log_error("signer: %s: no such user: %s", key, t);
			return -1;
		}
	}
	return 0;
}

static int allowed_uids(uid_t *uids, size_t *n)
{
	*n = 0;
	uids[(*n)++] = geteuid();
	return uid_list("ca.signer_clients", uids, n);
}

/* ca.card_clients: the users whose connections may ask for the card
 * profiles (KEY_ON_QSCD): the user `eimza card produce` runs as, never the
 * web server's. Not the service's own uid unless listed. */
static int card_uids(uid_t *uids, size_t *n)
{
	*n = 0;
	return uid_list("ca.card_clients", uids, n);
}

static int uid_in(uid_t u, const uid_t *uids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (uids[i] == u)
			return 1;
	return 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un a;
	if (socket_addr(&a, path) != 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("signer: socket: %s", strerror(errno));
		return -1;
	}
	/* A socket left by a previous run that did not stop cleanly. */
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || chmod(path, 0660) != 0 ||
	    listen(fd, 16) != 0) {
		log_error("signer: cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* 1 when the peer's uid is allowed (its uid in *peer), else 0 (logged). */
static int peer_allowed(int conn, const uid_t *uids, size_t n, uid_t *peer)
{
	struct ucred cr;
	socklen_t len = sizeof cr;
	if (getsockopt(conn, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) {
		log_warn("signer: SO_PEERCRED: %s", strerror(errno));
		return 0;
	}
	*peer = cr.uid;
	if (uid_in(cr.uid, uids, n))
		return 1;
	log_warn("signer: connection from uid %u (pid %d) refused: not in ca.signer_clients",
		 (unsigned)cr.uid, (int)cr.pid);
	return 0;
}

/* Forks the signer of one connection; the listening socket is closed in
 * the child before it loads a key. */
static void serve_conn(int lfd, int conn, const char *ca_dir, int card_client)
{
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		log_error("signer: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigprocmask(SIG_SETMASK, &unblocked, NULL);
		close(lfd);
		signer_child_run(conn, ca_dir, parent, card_client);
	}
	log_info("signer: connection served by pid %d", (int)pid);
}

static void reap(void)
{
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (WIFSIGNALED(st))
			log_warn("signer: pid %d killed by signal %d", (int)pid, WTERMSIG(st));
		else
			log_info("signer: pid %d exited with status %d", (int)pid, WEXITSTATUS(st));
	}
}

/* The loop's signals are blocked but while it waits in ppoll(), so that a
 * SIGTERM between the check of service_stop and the wait is not lost. */
static int accept_loop(int lfd, const char *ca_dir, const uid_t *uids, size_t n, const uid_t *card,
		       size_t ncard)
{
	while (!service_stop) {
		struct pollfd p = {.fd = lfd, .events = POLLIN};
		reap();
		int r = ppoll(&p, 1, NULL, &unblocked);
		if (r < 0 && errno == EINTR)
			continue; /* a signal: stop, or reap */
		if (r < 0) {
			log_error("signer: poll: %s", strerror(errno));
			return -1;
		}
		int conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (conn < 0) {
			if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
				log_warn("signer: accept: %s", strerror(errno));
			continue;
		}
		uid_t peer;
		if (peer_allowed(conn, uids, n, &peer))
			serve_conn(lfd, conn, ca_dir, uid_in(peer, card, ncard));
		close(conn);
	}
	return 0;
}

int signer_service_run(const char *path, const char *ca_dir)
{
	uid_t uids[MAX_CLIENTS], card[MAX_CLIENTS];
	size_t n = 0, ncard = 0;
	char perr[512];
	if (pki_policy_config_check(perr, sizeof perr) != 0) {
		log_error("signer: profile configuration refused: %s", perr);
		return 2;
	}
	if (path[0] == '\0') {
		log_error("signer: no socket (set ca.signer_socket or --socket)");
		return 2;
	}
	/* As root with ca.signer_user: becomes that user, as a forked signer
	 * does, before the socket is made (it is then the user's). */
	if (signer_child_user(getppid()) != 0 || allowed_uids(uids, &n) != 0 ||
	    card_uids(card, &ncard) != 0)
		return 1;
	struct sigaction sa = {.sa_handler = on_stop};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	int lfd = listen_on(path);
	if (lfd < 0)
		return 1;
	log_info("signer: service listening on %s for %s (%zu allowed uids)", path, ca_dir, n);
	int rc = accept_loop(lfd, ca_dir, uids, n, card, ncard);
	close(lfd);
	unlink(path);
	reap();
	log_info("signer: service stopped");
	return rc == 0 ? 0 : 1;
}

int signer_service_connect(const char *path)
{
	struct sockaddr_un a;
	if (socket_addr(&a, path) != 0)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		log_error("signer: socket: %s", strerror(errno));
		return -1;
	}
	while (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		if (errno == EINTR)
			continue;
		log_error("signer: cannot connect to the signer service on %s: %s", path,
			  strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
