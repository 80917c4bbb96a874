/* The Cookie request header and Set-Cookie values. */
#include <stdio.h>
#include <string.h>

#include "http/internal.h"
#include "util/utf8.h"

const char *cookie_find(arena *a, const char *header, const char *name, int *bad)
{
	*bad = 0;
	if (header == NULL)
		return NULL;
	size_t hn = strlen(header), nn = strlen(name);
	if (!utf8_valid(header, hn) || utf8_has_controls(header, hn, 0)) {
		*bad = 1;
		return NULL;
	}
	const char *p = header;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (eq != NULL) {
			size_t klen = (size_t)(eq - p);
			while (klen > 0 && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
				klen--;
			if (klen == nn && memcmp(p, name, nn) == 0) {
				const char *v = eq + 1;
				size_t vlen = len - (size_t)(v - p);
				while (vlen > 0 && (*v == ' ' || *v == '\t')) {
					v++;
					vlen--;
				}
				while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
					vlen--;
				if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
					v++;
					vlen -= 2;
				}
				return arena_strndup(a, v, vlen);
			}
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return NULL;
}

char *cookie_format(arena *a, const char *name, const char *value, int secure, int expire)
{
	return arena_printf(a, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name,
			    expire ? "" : value, secure ? "; Secure" : "",
			    expire ? "; Max-Age=0" : "");
}
