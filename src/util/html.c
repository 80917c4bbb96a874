#include "util/html.h"

#include <string.h>

int html_escape_n(buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ent = NULL;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		if (buf_append(b, s + start, i - start) != 0 || buf_puts(b, ent) != 0)
			return -1;
		start = i + 1;
	}
	return buf_append(b, s + start, n - start);
}

int html_escape(buf *b, const char *s)
{
	if (s == NULL)
		return 0;
	return html_escape_n(b, s, strlen(s));
}
