/* Durable outbox for e-mail and SMS (table `outbox`, migration 0003).
 *
 * Callers enqueue inside the same transaction as the state change that
 * causes the message: the enqueue functions never begin or commit. A worker
 * (outbox_run_once, or the thread of outbox_worker_start) delivers due
 * messages through the drivers of notify.h, retrying with exponential
 * backoff until outbox.max_attempts, then marks them 'failed'. */
#ifndef EIMZA_OUTBOX_H
#define EIMZA_OUTBOX_H

#include <stdint.h>

#include "notify/notify.h"
#include "store/db.h"

enum outbox_status {
	OUTBOX_PENDING,
	OUTBOX_SENDING,
	OUTBOX_SENT,
	OUTBOX_FAILED,
	OUTBOX_STATUS__MAX
};
/* "pending", "sending", "sent", "failed": the stored values. */
extern const char *const outbox_status_names[OUTBOX_STATUS__MAX];

/* A row sent for sending more than this long ago is presumed lost in a crash
 * and goes back to 'pending'. */
#define OUTBOX_STUCK_SECONDS 300
/* Backoff after the n-th failed attempt: 30 s * 2^(n-1), at most one hour,
 * plus up to 10 % jitter. */
#define OUTBOX_BACKOFF_BASE 30
#define OUTBOX_BACKOFF_MAX 3600
/* Most messages one outbox_run_once() claims. */
#define OUTBOX_BATCH 32

struct outbox_row {
	int64_t id;
	const char *channel; /* "email" | "sms" */
	const char *to;
	const char *subject;
	const char *body;
	const char *status;
	int64_t attempts;
	int64_t next_attempt_at;
	const char *last_error; /* NULL when none */
	int64_t created_at;
	int64_t sent_at; /* 0 when not sent */
	const char *ref; /* NULL when none */
};

/* Inserts a pending message due now (clock_now()). `to` is an e-mail address
 * or a mobile number (5XXXXXXXXX or +905XXXXXXXXX, stored as +90...);
 * subject may be NULL for SMS; ref may be NULL. Does not begin or commit.
 * Returns 0, or -1 on an invalid address, CR/LF in the subject, invalid UTF-8
 * or a database error (logged). */
int outbox_enqueue(db *d, enum notify_channel ch, const char *to, const char *subject,
		   const char *body, const char *ref);

/* Renders templates/msg/<template_name>.txt (see msgtpl.h) and enqueues it:
 * for e-mail the subject and body, for SMS the template's SMS text. */
int outbox_enqueue_template(db *d, enum notify_channel ch, const char *to,
			    const char *template_name, const struct notify_vars *vars,
			    const char *ref);

/* Bilgi Kanalı as a mask (the values of domain/form.h's enum form_channel). */
#define OUTBOX_TO_EMAIL 1u
#define OUTBOX_TO_SMS 2u
/* Enqueues per the applicant's Bilgi Kanalı mask: e-mail, SMS or both. -1
 * on an empty mask or any enqueue failure. */
int outbox_notify_applicant(db *d, unsigned channels, const char *email, const char *mobile10,
			    const char *template_name, const struct notify_vars *vars,
			    const char *ref);

/* Delivers due messages: recovers rows stuck in 'sending', claims pending
 * rows with next_attempt_at <= now (in one transaction, so two workers never
 * send the same message), sends each and records the outcome. Returns the
 * number of messages processed (sent or failed), or -1 on a database error. */
int outbox_run_once(db *d, int64_t now);

/* At a worker's start: rows left in 'sending' by a worker that was killed
 * (claimed before `started`) go back to 'pending' at once instead of after
 * OUTBOX_STUCK_SECONDS. A message another live worker is sending just then
 * may go out twice: delivery is at least once, and every attempt carries
 * the same idempotency key (notify/idem.h). Returns the number requeued,
 * or -1. */
int outbox_requeue_orphans(db *d, int64_t started);

/* Calls cb for up to `limit` rows, newest first, optionally only those with
 * status == status_filter (NULL: all). Row strings are valid during the
 * callback only. Returns the number of rows, or -1 on error. */
int outbox_list(db *d, int limit, const char *status_filter,
		void (*cb)(void *ctx, const struct outbox_row *row), void *ctx);

/* The worker thread: every outbox.poll_ms it runs the scheduled jobs that are
 * due and outbox_run_once(), on its own connection (db_thread(), after
 * db_global_init(db_url) unless db_url is NULL). 0 on success, -1 if it
 * could not start or already runs. */
int outbox_worker_start(const char *db_url);
/* Wakes and joins the worker; returns promptly (after the message in flight). */
void outbox_worker_stop(void);
/* Adds a job run every period_seconds (first run at the first poll) by the
 * worker thread with its connection and clock_now(). The job manages its own
 * transactions. Call before outbox_worker_start. At most 16 jobs. */
void outbox_worker_add_job(void (*fn)(db *d, int64_t now), int period_seconds);

#endif
