/* HTML escaping: the only way user text reaches a page. */
#ifndef EIMZA_HTML_H
#define EIMZA_HTML_H

#include <stddef.h>

#include "util/buf.h"

/* Appends s to b with & < > " ' replaced by entities (&amp; &lt; &gt;
 * &quot; &#39;), safe in element text and in quoted attribute values.
 * Returns 0, or -1 when the buffer's ceiling was hit. NULL appends nothing. */
int html_escape(buf *b, const char *s);
/* The same for the n bytes at s (which may contain no NUL). */
int html_escape_n(buf *b, const char *s, size_t n);

#endif
