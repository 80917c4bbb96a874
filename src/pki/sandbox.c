/* The signer's sandbox (sandbox.h, docs/SECURITY.md).
 *
 * Each measure answers one way an attacker holding code execution in the
 * signer (through a parser bug reached by a request) could get further:
 * descriptors it inherited (a database, a socket of the web process) are
 * closed; no core dump can leave key material on disk and no ptrace or
 * /proc/<pid>/mem of the same uid can read it (non-dumpable); no capability
 * is left to use; no_new_privs keeps a set-uid program from giving any back;
 * and the seccomp filter kills the process on any system call the request
 * loop does not make -- no open of another file for writing, no socket, no
 * connect, no exec, no fork, no ptrace, no executable mapping. The list of
 * allowed calls was found by running the signer under `strace -f` while it
 * signs certificates, CRLs and OCSP responses with a key file and with a
 * SoftHSM2 token (tests/integration/test_signer_sandbox.py). */
#include "pki/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static int drop_bounding(char *err, size_t n);

int sandbox_become_user(const char *user, char *err, size_t n)
{
	struct passwd pw, *found = NULL;
	char pbuf[4096];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (getpwnam_r(user, &pw, pbuf, sizeof pbuf, &found) != 0 || found == NULL) {
		snprintf(err, n, "no such user: %s", user);
		return -1;
	}
	if (pw.pw_uid == 0 || pw.pw_gid == 0) {
		snprintf(err, n, "user %s is root or in group root", user);
		return -1;
	}
	/* While still root: afterwards CAP_SETPCAP is gone. */
	if (drop_bounding(err, n) != 0)
		return -1;
	if (initgroups(user, pw.pw_gid) != 0 || setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) != 0 ||
	    setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) != 0) {
		snprintf(err, n, "cannot switch to user %s: %s", user, strerror(errno));
		return -1;
	}
	/* Checked, not assumed: every id is the user's and root is gone. */
	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0 || ru != pw.pw_uid ||
	    eu != pw.pw_uid || su != pw.pw_uid || rg != pw.pw_gid || eg != pw.pw_gid ||
	    sg != pw.pw_gid || setuid(0) == 0 || setgid(0) == 0) {
		snprintf(err, n, "switch to user %s did not hold", user);
		return -1;
	}
	/* No set-uid program can give root back to this process. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, n, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Closes every descriptor from 3 up but those in keep. */
static int close_others(const int *keep, size_t nkeep)
{
	int sorted[16];
	unsigned lo = 3;
	if (nkeep > sizeof sorted / sizeof sorted[0])
		return -1;
	memcpy(sorted, keep, nkeep * sizeof *keep);
	qsort(sorted, nkeep, sizeof *sorted, cmp_int);
	for (size_t i = 0; i < nkeep; i++) {
		if (sorted[i] < 0 || (unsigned)sorted[i] < lo)
			continue;
		if ((unsigned)sorted[i] > lo && close_range(lo, (unsigned)sorted[i] - 1, 0) != 0)
			return -1;
		lo = (unsigned)sorted[i] + 1;
	}
	return close_range(lo, ~0U, 0);
}

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	return (int)syscall(SYS_capget, &h, d);
}

/* Empties the bounding and ambient sets when we may: dropping from the
 * bounding set needs CAP_SETPCAP, which a process started without root
 * does not have (nor any capability it could gain: no_new_privs and the
 * filter forbid exec). sandbox_become_user() empties it while still
 * root. */
static int drop_bounding(char *err, size_t n)
{
	struct __user_cap_data_struct d[2] = {{0}};
	if (caps_get(d) != 0) {
		snprintf(err, n, "capget: %s", strerror(errno));
		return -1;
	}
	int may_setpcap = (d[0].effective & (1u << CAP_SETPCAP)) != 0;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	for (unsigned long c = 0; may_setpcap && prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++) {
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) == 1 &&
		    prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0) {
			snprintf(err, n, "cannot drop capability %lu from the bounding set", c);
			return -1;
		}
	}
	return 0;
}

/* The bounding and ambient sets (drop_bounding), then the effective,
 * permitted and inheritable sets, checked empty. */
