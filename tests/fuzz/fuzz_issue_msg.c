/* libFuzzer target: the signer's parser of ISSUE_CERT requests (the bytes a
 * compromised web process controls), then re-encoding what it accepted. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pki/issue_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct issue_msg m;
	if (size > ISSUE_MSG_MAX || issue_msg_parse(data, size, &m, err, sizeof err) != 0)
		return 0;
	/* What parses re-encodes to the same bytes (one encoding per request). */
	buf b;
	buf_init(&b, ISSUE_MSG_MAX);
	if (issue_msg_encode(&m, &b) != 0 || b.len != size || memcmp(b.data, data, size) != 0)
		abort();
	buf_free(&b);
	return 0;
}
