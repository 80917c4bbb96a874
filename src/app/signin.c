/* Sign-in rules shared by the portal, NES Bireysel and the staff console:
 * lockout pairs, the lockout message and the Argon2id time equaliser. */
#include "app/signin.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "domain/tckn.h"
#include "identity/lockout.h"
#include "util/config.h"
#include "util/log.h"
#include "util/secret.h"

void signin_portal_keys(arena *a, const char *ip, const char *tckn, struct signin_keys *k)
{
	(void)a;
	k->ip_scope = "ip";
	k->ip_key = ip;
	k->person_scope = "tckn";
	k->person_key = tckn != NULL && tckn_valid(tckn) ? tckn : NULL;
}

void signin_holder_keys(arena *a, const char *ip, const char *tckn, struct signin_keys *k)
{
	char h[65];
	k->ip_scope = k->person_scope = "bireysel";
	k->ip_key = arena_printf(a, "ip:%s", ip ? ip : "");
	k->person_key = NULL;
	if (tckn != NULL && tckn_valid(tckn) &&
	    secret_keyed_hash_hex(SECRET_LOCKOUT, tckn, strlen(tckn), h) == 0)
		k->person_key = arena_printf(a, "tckn:%s", h);
}

enum uc_rc signin_check_lock(struct uc_ctx *c, const struct signin_keys *k)
{
	int64_t until = lockout_until(c->d, k->ip_scope, k->ip_key, c->now);
	if (k->person_key != NULL) {
		int64_t p = lockout_until(c->d, k->person_scope, k->person_key, c->now);
		if (p > until)
			until = p;
	}
	if (until <= 0)
		return UC_OK;
	char *msg = arena_alloc(c->a, LOCKOUT_MSG_LEN);
	if (msg == NULL)
		return uc_fail(c, UC_LIMITED, NULL,
			       "Çok fazla hatalı deneme. Lütfen biraz sonra "
			       "tekrar deneyin.");
	lockout_format_until(until, msg);
	return uc_fail(c, UC_LIMITED, NULL, msg);
}

void signin_failed(struct uc_ctx *c, const struct signin_keys *k, int with_person)
{
	int lock = (int)config_get_int("login.lockout_seconds");
	lockout_fail(c->d, k->ip_scope, k->ip_key, (int)config_get_int("login.max_failures_ip"),
		     SIGNIN_WINDOW, lock, c->now);
	if (with_person && k->person_key != NULL)
		lockout_fail(c->d, k->person_scope, k->person_key,
			     (int)config_get_int("login.max_failures_tckn"), SIGNIN_WINDOW, lock,
			     c->now);
}

void signin_succeeded(struct uc_ctx *c, const struct signin_keys *k)
{
	if (k->person_key != NULL)
		lockout_clear(c->d, k->person_scope, k->person_key);
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static int dummy_ok;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* A hash of a random secret with the parameters every stored hash uses. */
static void dummy_init(void)
{
	unsigned char word[16];
	randombytes_buf(word, sizeof word);
	dummy_ok = crypto_pwhash_str(dummy_hash, (const char *)word, sizeof word,
				     crypto_pwhash_OPSLIMIT_INTERACTIVE,
				     crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
	sodium_memzero(word, sizeof word);
}

int signin_secret_ok(const char *hash, const char *secret)
{
	pthread_once(&dummy_once, dummy_init);
	const char *h = hash != NULL ? hash : dummy_ok ? dummy_hash : NULL;
	const char *s = secret != NULL ? secret : "";
	if (h == NULL)
		return 0;
	int ok = crypto_pwhash_str_verify(h, s, strlen(s)) == 0;
	return ok && hash != NULL && secret != NULL;
}

void signin_purge_job(db *d, int64_t now)
{
	int64_t w = config_get_int("konsol.failure_window");
	if (w < SIGNIN_WINDOW)
		w = SIGNIN_WINDOW;
	int n = lockout_purge(d, w, now);
	if (n > 0)
		log_info("lockout: %d expired failed-login rows purged", n);
}
