/* Command-line actions with their audit records (see cli.h). */
#include "app/cli.h"

#include <stdio.h>

#include "store/audit.h"
#include "store/store.h"
#include "util/log.h"

struct import_audit {
	const struct cli_actor *who;
	const char *path;
};

/* The import's hook: its audit record, inside its transaction. */
static int import_audit(void *ctx, db *d, const char *kind, long rows)
{
	const struct import_audit *ia = ctx;
	char object[64], action[64], what[512], detail[600];

	snprintf(object, sizeof object, "import:%s", kind);
	snprintf(action, sizeof action, "import_%s", kind);
	snprintf(what, sizeof what, "%s: %ld rows", ia->path, rows);
	return audit_append(d,
			    &(struct audit_entry){.actor = ia->who->actor,
						  .object = object,
						  .action = action,
						  .detail = cli_actor_detail(ia->who, what, detail,
									     sizeof detail)});
}

int cli_import(db *d, const struct cli_actor *who, const char *kind, const char *path, char *err,
	       size_t errlen, long *rows)
{
	struct import_audit ia = {.who = who, .path = path};
	struct store_import_hook hook = {.before_commit = import_audit, .ctx = &ia};
	return store_import_csv_hook(d, kind, path, &hook, err, errlen, rows);
}

int cli_user_add(db *d, const struct cli_actor *who, const char *username, enum staff_role role,
		 const char *scope, const char *password, char *err, size_t errlen)
{
	char object[96], what[128], detail[256];
	int yetkili = role == STAFF_YETKILI && scope != NULL;

	if (db_begin(d) != DB_OK) {
		snprintf(err, errlen, "İşlem başlatılamadı: %s", db_errmsg(d));
		return -1;
	}
	if (staff_add(d, username, role, scope, password, err, errlen) != 0)
		goto fail;
	snprintf(object, sizeof object, "staff:%s", username);
	snprintf(what, sizeof what, "rol %s%s%s", staff_role_name(role),
		 yetkili ? ", yetki birimi " : "", yetkili ? scope : "");
	if (audit_append(d, &(struct audit_entry){.actor = who->actor,
						  .object = object,
						  .action = "user_add",
						  .detail = cli_actor_detail(who, what, detail,
									     sizeof detail)}) !=
	    0) {
		snprintf(err, errlen, "Denetim kaydı yazılamadı: %s", db_errmsg(d));
		goto fail;
	}
	if (db_commit(d) != DB_OK) {
		snprintf(err, errlen, "İşlem tamamlanamadı: %s", db_errmsg(d));
		goto fail;
	}
	log_info("cli: %s by %s", object, who->actor);
	return 0;
fail:
	db_rollback(d);
	return -1;
}
