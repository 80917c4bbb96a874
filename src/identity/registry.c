#include "identity/registry.h"

#include <string.h>

#include "identity/personnel.h"
#include "util/config.h"
#include "util/log.h"

const char *const registry_result_names[REG_RESULT__MAX] = {
	[REG_MATCH] = "match",
	[REG_NO_MATCH] = "no_match",
	[REG_UNAVAILABLE] = "unavailable",
};

/* KPS checks the person; the personnel table must also know them, and is
 * asked first so that KPS is never queried for a stranger. */
static enum registry_result verify_kps(db *d, const struct registry_query *q)
{
	int p = personnel_exists(d, q->tckn);
	if (p < 0)
		return REG_UNAVAILABLE;
	if (p == 0)
		return REG_NO_MATCH;
	return registry_kps_query(q);
}

enum registry_result registry_verify(db *d, const struct registry_query *q)
{
	const char *backend = config_get("registry.backend");
	enum registry_result res;

	if (q == NULL || q->tckn == NULL)
		return REG_NO_MATCH;
	if (strcmp(backend, "kps") == 0) {
		res = verify_kps(d, q);
	} else if (strcmp(backend, "local") == 0) {
		res = registry_local_verify(d, q);
	} else {
		log_error("registry: unknown registry.backend '%s'", backend);
		res = REG_UNAVAILABLE;
	}
	log_debug("registry: %s answered %s", backend, registry_result_names[res]);
	return res;
}
