/* The signer's sandbox (docs/SECURITY.md, "Process and sandbox"): its own
 * system user, then -- once its keys and journal are loaded -- no inherited
 * descriptors, no core dumps, no capabilities, no_new_privs and a seccomp
 * filter that allows only what the request loop needs. Also the user
 * switch of the web process (`serve` started as root). */
#ifndef EIMZA_PKI_SANDBOX_H
#define EIMZA_PKI_SANDBOX_H

#include <stddef.h>

/* Switches the whole process to the system user `user` (its groups, its
 * primary group, then its uid) and checks that the switch holds (root
 * cannot be regained). Only meaningful when running as root. 0 or -1 with
 * the reason in err. */
int sandbox_become_user(const char *user, char *err, size_t n);

/* Closes every descriptor but 0, 1, 2 and the nkeep in keep, sets
 * RLIMIT_CORE to 0, makes the process non-dumpable, drops every capability
 * (bounding, ambient, effective, permitted, inheritable), sets
 * no_new_privs and installs the seccomp filter (sandbox_filter). 0, or -1
 * with the reason in err (the caller must then exit). */
int sandbox_enter(const int *keep, size_t nkeep, int read_open, char *err, size_t n);

/* Only the seccomp filter (no_new_privs must already be set): any system
 * call not in its list kills the process (SIGSYS). read_open also allows
 * openat() for reading only (a PKCS#11 module reading its token). */
int sandbox_filter(int read_open, char *err, size_t n);

/* Gives the CA directory dir to user (ca_owner.c): the directory and every
 * file in it owned by the user; certificates and CRLs 0644, every other
 * file (keys, journal, token files) 0600, subdirectories 0700, dir 0755.
 * Needs root. 0 or -1 with the reason in err. */
int sandbox_give_ca_dir(const char *dir, const char *user, char *err, size_t n);

#endif
