/* The actor of command-line actions (see cliactor.h). */
#include "util/cliactor.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 1 if s is 1..32 bytes of [A-Za-z0-9._-] (a plausible user name). */
static int name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-'))
			return 0;
	}
	return 1;
}

void cli_actor_get(struct cli_actor *a)
{
	uid_t uid = geteuid();
	struct passwd pw, *res = NULL;
	char buf[4096];

	memset(a, 0, sizeof *a);
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res != NULL &&
	    name_ok(res->pw_name))
		snprintf(a->actor, sizeof a->actor, "cli:%s", res->pw_name);
	else
		snprintf(a->actor, sizeof a->actor, "cli:uid%lu", (unsigned long)uid);
	const char *sudo = getenv("SUDO_USER");
	if (sudo != NULL && *sudo != '\0')
		snprintf(a->sudo_user, sizeof a->sudo_user, "%s", name_ok(sudo) ? sudo : "?");
}

const char *cli_actor_detail(const struct cli_actor *a, const char *what, char *out, size_t n)
{
	int have = what != NULL && *what != '\0';
	if (n == 0 || (!have && a->sudo_user[0] == '\0'))
		return NULL;
	if (a->sudo_user[0] == '\0')
		snprintf(out, n, "%s", what);
	else
		snprintf(out, n, "%s%ssudo by %s", have ? what : "", have ? "; " : "",
			 a->sudo_user);
	return out;
}
