/* A small stand-in for `eimza` used by tests/integration/pki_openssl.sh:
 *   pki_tool --ca DIR --db PATH ca ...            (pki_cli_main)
 *   pki_tool --ca DIR --db PATH serve HOST:PORT   (pki_routes only)
 * so the CA can be exercised over HTTP while the rest of the server is
 * being written. */
#include <stdio.h>
#include <string.h>

#include "http/http.h"
#include "pki/pki.h"
#include "store/db.h"
#include "util/config.h"
#include "web/pki_routes.h"

static int serve(const char *listen)
{
	char err[256] = "";
	db *d = db_open(config_get("database.url"), err, sizeof err);
	if (d == NULL || db_migrate(d) != 0) {
		fprintf(stderr, "db: %s\n", err);
		return 1;
	}
	db_close(d);
	if (pki_init(config_get("ca.dir")) != 0)
		return 1;
	db_global_init(config_get("database.url"));
	http_add_routes(pki_routes);
	struct server_opts o = {.listen = listen,
				.threads = 4,
				.max_body = 1 << 20,
				.max_fields = 50,
				.session_idle = 600,
				.session_max = 3600};
	int rc = server_run(&o);
	pki_shutdown();
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--ca") == 0)
			config_set("ca.dir", argv[i + 1]);
		else if (strcmp(argv[i], "--db") == 0)
			config_set("database.url", argv[i + 1]);
		else if (strcmp(argv[i], "--public-url") == 0)
			config_set("ca.public_url", argv[i + 1]);
		else
			break;
	}
	if (i < argc && strcmp(argv[i], "ca") == 0) {
		char err[256] = "", secret[1024];
		/* `ca` commands write audit records, chained with the server
		 * secret: the test's one lives beside its database. */
		snprintf(secret, sizeof secret, "%s.secret", config_get("database.url"));
		config_set("server.secret_file", secret);
		db *d = db_open(config_get("database.url"), err, sizeof err);
		if (d == NULL || db_migrate(d) != 0) {
			fprintf(stderr, "db: %s\n", err);
			return 1;
		}
		db_close(d);
		return pki_cli_main(argc - i, argv + i);
	}
	if (i + 1 < argc && strcmp(argv[i], "serve") == 0)
		return serve(argv[i + 1]);
	fprintf(stderr, "usage: pki_tool --ca DIR --db PATH (ca ...|serve HOST:PORT)\n");
	return 2;
}
