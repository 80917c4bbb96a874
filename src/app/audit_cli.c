/* `eimza audit verify` (the chain and the newest signed checkpoint) and
 * `eimza audit checkpoint` (have the signer sign one now). */
#include <stdio.h>
#include <string.h>

#include "app/audit_check.h"
#include "domain/date.h"
#include "pki/checkpoint.h"
#include "pki/pki.h"
#include "store/db.h"
#include "util/config.h"
#include "util/secret.h"

static void usage(void)
{
	fputs("kullanım: eimza audit verify|checkpoint\n", stderr);
}

/* The database, migrated (an older one gets its chain_version column). */
static db *audit_db(void)
{
	char err[256] = "";
	db *d = db_open(config_get("database.url"), err, sizeof err);
	if (d == NULL) {
		fprintf(stderr, "eimza audit: veritabanı açılamadı: %s\n", err);
		return NULL;
	}
	if (db_migrate(d) != 0) {
		fprintf(stderr, "eimza audit: veritabanı şeması güncellenemedi: %s\n",
			db_errmsg(d));
		db_close(d);
		return NULL;
	}
	return d;
}

static int cmd_verify(void)
{
	struct audit_report r;
	/* Only records of chain version 1 need the server secret. */
	if (secret_init(config_get("server.secret_file")) != 0)
		fprintf(stderr,
			"eimza audit: sunucu gizli anahtarı okunamadı (%s): sürüm 1 "
			"kayıtları doğrulanamaz.\n",
			config_get("server.secret_file"));
	db *d = audit_db();
	if (d == NULL)
		return 2;
	int rc = app_audit_check(d, config_get("ca.dir"), &r);
	printf("%s\n", r.chain_msg);
	if (r.cp_msg[0] != '\0')
		printf("%s\n", r.cp_msg);
	db_close(d);
	return rc == 0 ? 0 : rc == 1 ? 1 : 2;
}

static int cmd_checkpoint(void)
{
	struct audit_checkpoint c;
	char err[256] = "", when[17];
	const char *ca_dir = config_get("ca.dir");
	db *d = audit_db();
	if (d == NULL)
		return 1;
	if (pki_init(ca_dir) != 0) {
		fprintf(stderr, "eimza audit: SM imzalayıcı başlatılamadı (%s).\n", ca_dir);
		db_close(d);
		return 1;
	}
	int rc = pki_checkpoint_make(d, 1, &c, err, sizeof err);
	if (rc == 1) {
		date_format_tr_time(c.at, when);
		printf("Denetim kontrol noktası imzalandı: %lld kayıt, %s.\n", (long long)c.count,
		       when);
	} else {
		fprintf(stderr, "eimza audit: kontrol noktası imzalanamadı: %s\n", err);
	}
	db_close(d);
	pki_shutdown();
	return rc == 1 ? 0 : 1;
}

int app_audit_cli_main(int argc, char **argv)
{
	if (argc != 2) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify();
	if (strcmp(argv[1], "checkpoint") == 0)
		return cmd_checkpoint();
	fprintf(stderr, "eimza audit: bilinmeyen seçenek '%s'\n", argv[1]);
	usage();
	return 2;
}
