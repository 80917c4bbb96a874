/* One round of the worker (see worker_once.h). */
#include "notify/worker_once.h"

#include "domain/date.h"
#include "notify/outbox.h"
#include "notify/reminders.h"
#include "util/log.h"

int64_t worker_once_moment(const char *s)
{
	int64_t start = date_tr_day_start(s);
	return start != 0 ? start + 12 * 3600 : 0;
}

int worker_once(db *d, int64_t as_of, int64_t now, FILE *out)
{
	char day[11];
	int queued = reminders_run(d, as_of);
	if (queued < 0)
		return -1;
	/* Every pass takes at most OUTBOX_BATCH messages: go on while full
	 * passes come back, but only a bounded number of times. */
	int sent = 0, n;
	for (int pass = 0; pass < 64; pass++) {
		n = outbox_run_once(d, now);
		if (n < 0)
			return -1;
		sent += n;
		if (n < OUTBOX_BATCH)
			break;
	}
	date_format_tr(as_of + DATE_TR_OFFSET, day);
	fprintf(out, "%s tarihi için %d süre sonu hatırlatması kuyruğa alındı; %d ileti işlendi.\n",
		day, queued, sent);
	log_info("worker --once: %d reminders queued as of %s, %d messages processed", queued, day,
		 sent);
	return 0;
}
