/* Who runs a command-line action, for its audit record (issue 9): the
 * operating-system user of the effective uid, and under sudo the user who
 * invoked sudo. */
#ifndef EIMZA_CLIACTOR_H
#define EIMZA_CLIACTOR_H

#include <stddef.h>

struct cli_actor {
	char actor[80];	    /* "cli:<user>" or "cli:uid<N>" */
	char sudo_user[40]; /* SUDO_USER of a sudo run (sanitised), "" otherwise */
};

/* Fills a from the effective uid (getpwuid_r; "cli:uid<N>" when the uid has
 * no name) and the SUDO_USER environment variable. SUDO_USER is kept only
 * when it is 1..32 characters of [A-Za-z0-9._-] (anything else becomes "?"):
 * it is informational, the actor itself comes from the kernel's uid. */
void cli_actor_get(struct cli_actor *a);

/* The detail of an audit record: `what` (may be NULL or ""), followed
 * under sudo by "; sudo by <user>" (or "sudo by <user>" alone). Writes into
 * out (truncating) and returns it, or NULL when there is nothing to say. */
const char *cli_actor_detail(const struct cli_actor *a, const char *what, char *out, size_t n);

#endif
