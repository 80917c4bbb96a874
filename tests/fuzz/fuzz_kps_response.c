/* libFuzzer target: registry_kps_parse() (src/identity/registry_kps.c), the
 * reader of the KPSPublic TCKimlikNoDogrula SOAP answer. Any input must give
 * one of the three results, and a match needs a SOAP envelope with the
 * result element (element names cannot be hidden behind character
 * references), so a garbled answer can never say "this person exists". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "identity/registry.h"
#include "util/log.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_set_level(LOG_LEVEL__MAX);
	xmlInitParser();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum registry_result r = registry_kps_parse((const char *)data, size);
	if (r != REG_MATCH && r != REG_NO_MATCH && r != REG_UNAVAILABLE)
		abort();
	if (r == REG_MATCH && (memmem(data, size, "Envelope", 8) == NULL ||
			       memmem(data, size, "TCKimlikNoDogrulaResult", 23) == NULL))
		abort();
	return 0;
}
