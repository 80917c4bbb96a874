#include "notify/outbox.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/msgtpl.h"
#include "notify/outbox_secret.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/log.h"
#include "util/utf8.h"

const char *const outbox_status_names[OUTBOX_STATUS__MAX] = {
	[OUTBOX_PENDING] = "pending",
	[OUTBOX_SENDING] = "sending",
	[OUTBOX_SENT] = "sent",
	[OUTBOX_FAILED] = "failed",
};

#define OUTBOX_BODY_MAX (64 * 1024)
#define OUTBOX_SUBJECT_MAX 998

/* db_finalize that accepts NULL (statements start NULL; see STYLE.md). */
static void stmt_done(db_stmt *s)
{
	if (s != NULL)
		db_finalize(s);
}

static int text_ok(const char *s, size_t max, int allow_newlines)
{
	size_t n = strlen(s);
	return n <= max && utf8_valid(s, n) && !utf8_has_controls(s, n, allow_newlines);
}

/* secret: the one-time code inside subject or body, kept beside them so
 * that it can be masked once the message is final (outbox_secret.h). */
static int enqueue_row(db *d, enum notify_channel ch, const char *to, const char *subject,
		       const char *body, const char *ref, const char *secret)
{
	int rc = -1;
	db_stmt *s = NULL;
	char sms_to[14];
	if (subject == NULL)
		subject = "";
	if (ch == NOTIFY_SMS) {
		if (notify_sms_number(to, sms_to) != 0) {
			log_error("outbox: invalid SMS number");
			goto out;
		}
		to = sms_to;
	} else if (ch != NOTIFY_EMAIL || !notify_email_valid(to)) {
		log_error("outbox: invalid channel or e-mail address");
		goto out;
	}
	if (body == NULL || !text_ok(body, OUTBOX_BODY_MAX, 1) ||
	    !text_ok(subject, OUTBOX_SUBJECT_MAX, 0) || (ref && !text_ok(ref, 200, 0))) {
		log_error("outbox: subject, body or ref rejected (control characters, "
			  "invalid UTF-8 or too long)");
		goto out;
	}
	int64_t now = clock_now();
	s = db_prepare(d, "INSERT INTO outbox (channel, recipient, subject, body, status, "
			  "attempts, next_attempt_at, created_at, ref, secret) "
			  "VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, $7, $8)");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, notify_channel_name(ch));
	db_bind_text(s, 2, to);
	db_bind_text(s, 3, subject);
	db_bind_text(s, 4, body);
	db_bind_int64(s, 5, now);
	db_bind_int64(s, 6, now);
	db_bind_text(s, 7, ref);
	db_bind_text(s, 8, secret != NULL && secret[0] != '\0' ? secret : NULL);
	if (db_step(s) != DB_DONE) {
		log_error("outbox: insert failed: %s", db_errmsg(d));
		goto out;
	}
	rc = 0;
out:
	stmt_done(s);
	return rc;
}

int outbox_enqueue(db *d, enum notify_channel ch, const char *to, const char *subject,
		   const char *body, const char *ref)
{
	return enqueue_row(d, ch, to, subject, body, ref, NULL);
}

int outbox_enqueue_template(db *d, enum notify_channel ch, const char *to,
			    const char *template_name, const struct notify_vars *vars,
			    const char *ref)
{
	struct msgtpl_out m;
	if (msgtpl_render(template_name, vars, &m) != 0)
		return -1;
	int rc = enqueue_row(d, ch, to, m.subject, ch == NOTIFY_SMS ? m.sms_text : m.body, ref,
			     notify_vars_get(vars, "code"));
	/* The SMS code is in the text: do not leave copies in freed memory. */
	sodium_memzero(m.body, strlen(m.body));
	sodium_memzero(m.sms_text, strlen(m.sms_text));
	msgtpl_out_free(&m);
	return rc;
}

int outbox_notify_applicant(db *d, unsigned channels, const char *email, const char *mobile10,
			    const char *template_name, const struct notify_vars *vars,
			    const char *ref)
{
	int email_on = (channels & OUTBOX_TO_EMAIL) != 0, sms_on = (channels & OUTBOX_TO_SMS) != 0;
	if (!email_on && !sms_on) {
		log_error("outbox: unknown bilgi_kanali");
		return -1;
	}
	if (email_on &&
	    outbox_enqueue_template(d, NOTIFY_EMAIL, email, template_name, vars, ref) != 0)
		return -1;
	if (sms_on &&
	    outbox_enqueue_template(d, NOTIFY_SMS, mobile10, template_name, vars, ref) != 0)
		return -1;
	return 0;
}

