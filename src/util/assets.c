#include "util/assets.h"

#include <string.h>

const struct asset *asset_find(const char *name)
{
	for (const struct asset *a = eimza_assets; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}
