/* `eimza worker --once [--today YYYY-MM-DD]`: one round of the worker's
 * jobs, for tests, demos and cron. The expiry reminders (reminders.h) run
 * as of `today` (12:00 Türkiye time of that date; without it, now), so a
 * demo can show the 3-month and 25-day reminders of a certificate without
 * waiting; then the messages due now are delivered once (outbox.h). */
#ifndef EIMZA_WORKER_ONCE_H
#define EIMZA_WORKER_ONCE_H

#include <stdint.h>
#include <stdio.h>

#include "store/db.h"

/* The moment --today stands for: 12:00 Türkiye time (09:00 UTC) on date s
 * (YYYY-MM-DD or GG.AA.YYYY); 0 when s is not a date. */
int64_t worker_once_moment(const char *s);

/* Runs the round: reminders as of `as_of`, then one outbox delivery pass at
 * `now`. Writes one Turkish summary line to out. 0, or -1 on a database
 * error (logged). */
int worker_once(db *d, int64_t as_of, int64_t now, FILE *out);

#endif
