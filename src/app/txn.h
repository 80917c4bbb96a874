/* Running a use case's transaction again after a serialization failure or
 * a deadlock (PostgreSQL 40001 / 40P01: the server rolled the transaction
 * back, nothing of it happened). Each use case is one transaction
 * (uc_begin .. uc_end), so running the whole of it again is safe:
 *
 *	int attempt = 0;
 *	do
 *		rc = the_use_case_transaction(c, ...);
 *	while (uc_again(c, rc, &attempt));
 */
#ifndef EIMZA_APP_TXN_H
#define EIMZA_APP_TXN_H

#include "app/app.h"

/* Most runs of one transaction (the first and the retries). */
#define UC_MAX_ATTEMPTS 5

/* 1 (after a short randomised pause) if the transaction that ended with rc
 * failed only because of a serialization failure or deadlock and has not
 * used up its attempts; else 0. Counts attempts in *attempt. */
int uc_again(struct uc_ctx *c, enum uc_rc rc, int *attempt);

/* Pure parts, for the unit tests. 1 if a transaction that ended with rc on
 * a handle whose last error was `retryable` is run again as attempt number
 * `attempt` (1-based count of runs so far). */
int uc_should_retry(enum uc_rc rc, int retryable, int attempt);
/* The pause before retry `attempt`: 5 ms doubled each time, up to 80 ms,
 * plus `jitter` (0..99) percent of it. */
int uc_retry_delay_ms(int attempt, unsigned jitter);

#endif
