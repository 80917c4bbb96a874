/* Throttling of the staff console's sign-in (/konsol/giris and
 * /konsol/dogrulama): growing delays per address and per (account,
 * address), a CAPTCHA once an account or address has failed a few times,
 * and a bound on how many Argon2id verifications run at once. No account
 * is ever locked: a stranger's failures delay the stranger's own address
 * (and ask everyone for a CAPTCHA on that account), never the owner's
 * sign-in from another address. The rules are pure (domain/throttle.h);
 * the counters are rows of login_failures (identity/lockout.h); the
 * design and the config keys konsol.* are in docs/SECURITY.md. */
#ifndef EIMZA_APP_STAFF_THROTTLE_H
#define EIMZA_APP_STAFF_THROTTLE_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* The three counters of one try. Keys are keyed hashes of the user name
 * (as typed: a password typed into the name field must not be stored), so
 * they are NULL without a name or without a server secret. */
struct staff_throttle {
	const char *address; /* scope "konsol_ip": the client address */
	const char *pair;    /* scope "konsol_pair": hash of name and address */
	const char *account; /* scope "konsol_user": hash of the name */
};

/* Fills t for a try from address ip for user name `username` (may be NULL
 * or "": address only). Strings in arena a. */
void staff_throttle_keys(arena *a, const char *ip, const char *username, struct staff_throttle *t);

/* 0 when a try may go ahead at now; otherwise the epoch second until which
 * the address or the (account, address) pair is held. */
int64_t staff_throttle_held_until(db *d, const struct staff_throttle *t, int64_t now);

/* 1 when this try must carry a solved CAPTCHA: the account has failed
 * konsol.captcha_after times (from any address) or the address
 * konsol.address_captcha_after times, within konsol.failure_window. */
int staff_throttle_captcha_needed(db *d, const struct staff_throttle *t, int64_t now);

/* Counts a failed try on every counter of t and holds the address and the
 * pair for the delay their counts now call for (konsol.delay_after,
 * konsol.address_delay_after, konsol.delay_base, konsol.delay_max). Returns
 * the epoch second until which the next try is held, 0 when it is not.
 * Database errors are logged; the try is refused by the caller anyway. */
int64_t staff_throttle_failed(db *d, const struct staff_throttle *t, int64_t now);

/* A completed sign-in: forgets the failures of the pair and of the account
 * (the address keeps its own, so one address cannot try many accounts). */
void staff_throttle_succeeded(db *d, const struct staff_throttle *t);

/* The Argon2id gate: at most konsol.max_parallel_hashes password checks
 * of the console run at once. 0: entered (leave with staff_hash_leave);
 * -1: full, the caller answers 429 at once without hashing. */
int staff_hash_enter(void);
void staff_hash_leave(void);

#endif
