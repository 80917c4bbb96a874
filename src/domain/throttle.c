#include "domain/throttle.h"

#include <stddef.h>
#include <stdio.h>

int64_t throttle_delay(const struct throttle_rule *rule, int64_t failures)
{
	if (rule == NULL || rule->free_failures <= 0 || rule->base_seconds <= 0 ||
	    failures < rule->free_failures)
		return 0;
	int64_t cap = rule->max_seconds > rule->base_seconds ? rule->max_seconds
							     : rule->base_seconds;
	int64_t delay = rule->base_seconds;
	/* Doubling stops at the cap, so no shift can overflow. */
	for (int64_t n = rule->free_failures; n < failures && delay < cap; n++)
		delay *= 2;
	return delay < cap ? delay : cap;
}

int throttle_captcha_needed(int64_t account_failures, int account_after, int64_t address_failures,
			    int address_after)
{
	return (account_after > 0 && account_failures >= account_after) ||
	       (address_after > 0 && address_failures >= address_after);
}

int64_t throttle_retry_after(int64_t until, int64_t now)
{
	return until > now ? until - now : 1;
}

void throttle_wait_text(int64_t seconds, char out[THROTTLE_TEXT_LEN])
{
	if (seconds < 1)
		seconds = 1;
	if (seconds < 60)
		snprintf(out, THROTTLE_TEXT_LEN,
			 "Çok fazla hatalı deneme. Lütfen %lld saniye sonra tekrar deneyin.",
			 (long long)seconds);
	else
		snprintf(out, THROTTLE_TEXT_LEN,
			 "Çok fazla hatalı deneme. Lütfen %lld dakika sonra tekrar deneyin.",
			 (long long)((seconds + 59) / 60));
}
