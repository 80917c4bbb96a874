/* `eimza audit verify`: walks the audit chain and names the first record
 * that was changed, removed or inserted. */
#include <stdio.h>
#include <string.h>

#include "store/audit.h"
#include "store/db.h"
#include "util/config.h"
#include "util/secret.h"
#include "web/console.h"

int console_audit_verify_main(int argc, char **argv)
{
	int verify = 0;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "verify") == 0)
			verify = 1;
		else if (i > 0 && strcmp(argv[i], "audit") != 0) {
			fprintf(stderr, "eimza audit: bilinmeyen seçenek '%s'\n", argv[i]);
			return 2;
		}
	}
	if (!verify) {
		fprintf(stderr, "kullanım: eimza audit verify\n");
		return 2;
	}
	char err[256] = "", msg[512] = "";
	int64_t checked = 0;
	if (secret_init(config_get("server.secret_file")) != 0) {
		fprintf(stderr, "eimza audit: sunucu gizli anahtarı okunamadı: %s\n",
			config_get("server.secret_file"));
		return 2;
	}
	db *d = db_open(config_get("database.url"), err, sizeof err);
	if (d == NULL) {
		fprintf(stderr, "eimza audit: veritabanı açılamadı: %s\n", err);
		return 2;
	}
	int rc = audit_verify(d, msg, sizeof msg, &checked);
	if (rc < 0)
		fprintf(stderr, "eimza audit: doğrulama yapılamadı: %s\n", db_errmsg(d));
	else
		printf("%s\n", msg);
	db_close(d);
	return rc == 0 ? 0 : rc == 1 ? 1 : 2;
}
