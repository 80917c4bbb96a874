/* The CA directory handed to the signer's user (`eimza init` run as root
 * with ca.signer_user set; docs/SECURITY.md "Process and sandbox").
 *
 * What is private is decided by what is public, not the other way round:
 * in the CA directory itself only certificates and CRLs (*.pem, *.crt,
 * *.cer, *.crl) stay readable by others (0644); every other file -- the
 * private keys, the journal, whatever a key store adds -- is made 0600 and
 * every subdirectory (the token directory) 0700, all owned by the signer's
 * user. The directory itself is the signer's (it writes its journal and the
 * renewed OCSP responder certificate there), 0755 so that the web process
 * can read the public files. Symbolic links are left alone, never
 * followed. */
#include "pki/sandbox.h"

#include <errno.h>
#include <ftw.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static uid_t owner_uid;
static gid_t owner_gid;
static char owner_err[512];

static int is_public(const char *name)
{
	static const char *const suffixes[] = {".pem", ".crt", ".cer", ".crl"};
	size_t l = strlen(name);
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		size_t s = strlen(suffixes[i]);
		if (l > s && strcmp(name + l - s, suffixes[i]) == 0)
			return 1;
	}
	return 0;
}

static int give(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	mode_t mode;
	if (type == FTW_SL || type == FTW_SLN)
		return 0;
	if (type == FTW_D)
		mode = ftw->level == 0 ? 0755 : 0700;
	else if (type == FTW_F && S_ISREG(st->st_mode))
		mode = ftw->level == 1 && is_public(path + ftw->base) ? 0644 : 0600;
	else if (type == FTW_F)
		return 0; /* sockets, fifos: not ours to change */
	else {
		snprintf(owner_err, sizeof owner_err, "cannot read %s", path);
		return -1;
	}
	if (lchown(path, owner_uid, owner_gid) != 0 || chmod(path, mode) != 0) {
		snprintf(owner_err, sizeof owner_err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int sandbox_give_ca_dir(const char *dir, const char *user, char *err, size_t n)
{
	struct passwd pw, *found = NULL;
	char pbuf[4096];
	if (getpwnam_r(user, &pw, pbuf, sizeof pbuf, &found) != 0 || found == NULL) {
		snprintf(err, n, "no such user: %s", user);
		return -1;
	}
	owner_uid = pw.pw_uid;
	owner_gid = pw.pw_gid;
	owner_err[0] = '\0';
	if (nftw(dir, give, 16, FTW_PHYS) != 0) {
		snprintf(err, n, "%s", owner_err[0] ? owner_err : strerror(errno));
		return -1;
	}
	return 0;
}
