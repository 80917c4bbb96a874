/* uc_again(): retrying a use case's transaction (see txn.h). */
#include "app/txn.h"

#include <sodium.h>
#include <time.h>

#include "util/log.h"

int uc_should_retry(enum uc_rc rc, int retryable, int attempt)
{
	return rc == UC_ERROR && retryable && attempt < UC_MAX_ATTEMPTS;
}

int uc_retry_delay_ms(int attempt, unsigned jitter)
{
	int ms = 5;

	for (int i = 1; i < attempt && ms < 80; i++)
		ms *= 2;
	if (ms > 80)
		ms = 80;
	return ms + ms * (int)(jitter % 100) / 100;
}

int uc_again(struct uc_ctx *c, enum uc_rc rc, int *attempt)
{
	(*attempt)++;
	if (!uc_should_retry(rc, db_retryable(c->d), *attempt))
		return 0;
	int ms = uc_retry_delay_ms(*attempt, randombytes_uniform(100));
	log_warn("%s: transaction ran into a concurrent one (%s); running it again (%d)", c->actor,
		 db_errmsg(c->d), *attempt + 1);
	struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)ms * 1000000L};
	nanosleep(&ts, NULL);
	/* Results of the failed run must not leak into the next one. */
	c->field = NULL;
	c->message = NULL;
	return 1;
}
