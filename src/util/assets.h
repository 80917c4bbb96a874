/* Files compiled into the binary by tools/embed.py: templates/, static/,
 * src/store/migrations/ and data/, named by their path in the source tree. */
#ifndef EIMZA_ASSETS_H
#define EIMZA_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name;	   /* "templates/base.html" */
	const unsigned char *data; /* NUL-terminated; len excludes the NUL */
	size_t len;
	const char *etag; /* "\"<32 hex>\"", a hash of the content */
};

extern const struct asset eimza_assets[];

/* The asset with exactly this name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
