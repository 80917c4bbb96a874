/* libFuzzer target: the OCSP responder end to end (request parser, status
 * lookup, ResponseData writer, signer checks). A throwaway CA is created
 * under /tmp on start; the database is in memory. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pki/pki.h"
#include "store/db.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static db *d;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char tmpl[] = "/tmp/eimza-fuzz-ocsp-XXXXXX", dir[64], err[256] = "";
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	if (mkdtemp(tmpl) == NULL)
		abort();
	snprintf(dir, sizeof dir, "%s/ca", tmpl);
	if (pki_ca_create(dir, "p256", err, sizeof err) != 0 || pki_init(dir) != 0) {
		fprintf(stderr, "fuzz_ocsp: %s\n", err);
		abort();
	}
	d = db_open(":memory:", err, sizeof err);
	if (d == NULL || db_migrate(d) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *resp = NULL;
	size_t len = 0;
	struct pki_ocsp_meta m;
	if (pki_ocsp_respond(d, data, size, &resp, &len, &m) != 0 || resp == NULL || len < 5)
		abort(); /* a response must always be produced */
	free(resp);
	return 0;
}