static int drop_caps(char *err, size_t n)
{
	struct __user_cap_data_struct d[2] = {{0}};
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	if (drop_bounding(err, n) != 0)
		return -1;
	if (syscall(SYS_capset, &h, d) != 0 || caps_get(d) != 0) {
		snprintf(err, n, "capset: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < 2; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable) {
			snprintf(err, n, "capabilities left after capset");
			return -1;
		}
	return 0;
}

/* Calls allowed whatever their arguments. */
static const int allowed[] = {
	/* the channel, stderr, the journal (and what a PKCS#11 module reads) */
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(writev),
	SCMP_SYS(sendto),
	SCMP_SYS(sendmsg),
	SCMP_SYS(recvfrom),
	SCMP_SYS(recvmsg),
	SCMP_SYS(close),
	SCMP_SYS(flock),
	SCMP_SYS(fsync),
	SCMP_SYS(fdatasync),
	SCMP_SYS(lseek),
	SCMP_SYS(pread64),
	SCMP_SYS(fstat),
	/* time, randomness, identity of the process (OpenSSL's fork check) */
	SCMP_SYS(clock_gettime),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(time),
	SCMP_SYS(getrandom),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	/* memory (mmap and mprotect: below, never executable) */
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(brk),
	SCMP_SYS(madvise),
	SCMP_SYS(futex),
	/* the end, and signals */
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask),
	/* the sanitizers' runtime queries its signal stack when a process ends;
	 * harmless: it only names memory the process already has */
	SCMP_SYS(sigaltstack),
};

/* Opening for reading only: not for writing, not creating, truncating or
 * appending (O_TMPFILE needs write access, so it is excluded too). */
#define OPEN_WRITE_FLAGS (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_EXCL)

/* A PKCS#11 module may read its token's files at every operation: SoftHSM2
 * opens the token's generation file and the key's object file read-only,
 * takes a read lock (fcntl F_SETLKW, released with F_SETLK), reads, closes;
 * when the generation changed it lists the token directory again. */
static int allow_token_reads(scmp_filter_ctx f)
{
	static const int fcntl_cmds[] = {F_GETFL, F_GETFD, F_GETLK, F_SETLK, F_SETLKW};
	if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
			     SCMP_A2(SCMP_CMP_MASKED_EQ, OPEN_WRITE_FLAGS, 0)) != 0 ||
	    seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(getdents64), 0) != 0)
		return -1;
	for (size_t i = 0; i < sizeof fcntl_cmds / sizeof fcntl_cmds[0]; i++)
		if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1,
				     SCMP_A1(SCMP_CMP_EQ, (scmp_datum_t)fcntl_cmds[i])) != 0)
			return -1;
	return 0;
}

int sandbox_filter(int read_open, char *err, size_t n)
{
	int rc = -1;
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (f == NULL) {
		snprintf(err, n, "seccomp_init failed");
		return -1;
	}
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (seccomp_rule_add(f, SCMP_ACT_ALLOW, allowed[i], 0) != 0)
			goto out;
	/* Memory, never executable: no new code can be mapped in. */
	if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
			     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) != 0 ||
	    seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
			     SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0)) != 0)
		goto out;
	/* fstat(fd) is newfstatat(fd, "", AT_EMPTY_PATH) in glibc: only that
	 * form, never a path lookup. */
	if (seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(newfstatat), 1,
			     SCMP_A3(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH)) != 0)
		goto out;
	if (read_open && allow_token_reads(f) != 0)
		goto out;
	if (seccomp_load(f) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		snprintf(err, n, "seccomp filter not installed");
	seccomp_release(f);
	return rc;
}

int sandbox_enter(const int *keep, size_t nkeep, int read_open, char *err, size_t n)
{
	struct rlimit no_core = {0, 0};
	if (close_others(keep, nkeep) != 0) {
		snprintf(err, n, "cannot close inherited descriptors: %s", strerror(errno));
		return -1;
	}
	if (setrlimit(RLIMIT_CORE, &no_core) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		snprintf(err, n, "cannot disable core dumps: %s", strerror(errno));
		return -1;
	}
	if (drop_caps(err, n) != 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, n, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	return sandbox_filter(read_open, err, n);
}