/* ---- worker side ---- */

struct claimed {
	int64_t id;
	int64_t attempts;
	enum notify_channel ch;
	char *to, *subject, *body, *ref;
};

static void claimed_free(struct claimed *c)
{
	if (c->body)
		sodium_memzero(c->body, strlen(c->body));
	free(c->to);
	free(c->subject);
	free(c->body);
	free(c->ref);
	memset(c, 0, sizeof *c);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int64_t max_attempts(void)
{
	int64_t n = config_get_int("outbox.max_attempts");
	return n < 1 ? 1 : n;
}

/* Returns rows left in 'sending' by a crashed worker to 'pending' (or to
 * 'failed' once they have used up their attempts). */
static int recover_stuck(db *d, int64_t now)
{
	int rc = -1;
	db_stmt *s = NULL;
	s = db_prepare(d, "UPDATE outbox SET status = 'failed', "
			  "last_error = 'Gönderim yarıda kaldı; deneme hakkı bitti' "
			  "WHERE status = 'sending' AND claimed_at < $1 AND attempts >= $2");
	if (s == NULL)
		goto out;
	db_bind_int64(s, 1, now - OUTBOX_STUCK_SECONDS);
	db_bind_int64(s, 2, max_attempts());
	if (db_step(s) != DB_DONE)
		goto out;
	stmt_done(s);
	s = db_prepare(d, "UPDATE outbox SET status = 'pending', next_attempt_at = $1, "
			  "last_error = 'Gönderim yarıda kaldı; yeniden denenecek' "
			  "WHERE status = 'sending' AND claimed_at < $2");
	if (s == NULL)
		goto out;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, now - OUTBOX_STUCK_SECONDS);
	if (db_step(s) != DB_DONE)
		goto out;
	int64_t n = db_changes(d);
	if (n > 0)
		log_warn("outbox: %lld message(s) stuck in sending requeued", (long long)n);
	rc = 0;
out:
	stmt_done(s);
	return rc;
}

/* Ids of up to max due pending rows, oldest due first. On PostgreSQL the
 * rows are locked and rows another worker (another serve node) has locked
 * are passed over, so each message is claimed by one worker only. */
static int due_ids(db *d, int64_t now, int64_t *ids, int max)
{
	char sql[256];
	int n = -1;
	snprintf(sql, sizeof sql,
		 "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 "
		 "ORDER BY next_attempt_at, id LIMIT $2%s",
		 db_skip_locked(d));
	db_stmt *s = db_prepare(d, sql);
	if (s == NULL)
		goto out;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, max);
	n = 0;
	int step;
	while (n < max && (step = db_step(s)) == DB_ROW)
		ids[n++] = db_col_int64(s, 0);
	if (n < max && step != DB_DONE)
		n = -1;
out:
	stmt_done(s);
	return n;
}

/* Moves row id from pending to sending and loads it into c. 1 when this
 * worker got it, 0 when another did, -1 on error. */
static int claim_one(db *d, int64_t id, int64_t now, struct claimed *c)
{
	int rc = -1;
	db_stmt *s = db_prepare(d, "UPDATE outbox SET status = 'sending', claimed_at = $1, "
				   "attempts = attempts + 1 WHERE id = $2 AND status = 'pending'");
	if (s == NULL)
		goto out;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, id);
	if (db_step(s) != DB_DONE)
		goto out;
	if (db_changes(d) != 1) {
		rc = 0;
		goto out;
	}
	stmt_done(s);
	s = db_prepare(d, "SELECT channel, recipient, subject, body, ref, attempts "
			  "FROM outbox WHERE id = $1");
	if (s == NULL || db_bind_int64(s, 1, id) != 0 || db_step(s) != DB_ROW)
		goto out;
	memset(c, 0, sizeof *c);
	c->id = id;
	if (notify_channel_parse(db_col_text(s, 0), &c->ch) != 0)
		c->ch = NOTIFY_CHANNEL__MAX; /* reported as a permanent failure */
	c->to = dup_or_null(db_col_text(s, 1));
	c->subject = dup_or_null(db_col_text(s, 2));
	c->body = dup_or_null(db_col_text(s, 3));
	c->ref = dup_or_null(db_col_text(s, 4));
	c->attempts = db_col_int64(s, 5);
	if (c->to == NULL || c->body == NULL) {
		claimed_free(c);
		goto out;
	}
	rc = 1;
