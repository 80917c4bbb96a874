/* The signer's life seen from both sides (signer.h, docs/protocol.md
 * "Start, stop and death").
 *
 * The signer is started once, before any network input is read, and never
 * again by a process that has read network input: a web process taken over
 * through a request must not be able to make a fresh signer (which would
 * load the keys again under its eyes, or from files it swapped). So a dead
 * signer is final for its parent: the watch thread (or a failed request on
 * the channel) reports it once, the hook set by `serve` stops the server
 * with status 1, and systemd starts both again. Command-line commands have
 * no hook: their signing call fails with the reason.
 *
 * The child side: when started as root with ca.signer_user set, the signer
 * becomes that user before it loads a key; once its keys and journal are
 * loaded it enters its sandbox (sandbox.h). */
#include "pki/sandbox.h"
#include "pki/signer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/rsa.h>

#include "util/config.h"
#include "util/log.h"

/* ---- parent: death of the signer ---- */

static void (*death_hook)(void);
static _Atomic pid_t reported = -1; /* the signer whose death was reported */
static pthread_t watcher;
static int watching, watch_pidfd = -1, watch_stop[2] = {-1, -1};

void signer_on_death(void (*fn)(void))
{
	death_hook = fn;
}

void signer_lost(pid_t pid, const char *why)
{
	if (atomic_exchange(&reported, pid) == pid)
		return;
	log_error("signer: %s (pid %d); it is not restarted", why, (int)pid);
	if (death_hook != NULL)
		death_hook();
}

/* Connected to `eimza signer`: the watched fd is a duplicate of the
 * channel. The signer never sends unsolicited bytes, so only its hang-up
 * (POLLRDHUP, POLLHUP) is waited for, never a reply (POLLIN). */
static void *watch_remote(void *arg)
{
	(void)arg;
	struct pollfd p[2] = {{.fd = watch_pidfd, .events = POLLRDHUP},
			      {.fd = watch_stop[0], .events = POLLIN}};
	while (poll(p, 2, -1) < 0 && errno == EINTR)
		;
	if (p[1].revents != 0 || p[0].revents == 0)
		return NULL;
	signer_lost(0, "the signer service closed the connection");
	return NULL;
}

static void *watch(void *arg)
{
	pid_t pid = (pid_t)(intptr_t)arg;
	struct pollfd p[2] = {{.fd = watch_pidfd, .events = POLLIN},
			      {.fd = watch_stop[0], .events = POLLIN}};
	while (poll(p, 2, -1) < 0 && errno == EINTR)
		;
	if (p[1].revents != 0 || p[0].revents == 0)
		return NULL;
	/* WNOWAIT: signer_stop() reaps it. */
	siginfo_t si = {0};
	char why[96] = "the signer died";
	if (waitid(P_PIDFD, (id_t)watch_pidfd, &si, WEXITED | WNOWAIT) == 0) {
		if (si.si_code == CLD_EXITED)
			snprintf(why, sizeof why, "the signer exited with status %d", si.si_status);
		else
			snprintf(why, sizeof why, "the signer was killed by signal %d (%s)",
				 si.si_status, strsignal(si.si_status));
	}
	signer_lost(pid, why);
	return NULL;
}

int signer_watch(void)
{
	pid_t pid = signer_pid();
	if (watching)
		return -1;
	/* Forked: the child's pidfd; else the channel to the signer service. */
	watch_pidfd = pid > 0 ? pidfd_open(pid, 0) : signer_channel_dup();
	if (watch_pidfd < 0 || pipe2(watch_stop, O_CLOEXEC) != 0) {
		log_error("signer: cannot watch pid %d: %s", (int)pid, strerror(errno));
		goto fail;
	}
	if (pthread_create(&watcher, NULL, pid > 0 ? watch : watch_remote, (void *)(intptr_t)pid) !=
	    0) {
		log_error("signer: cannot start the watch thread");
		goto fail;
	}
	watching = 1;
	return 0;
fail:
	if (watch_pidfd >= 0)
		close(watch_pidfd);
	for (int i = 0; i < 2; i++)
		if (watch_stop[i] >= 0)
			close(watch_stop[i]);
	watch_pidfd = watch_stop[0] = watch_stop[1] = -1;
	return -1;
}

void signer_unwatch(void)
{
	if (!watching)
		return;
	char c = 0;
	while (write(watch_stop[1], &c, 1) < 0 && errno == EINTR)
		;
	pthread_join(watcher, NULL);
	close(watch_pidfd);
	close(watch_stop[0]);
	close(watch_stop[1]);
	watch_pidfd = watch_stop[0] = watch_stop[1] = -1;
	watching = 0;
}

/* ---- child ---- */

int signer_child_user(pid_t parent)
{
	const char *user = config_get("ca.signer_user");
	char err[256];
	if (geteuid() == 0 && user[0] != '\0' && sandbox_become_user(user, err, sizeof err) != 0) {
		log_error("signer: %s", err);
		return -1;
	}
	/* After the switch: a change of credentials clears both. */
	prctl(PR_SET_DUMPABLE, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		return -1; /* the parent died before the death signal was armed */
	return 0;
}

/* A key whose operations are not OpenSSL's own: a PKCS#11 token's, loaded
 * through libp11 (its RSA or EC_KEY method) or through a provider other
 * than OpenSSL's default, base or FIPS one. The legacy method calls are
 * deprecated in OpenSSL 3, but they are what libp11 keys carry. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static int key_outside(EVP_PKEY *k)
{
	if (k == NULL)
		return 0;
	const OSSL_PROVIDER *prov = EVP_PKEY_get0_provider(k);
	if (prov != NULL) {
		const char *name = OSSL_PROVIDER_get0_name(prov);
		return strcmp(name, "default") != 0 && strcmp(name, "base") != 0 &&
		       strcmp(name, "fips") != 0;
	}
	const RSA *rsa = EVP_PKEY_get0_RSA(k);
	const EC_KEY *ec = EVP_PKEY_get0_EC_KEY(k);
	ERR_clear_error();
	if (rsa != NULL)
		return RSA_get_method(rsa) != RSA_PKCS1_OpenSSL();
	if (ec != NULL)
		return EC_KEY_get_method(ec) != EC_KEY_OpenSSL();
	return 0;
}
#pragma GCC diagnostic pop

int signer_child_sandbox(int channel, int journal_fd, EVP_PKEY *const *keys, size_t nkeys)
{
	int keep[] = {channel, journal_fd};
	char err[256];
	/* Key files were read before this; a token may be read at each use. */
	int token = config_get("ca.pkcs11_module")[0] != '\0';
	for (size_t i = 0; i < nkeys; i++)
		token |= key_outside(keys[i]);
	if (sandbox_enter(keep, 2, token, err, sizeof err) != 0) {
		log_error("signer: sandbox: %s", err);
		return -1;
	}
	return 0;
}
