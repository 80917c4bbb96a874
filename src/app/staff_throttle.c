#include "app/staff_throttle.h"

#include <stdatomic.h>
#include <string.h>

#include "domain/throttle.h"
#include "identity/lockout.h"
#include "util/config.h"
#include "util/log.h"
#include "util/secret.h"

#define SCOPE_ADDRESS "konsol_ip"
#define SCOPE_PAIR "konsol_pair"
#define SCOPE_ACCOUNT "konsol_user"

/* "<tag>:<keyed hash of text>" in arena a, NULL without a server secret. */
static const char *hashed_key(arena *a, const char *tag, const char *text)
{
	char h[65];
	if (secret_keyed_hash_hex(SECRET_LOCKOUT, text, strlen(text), h) != 0)
		return NULL;
	return arena_printf(a, "%s:%s", tag, h);
}

void staff_throttle_keys(arena *a, const char *ip, const char *username, struct staff_throttle *t)
{
	const char *addr = ip != NULL ? ip : "";
	t->address = addr;
	t->pair = t->account = NULL;
	if (username == NULL || *username == '\0')
		return;
	/* The newline cannot occur in a name field or an address. */
	t->pair = hashed_key(a, "p", arena_printf(a, "%s\n%s", username, addr));
	t->account = hashed_key(a, "u", username);
}

static int window(void)
{
	int w = (int)config_get_int("konsol.failure_window");
	return w > 0 ? w : 3600;
}

int64_t staff_throttle_held_until(db *d, const struct staff_throttle *t, int64_t now)
{
	int64_t a = lockout_until(d, SCOPE_ADDRESS, t->address, now);
	int64_t p = t->pair != NULL ? lockout_until(d, SCOPE_PAIR, t->pair, now) : 0;
	return a > p ? a : p;
}

int staff_throttle_captcha_needed(db *d, const struct staff_throttle *t, int64_t now)
{
	int w = window();
	int64_t account = t->account != NULL
				  ? lockout_failures(d, SCOPE_ACCOUNT, t->account, w, now)
				  : 0;
	int64_t address = lockout_failures(d, SCOPE_ADDRESS, t->address, w, now);
	return throttle_captcha_needed(account, (int)config_get_int("konsol.captcha_after"),
				       address,
				       (int)config_get_int("konsol.address_captcha_after"));
}

/* Counts one failure of (scope, key) and holds it for the rule's delay;
 * returns the end of the hold, 0 when there is none. */
static int64_t count_and_hold(db *d, const char *scope, const char *key,
			      const struct throttle_rule *rule, int64_t now)
{
	int64_t n = lockout_count_failure(d, scope, key, window(), now);
	int64_t delay = n > 0 && rule != NULL ? throttle_delay(rule, n) : 0;
	if (delay <= 0 || lockout_hold(d, scope, key, now + delay) != 0)
		return 0;
	log_info("konsol: %s held for %lld s after %lld failures", scope, (long long)delay,
		 (long long)n);
	return now + delay;
}

int64_t staff_throttle_failed(db *d, const struct staff_throttle *t, int64_t now)
{
	int base = (int)config_get_int("konsol.delay_base");
	int max = (int)config_get_int("konsol.delay_max");
	struct throttle_rule pair = {(int)config_get_int("konsol.delay_after"), base, max};
	struct throttle_rule address = {(int)config_get_int("konsol.address_delay_after"), base,
					max};
	int64_t until = count_and_hold(d, SCOPE_ADDRESS, t->address, &address, now);
	if (t->pair != NULL) {
		int64_t p = count_and_hold(d, SCOPE_PAIR, t->pair, &pair, now);
		until = p > until ? p : until;
	}
	if (t->account != NULL)
		count_and_hold(d, SCOPE_ACCOUNT, t->account, NULL, now);
	return until;
}

void staff_throttle_succeeded(db *d, const struct staff_throttle *t)
{
	if (t->pair != NULL)
		lockout_clear(d, SCOPE_PAIR, t->pair);
	if (t->account != NULL)
		lockout_clear(d, SCOPE_ACCOUNT, t->account);
}

static atomic_int hashing;

int staff_hash_enter(void)
{
	int limit = (int)config_get_int("konsol.max_parallel_hashes");
	if (limit < 1)
		limit = 1;
	if (atomic_fetch_add(&hashing, 1) >= limit) {
		atomic_fetch_sub(&hashing, 1);
		return -1;
	}
	return 0;
}

void staff_hash_leave(void)
{
	atomic_fetch_sub(&hashing, 1);
}
