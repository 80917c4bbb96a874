/* libFuzzer target: the CSV reader (src/store/csv.c) and the imports built
 * on it (store_import_buf in src/store/import.c) over an in-memory SQLite
 * database. The first input byte picks the kind (registry, institutions,
 * personnel, or an unknown kind); the rest is the file. One institution is
 * imported at start so that personnel rows can succeed; what a successful
 * fuzz import added is deleted again so runs stay independent. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/csv.h"
#include "store/db.h"
#include "store/store.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const kinds[] = {"registry", "institutions", "personnel", "kurye"};

static const char seed_inst[] =
	"kurum_kodu,kurum_adi,il_kodu,ilce,adres,posta_kodu,resmi_eposta,yetki_birimi\n"
	"700001,Zonguldak Fen Lisesi,67,Merkez,\"Kozlu Cd. 1\",67000,fen@meb.k12.tr,"
	"ZONGULDAK-MEM\n";

static db *d;
static struct csv *reader;
static int verbose; /* EIMZA_FUZZ_VERBOSE=1: print each import's outcome */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512] = "";
	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL__MAX);
	d = db_open(":memory:", err, sizeof err);
	if (d == NULL || db_migrate(d) != 0) {
		fprintf(stderr, "fuzz_csv_import: %s\n", err);
		abort();
	}
	if (store_import_buf(d, "institutions", seed_inst, sizeof seed_inst - 1, err, sizeof err,
			     NULL) != 0) {
		fprintf(stderr, "fuzz_csv_import: seed: %s\n", err);
		abort();
	}
	verbose = getenv("EIMZA_FUZZ_VERBOSE") != NULL;
	reader = malloc(sizeof *reader);
	if (reader == NULL)
		abort();
	return 0;
}

/* The reader alone: every record respects the limits it promises. */
static void read_all(const char *p, size_t n)
{
	char err[256];
	int st;
	csv_init(reader, p, n);
	while ((st = csv_next(reader, err, sizeof err)) == 1) {
		if (reader->nfields < 1 || reader->nfields > CSV_MAX_FIELDS)
			abort();
		for (int i = 0; i < reader->nfields; i++)
			if (reader->len[i] > CSV_MAX_FIELD ||
			    reader->field[i][reader->len[i]] != '\0')
				abort();
	}
	if (st != 0 && st != -1)
		abort();
	if (st == -1 && strncmp(err, "satır ", strlen("satır ")) != 0)
		abort(); /* errors name the line */
}

static void forget_imports(void)
{
	if (db_exec(d, "DELETE FROM personnel") != 0 || db_exec(d, "DELETE FROM registry") != 0 ||
	    db_exec(d, "DELETE FROM institutions WHERE kurum_kodu <> '700001'") != 0 ||
	    db_exec(d, "DELETE FROM authority_units WHERE code <> 'ZONGULDAK-MEM'") != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	long rows = -1;

	if (size == 0)
		return 0;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	read_all(p, n);
	err[0] = '\0';
	int rc = store_import_buf(d, kinds[data[0] % 4], p, n, err, sizeof err, &rows);
	if (verbose)
		fprintf(stderr, "%s: %s (%ld rows)\n", kinds[data[0] % 4], rc == 0 ? "ok" : err,
			rc == 0 ? rows : 0L);
	if (rc == 0) {
		if (rows < 0 || data[0] % 4 == 3)
			abort();
		forget_imports();
	} else if (rc != -1 || err[0] == '\0') {
		abort(); /* a failure always explains itself */
	}
	return 0;
}