out:
	stmt_done(s);
	return rc;
}

/* 1 when some row is due or stuck, 0 when none, -1 on error. Read-only, so
 * an idle worker never takes the write lock. */
static int anything_due(db *d, int64_t now)
{
	int rc = -1;
	db_stmt *s = db_prepare(d, "SELECT 1 FROM outbox WHERE (status = 'pending' AND "
				   "next_attempt_at <= $1) OR (status = 'sending' AND "
				   "claimed_at < $2) LIMIT 1");
	if (s == NULL)
		goto out;
	db_bind_int64(s, 1, now);
	db_bind_int64(s, 2, now - OUTBOX_STUCK_SECONDS);
	int step = db_step(s);
	rc = step == DB_ROW ? 1 : step == DB_DONE ? 0 : -1;
out:
	stmt_done(s);
	return rc;
}

/* Claims up to max due rows in one transaction. Returns how many (rows in
 * out[0..n) are the caller's to free), or -1. */
static int claim(db *d, int64_t now, struct claimed *out, int max)
{
	int64_t ids[OUTBOX_BATCH];
	int n = 0, got = 0;
	if (max > OUTBOX_BATCH)
		max = OUTBOX_BATCH;
	if (db_begin(d) != 0) {
		log_error("outbox: begin failed: %s", db_errmsg(d));
		return -1;
	}
	if (recover_stuck(d, now) != 0 || (n = due_ids(d, now, ids, max)) < 0)
		goto fail;
	for (int i = 0; i < n; i++) {
		int r = claim_one(d, ids[i], now, &out[got]);
		if (r < 0)
			goto fail;
		got += r;
	}
	if (db_commit(d) != 0)
		goto fail;
	return got;
fail:
	log_error("outbox: claim failed: %s", db_errmsg(d));
	db_rollback(d);
	for (int i = 0; i < got; i++)
		claimed_free(&out[i]);
	return -1;
}

static int64_t backoff(int64_t attempts)
{
	int64_t b = OUTBOX_BACKOFF_BASE;
	for (int64_t i = 1; i < attempts && b < OUTBOX_BACKOFF_MAX; i++)
		b *= 2;
	if (b > OUTBOX_BACKOFF_MAX)
		b = OUTBOX_BACKOFF_MAX;
	return b + (int64_t)randombytes_uniform((uint32_t)(b / 10 + 1));
}

/* Writes the outcome of one delivery. */
static int record(db *d, const struct claimed *c, enum notify_result res, const char *err,
		  int64_t now)
{
	int rc = -1;
	db_stmt *s = NULL;
	if (res == NOTIFY_SENT) {
		s = db_prepare(d, "UPDATE outbox SET status = 'sent', sent_at = $1, "
				  "last_error = NULL WHERE id = $2 AND status = 'sending'");
		if (s == NULL)
			goto out;
		db_bind_int64(s, 1, now);
		db_bind_int64(s, 2, c->id);
	} else if (res == NOTIFY_PERMFAIL || c->attempts >= max_attempts()) {
		s = db_prepare(d, "UPDATE outbox SET status = 'failed', last_error = $1 "
				  "WHERE id = $2 AND status = 'sending'");
		if (s == NULL)
			goto out;
		db_bind_text(s, 1, err);
		db_bind_int64(s, 2, c->id);
	} else {
		s = db_prepare(d, "UPDATE outbox SET status = 'pending', next_attempt_at = $1, "
				  "last_error = $2 WHERE id = $3 AND status = 'sending'");
		if (s == NULL)
			goto out;
		db_bind_int64(s, 1, now + backoff(c->attempts));
		db_bind_text(s, 2, err);
		db_bind_int64(s, 3, c->id);
	}
	if (db_step(s) != DB_DONE) {
		log_error("outbox: update of message %lld failed: %s", (long long)c->id,
			  db_errmsg(d));
		goto out;
	}
	rc = 0;
	/* Final: the code is of no more use here (outbox_secret.h). A failure
	 * is left to outbox_housekeep(), which masks final rows too. */
	if (db_changes(d) == 1 && !notify_is_dev() &&
	    (res == NOTIFY_SENT || res == NOTIFY_PERMFAIL || c->attempts >= max_attempts()))
		outbox_redact(d, c->id);
out:
	stmt_done(s);
	return rc;
}

