/* Sign-in throttling rules of the staff console (pure, no I/O): how long
 * the next try is refused after a number of failures, and when a CAPTCHA
 * is asked for. The counters themselves live in identity/lockout.c; the
 * console's use of them in app/staff_throttle.c; the design in
 * docs/SECURITY.md ("Staff sign-in").
 *
 * A delay grows by doubling and is capped, so it is never a permanent
 * lock: once it has run out the next try is heard again. */
#ifndef EIMZA_DOMAIN_THROTTLE_H
#define EIMZA_DOMAIN_THROTTLE_H

#include <stdint.h>

struct throttle_rule {
	int free_failures; /* failures before any delay; 0: this counter never delays */
	int base_seconds;  /* the first delay, at free_failures failures */
	int max_seconds;   /* the cap of the doubling */
};

/* Seconds for which tries are refused after `failures` failures (the latest
 * one included): 0 below free_failures, then base_seconds doubled once per
 * further failure, never more than max_seconds. 0 for a rule with
 * free_failures or base_seconds <= 0. */
int64_t throttle_delay(const struct throttle_rule *rule, int64_t failures);

/* 1 when a CAPTCHA is asked for: the account has failed account_after
 * times or more (from any address), or the address address_after times or
 * more. A threshold <= 0 never asks. */
int throttle_captcha_needed(int64_t account_failures, int account_after, int64_t address_failures,
			    int address_after);

/* The Retry-After value (whole seconds, at least 1) of a refusal that lasts
 * until `until`, seen at `now`. */
int64_t throttle_retry_after(int64_t until, int64_t now);

#define THROTTLE_TEXT_LEN 96

/* The Turkish message of a refused try: "Çok fazla hatalı deneme. Lütfen
 * N saniye sonra tekrar deneyin." below a minute, otherwise "... N dakika
 * sonra ..." with the minutes rounded up. Always NUL-terminated. */
void throttle_wait_text(int64_t seconds, char out[THROTTLE_TEXT_LEN]);

#endif
