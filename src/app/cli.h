/* The state-changing command-line actions of `eimza` outside `ca` (issue
 * 9): each one transaction that holds its change and its audit record,
 * with the operating-system user as actor (util/cliactor.h). */
#ifndef EIMZA_APP_CLI_H
#define EIMZA_APP_CLI_H

#include <stddef.h>

#include "store/db.h"
#include "store/staff.h"
#include "util/cliactor.h"

/* `eimza import KIND FILE`: store_import_csv plus, in the same
 * transaction, the audit record (action "import_<kind>", object
 * "import:<kind>", detail "<file>: <N> rows"). A failed import writes
 * nothing. 0 ok (*rows set when not NULL), -1 with a Turkish message in
 * err. */
int cli_import(db *d, const struct cli_actor *who, const char *kind, const char *path, char *err,
	       size_t errlen, long *rows);

/* `eimza user add`: staff_add (create, or replace password/role/scope)
 * plus, in the same transaction, the audit record (action "user_add",
 * object "staff:<username>", detail "rol <role>[, yetki birimi <scope>]";
 * never the password). 0 ok, -1 with a Turkish message in err. */
int cli_user_add(db *d, const struct cli_actor *who, const char *username, enum staff_role role,
		 const char *scope, const char *password, char *err, size_t errlen);

#endif