static enum notify_result deliver(const struct claimed *c, char *err, size_t errlen)
{
	const struct notify_driver *drv;
	struct notify_msg m = {
		.id = c->id,
		.channel = c->ch,
		.to = c->to,
		.subject = c->subject ? c->subject : "",
		.body = c->body,
		.ref = c->ref,
	};
	if ((unsigned)c->ch >= NOTIFY_CHANNEL__MAX) {
		snprintf(err, errlen, "bilinmeyen kanal");
		return NOTIFY_PERMFAIL;
	}
	drv = notify_driver_for(c->ch, err, errlen);
	if (drv == NULL)
		return NOTIFY_PERMFAIL;
	enum notify_result r = drv->send(&m, err, errlen);
	if ((unsigned)r >= NOTIFY_RESULT__MAX)
		r = NOTIFY_TEMPFAIL;
	if (r != NOTIFY_SENT && err[0] == '\0')
		snprintf(err, errlen, "gönderilemedi (%s)", drv->name);
	return r;
}

int outbox_run_once(db *d, int64_t now)
{
	struct claimed rows[OUTBOX_BATCH];
	int processed = 0;
	if (sodium_init() < 0)
		return -1;
	int due = anything_due(d, now);
	if (due <= 0)
		return due;
	int n = claim(d, now, rows, OUTBOX_BATCH);
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char err[512] = "";
		enum notify_result r = deliver(&rows[i], err, sizeof err);
		if (r == NOTIFY_SENT)
			log_info("outbox: message %lld (%s) sent", (long long)rows[i].id,
				 notify_channel_name(rows[i].ch));
		else
			log_warn("outbox: message %lld (%s) attempt %lld: %s: %s",
				 (long long)rows[i].id, notify_channel_name(rows[i].ch),
				 (long long)rows[i].attempts, notify_result_names[r], err);
		if (record(d, &rows[i], r, err, now) == 0)
			processed++;
		claimed_free(&rows[i]);
	}
	return processed;
}

int outbox_requeue_orphans(db *d, int64_t started)
{
	db_stmt *s = db_prepare(d,
				"UPDATE outbox SET status = 'pending', next_attempt_at = $1, "
				"last_error = 'Gönderim yarıda kaldı (yeniden başlatma); yeniden "
				"denenecek' WHERE status = 'sending' AND claimed_at < $1");
	int rc = -1;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, started);
	if (db_step(s) == DB_DONE)
		rc = (int)db_changes(d);
	stmt_done(s);
	if (rc > 0)
		log_warn("outbox: %d message(s) left in sending by a stopped worker requeued", rc);
	return rc;
}

int outbox_list(db *d, int limit, const char *status_filter,
		void (*cb)(void *ctx, const struct outbox_row *row), void *ctx)
{
	int n = -1, step;
	db_stmt *s;
#define OUTBOX_COLS \
	"SELECT id, channel, recipient, subject, body, status, attempts, " \
	"next_attempt_at, last_error, created_at, sent_at, ref FROM outbox "
	if (status_filter != NULL) {
		s = db_prepare(d, OUTBOX_COLS "WHERE status = $2 ORDER BY id DESC LIMIT $1");
		if (s != NULL)
			db_bind_text(s, 2, status_filter);
	} else {
		s = db_prepare(d, OUTBOX_COLS "ORDER BY id DESC LIMIT $1");
	}
#undef OUTBOX_COLS
	if (s == NULL)
		goto out;
	db_bind_int64(s, 1, limit > 0 ? limit : 100);
	n = 0;
	while ((step = db_step(s)) == DB_ROW) {
		struct outbox_row row = {
			.id = db_col_int64(s, 0),
			.channel = db_col_text(s, 1),
			.to = db_col_text(s, 2),
			.subject = db_col_text(s, 3),
			.body = db_col_text(s, 4),
			.status = db_col_text(s, 5),
			.attempts = db_col_int64(s, 6),
			.next_attempt_at = db_col_int64(s, 7),
			.last_error = db_col_text(s, 8),
			.created_at = db_col_int64(s, 9),
			.sent_at = db_col_int64(s, 10),
			.ref = db_col_text(s, 11),
		};
		cb(ctx, &row);
		n++;
	}
	if (step != DB_DONE)
		n = -1;
out:
	stmt_done(s);
	return n;
}
