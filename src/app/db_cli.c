/* `eimza db migrate` (apply pending migrations to database.url) and
 * `eimza db copy --from sqlite:PATH --to URL` (move a one-machine
 * installation into PostgreSQL; src/store/db_copy.c). */
#include "app/db_cli.h"

#include <stdio.h>
#include <string.h>

#include "store/db_copy.h"
#include "util/config.h"

static void usage(void)
{
	fputs("kullanım: eimza db migrate\n"
	      "          eimza db copy --from sqlite:YOL --to postgresql://...\n",
	      stderr);
}

/* Opens url (a "sqlite:" prefix is dropped) and applies the migrations. */
static db *open_migrated(const char *url, const char *what)
{
	char err[256] = "";
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	db *d = db_open(url, err, sizeof err);
	if (d == NULL) {
		fprintf(stderr, "eimza db: %s açılamadı: %s\n", what, err);
		return NULL;
	}
	if (db_migrate(d) != 0) {
		fprintf(stderr, "eimza db: %s şeması güncellenemedi: %s\n", what, db_errmsg(d));
		db_close(d);
		return NULL;
	}
	return d;
}

static int cmd_migrate(void)
{
	db *d = open_migrated(config_get("database.url"), "veritabanı");
	if (d == NULL)
		return 1;
	printf("Veritabanı şeması güncel (%s, %lld göç).\n", db_backend(d),
	       (long long)db_query_int64(d, 0, "SELECT COUNT(*) FROM schema_migrations", NULL));
	db_close(d);
	return 0;
}

static int cmd_copy(const char *from_url, const char *to_url)
{
	static struct db_copy_table t[DB_COPY_MAX_TABLES];
	char err[512] = "";
	int n = 0, rc = 1;
	int64_t total = 0;

	if (strncmp(from_url, "sqlite:", 7) != 0) {
		fprintf(stderr, "eimza db copy: --from sqlite:YOL biçiminde olmalı\n");
		return 2;
	}
	db *from = open_migrated(from_url, "kaynak");
	db *to = from != NULL ? open_migrated(to_url, "hedef") : NULL;
	if (from == NULL || to == NULL)
		goto out;
	if (db_copy_all(from, to, t, &n, err, sizeof err) != 0) {
		fprintf(stderr, "eimza db copy: %s\n", err);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		printf("%-24s %lld satır\n", t[i].name, (long long)t[i].rows);
		total += t[i].rows;
	}
	printf("Kopyalandı: %d tablo, %lld satır; satır sayıları kaynakla aynı.\n", n,
	       (long long)total);
	rc = 0;
out:
	db_close(to);
	db_close(from);
	return rc;
}

int app_db_cli_main(int argc, char **argv)
{
	const char *from = NULL, *to = NULL;

	if (argc == 2 && strcmp(argv[1], "migrate") == 0)
		return cmd_migrate();
	if (argc < 2 || strcmp(argv[1], "copy") != 0) {
		usage();
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--from") == 0 && i + 1 < argc) {
			from = argv[++i];
		} else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
			to = argv[++i];
		} else {
			usage();
			return 2;
		}
	}
	if (from == NULL || to == NULL) {
		usage();
		return 2;
	}
	return cmd_copy(from, to);
}
