/* libFuzzer target: the flat-object JSON reader (src/util/json.c). The
 * input is read for a few keys as a string and as an integer; a string
 * found must be valid UTF-8 without NUL; both readers must agree on
 * whether a member is absent (which only a valid object can say); and a
 * string value read back is written with json_append_string and read again
 * to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = {"tckn", "a", "", "kod", "\xc3\xa7"};

/* {"k": <s as JSON>} parses back to s. */
static void round_trip(const char *s)
{
	buf doc, back;
	buf_init(&doc, 1u << 20);
	buf_init(&back, 1u << 20);
	if (buf_puts(&doc, "{\"k\":") != 0 || json_append_string(&doc, s) != 0 ||
	    buf_puts(&doc, "}") != 0)
		goto out;
	if (json_get_string(doc.data, doc.len, "k", &back) != 0 || strcmp(back.data, s) != 0)
		abort();
out:
	buf_free(&doc);
	buf_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *json = (const char *)data;
	buf out;

	buf_init(&out, 4096);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		int64_t v = 0;
		int rs = json_get_string(json, size, keys[i], &out);
		int ri = json_get_int(json, size, keys[i], &v);
		if (rs < -1 || rs > 1 || ri < -1 || ri > 1)
			abort();
		/* absence is a property of the valid text, not of the reader used */
		if ((rs == 1) != (ri == 1))
			abort();
		if (rs == 0) {
			if (out.data == NULL || !utf8_valid(out.data, out.len) ||
			    strlen(out.data) != out.len)
				abort();
			round_trip(out.data);
		}
	}
	buf_free(&out);
	return 0;
}
