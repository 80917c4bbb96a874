/* Who may see and who may decide on which application: the one rule the
 * console's pages, lists and use cases call. */
#include "domain/access.h"

#include <stddef.h>
#include <string.h>

static const char *const decision_names[ACCESS__MAX] = {
	[ACCESS_OK] = "ok",
	[ACCESS_NOT_AUTHORITY] = "not_authority",
	[ACCESS_NOT_VISIBLE] = "not_visible",
	[ACCESS_NOT_AWAITING] = "not_awaiting",
};

const char *access_decision_name(enum access_decision d)
{
	return (unsigned)d < ACCESS__MAX ? decision_names[d] : "?";
}

const char *access_scope(const struct access_actor *who)
{
	if (!who->authority)
		return NULL;
	return who->scope ? who->scope : "";
}

int access_may_see(const struct access_actor *who, const char *unit)
{
	if (!who->authority)
		return 1;
	if (who->scope == NULL || *who->scope == '\0' || unit == NULL)
		return 0;
	return strcmp(unit, who->scope) == 0;
}

int access_may_decide_role(const struct access_actor *who)
{
	return who->authority != 0;
}

int access_awaits_decision(enum app_state state, int64_t flags)
{
	return state == APP_AWAITING_APPROVAL && (flags & APP_NEEDS_APPROVAL) != 0;
}

enum access_decision access_may_decide(const struct access_actor *who,
				       const struct access_target *t)
{
	if (!access_may_decide_role(who))
		return ACCESS_NOT_AUTHORITY;
	if (!access_may_see(who, t->unit))
		return ACCESS_NOT_VISIBLE;
	if (!access_awaits_decision(t->state, t->flags))
		return ACCESS_NOT_AWAITING;
	return ACCESS_OK;
}
