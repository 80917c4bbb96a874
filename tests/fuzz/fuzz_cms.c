/* libFuzzer target: the e-onay check (pki_verify_eapproval, cms.c), the
 * entry the portal gives an uploaded detached CMS signature. A throwaway CA
 * is created under /tmp on start; the database is in memory and empty, so
 * no signature is accepted: the target exercises the CMS/PEM parser and
 * every check before the certificate lookup.
 *
 * Input: the first byte is the length (0-63) of the signed content that
 * follows it; the rest is the .p7s (DER or PEM). */
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
	char tmpl[] = "/tmp/eimza-fuzz-cms-XXXXXX", dir[64], err[256] = "";
	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR);
	if (mkdtemp(tmpl) == NULL)
		abort();
	snprintf(dir, sizeof dir, "%s/ca", tmpl);
	if (pki_ca_create(dir, "p256", err, sizeof err) != 0 || pki_init(dir) != 0) {
		fprintf(stderr, "fuzz_cms: %s\n", err);
		abort();
	}
	d = db_open(":memory:", err, sizeof err);
	if (d == NULL || db_migrate(d) != 0)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pki_eapproval_report rep;
	char msg[256];
	size_t n;
	if (size < 1)
		return 0;
	n = data[0] % 64;
	if (n > size - 1)
		n = size - 1;
	msg[0] = '\0';
	if (pki_verify_eapproval(d, data + 1 + n, size - 1 - n, data + 1, n, "10000000146",
				 1767225600, &rep, msg, sizeof msg) == 0)
		abort(); /* nothing is stored, so nothing can be accepted */
	if (msg[0] == '\0')
		abort(); /* a refusal always says why */
	return 0;
}
