/* libFuzzer target: the CSR parser and checks (PEM or DER PKCS#10). */
#include <stddef.h>
#include <stdint.h>

#include "pki/pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	pki_csr_check(data, size, err, sizeof err);
	return 0;
}
