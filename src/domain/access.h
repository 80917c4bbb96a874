/* Who may see and who may decide on which application (the staff console).
 *
 * The CA's own staff (operators, administrators) see every application; an
 * institution authority (Kurum Yetkilisi, role yetkili) sees only the
 * applications whose yetki_birimi is its scope, and to it an application
 * outside its scope does not exist. Only an authority decides (approves or
 * rejects), and only while the application waits for its approval:
 * AWAITING_APPROVAL with the NEEDS_APPROVAL flag. Pure rules, no I/O. */
#ifndef EIMZA_DOMAIN_ACCESS_H
#define EIMZA_DOMAIN_ACCESS_H

#include <stdint.h>

#include "domain/application.h"

/* The staff member as the rules see them. */
struct access_actor {
	int authority;	   /* 1: a Kurum Yetkilisi, limited to scope; 0: CA staff */
	const char *scope; /* an authority's unit (yetki_birimi); unused for CA staff */
};

/* What an application is for the rules. */
struct access_target {
	const char *unit; /* the application's yetki_birimi */
	enum app_state state;
	int64_t flags;
};

/* The unit a list of applications is limited to for `who`: the authority's
 * scope, or NULL for "every unit" (CA staff). An authority without a scope
 * gets "" (which no application has), never NULL. Borrowed from who. */
const char *access_scope(const struct access_actor *who);

/* 1 if `who` may see an application of `unit`, else 0. An authority with
 * an empty or missing scope sees nothing; NULL unit is seen only by CA
 * staff. */
int access_may_see(const struct access_actor *who, const char *unit);

/* 1 if `who` is of a role that decides on applications at all (an
 * authority), else 0. */
int access_may_decide_role(const struct access_actor *who);

/* 1 if the application waits for its authority's decision
 * (AWAITING_APPROVAL with NEEDS_APPROVAL), whoever asks; else 0. */
int access_awaits_decision(enum app_state state, int64_t flags);

/* Why `who` may not decide on `t` now, in the order the console checks:
 * ACCESS_OK, ACCESS_NOT_AUTHORITY (role), ACCESS_NOT_VISIBLE (out of
 * scope: answer as if unknown), ACCESS_NOT_AWAITING (state or flags). */
enum access_decision {
	ACCESS_OK,
	ACCESS_NOT_AUTHORITY,
	ACCESS_NOT_VISIBLE,
	ACCESS_NOT_AWAITING,
	ACCESS__MAX
};
enum access_decision access_may_decide(const struct access_actor *who,
				       const struct access_target *t);
/* "ok", "not_authority", ...; "?" if out of range. Static string. */
const char *access_decision_name(enum access_decision d);

#endif
