/* Secrets at rest in the outbox: masking codes, retention (outbox_secret.h). */
#include "notify/outbox_secret.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "notify/notify.h"
#include "util/config.h"
#include "util/log.h"

#define HOUSEKEEP_BATCH 256

char *outbox_mask(const char *text, const char *secret)
{
	size_t n = strlen(text), sn = secret ? strlen(secret) : 0, mn = strlen(OUTBOX_MASK);
	size_t count = 0;
	if (sn > 0)
		for (const char *p = strstr(text, secret); p != NULL; p = strstr(p + sn, secret))
			count++;
	size_t len = n - count * sn + count * mn;
	char *out = malloc(len + 1), *w = out;
	if (out == NULL)
		return NULL;
	const char *p = text, *hit;
	while (count > 0 && (hit = strstr(p, secret)) != NULL) {
		memcpy(w, p, (size_t)(hit - p));
		w += hit - p;
		memcpy(w, OUTBOX_MASK, mn);
		w += mn;
		p = hit + sn;
	}
	memcpy(w, p, strlen(p) + 1);
	return out;
}

static void wipe_free(char *s)
{
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

int outbox_redact(db *d, int64_t id)
{
	int rc = -1;
	char *subject = NULL, *body = NULL;
	db_stmt *s = db_prepare(d, "SELECT subject, body, secret FROM outbox WHERE id = $1 AND "
				   "secret IS NOT NULL");
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, id);
	int step = db_step(s);
	if (step == DB_DONE) {
		db_finalize(s);
		return 0;
	}
	if (step == DB_ROW) {
		const char *secret = db_col_text(s, 2);
		subject = outbox_mask(db_col_text(s, 0) ? db_col_text(s, 0) : "", secret);
		body = outbox_mask(db_col_text(s, 1) ? db_col_text(s, 1) : "", secret);
	}
	db_finalize(s);
	if (subject == NULL || body == NULL)
		goto out;
	s = db_prepare(d, "UPDATE outbox SET subject = $1, body = $2, secret = NULL WHERE id = $3");
	if (s == NULL)
		goto out;
	db_bind_text(s, 1, subject);
	db_bind_text(s, 2, body);
	db_bind_int64(s, 3, id);
	if (db_step(s) == DB_DONE)
		rc = 0;
	db_finalize(s);
out:
	if (rc != 0)
		log_error("outbox: masking the code of message %lld failed: %s", (long long)id,
			  db_errmsg(d));
	wipe_free(subject);
	wipe_free(body);
	return rc;
}

/* Ids of up to HOUSEKEEP_BATCH rows whose code must go now. */
static int due_secrets(db *d, int64_t now, int64_t *ids)
{
	db_stmt *s = db_prepare(d, "SELECT id FROM outbox WHERE secret IS NOT NULL AND "
				   "(created_at < $1 OR ($2 = 0 AND status IN ('sent', 'failed'))) "
				   "ORDER BY id LIMIT $3");
	int n = 0, step;
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, now - OUTBOX_SECRET_TTL);
	db_bind_int64(s, 2, notify_is_dev());
	db_bind_int64(s, 3, HOUSEKEEP_BATCH);
	while (n < HOUSEKEEP_BATCH && (step = db_step(s)) == DB_ROW)
		ids[n++] = db_col_int64(s, 0);
	db_finalize(s);
	return n;
}

static int purge(db *d, int64_t now)
{
	int64_t days = config_get_int("outbox.retention_days");
	if (days <= 0)
		return 0;
	int64_t cut = now - days * 86400;
	db_stmt *s = db_prepare(d, "DELETE FROM outbox WHERE (status = 'sent' AND sent_at < $1) "
				   "OR (status = 'failed' AND created_at < $1)");
	if (s == NULL)
		return -1;
	db_bind_int64(s, 1, cut);
	int rc = db_step(s) == DB_DONE ? (int)db_changes(d) : -1;
	db_finalize(s);
	if (rc > 0)
		log_info("outbox: %d message(s) past outbox.retention_days deleted", rc);
	return rc;
}

int outbox_housekeep(db *d, int64_t now)
{
	int64_t ids[HOUSEKEEP_BATCH];
	int n = due_secrets(d, now, ids), changed = 0;
	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (outbox_redact(d, ids[i]) != 0)
			return -1;
		changed++;
	}
	int purged = purge(d, now);
	if (purged < 0) {
		log_error("outbox: purge failed: %s", db_errmsg(d));
		return -1;
	}
	return changed + purged;
}
