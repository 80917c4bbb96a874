#include "notify/reminders.h"

#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "domain/renewal.h"
#include "notify/outbox.h"
#include "util/log.h"

struct due {
	char serial[81], tckn[12], name[260], email[260], mobile[16], channel[16];
	int64_t not_after;
};

static const struct {
	const char *kind, *template_name;
	int days;
} kinds[] = {
	{"d25", "renewal_reminder_25", 25},
	{"d90", "renewal_reminder_90", 90},
};

/* The holder's contact details come from their newest application. */
#define DUE_SQL \
	"SELECT c.serial_hex, c.tckn, c.not_after, a.ad || ' ' || a.soyad, a.eposta, " \
	"a.cep_tel, a.bilgi_kanali FROM certificates c JOIN applications a ON a.id = " \
	"(SELECT MAX(id) FROM applications WHERE tckn = c.tckn) " \
	"WHERE c.status = 'good' AND c.not_before <= $1 AND c.not_after > $1 " \
	"AND c.not_after <= $2 " \
	"AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.serial_hex = c.serial_hex " \
	"AND r.kind = $3) " \
	"AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.tckn = c.tckn " \
	"AND n.status = 'good' AND n.not_after > c.not_after) LIMIT 100"

static void copy_col(db_stmt *st, int col, char *out, size_t n)
{
	const char *v = db_col_text(st, col);
	snprintf(out, n, "%s", v ? v : "");
}

/* Up to `max` certificates due for reminder `k`. */
static int find_due(db *d, size_t k, int64_t now, struct due *out, int max)
{
	db_stmt *st = db_prepare(d, DUE_SQL);
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, now + (int64_t)kinds[k].days * 86400);
	db_bind_text(st, 3, kinds[k].kind);
	int n = 0, rc;
	while (n < max && (rc = db_step(st)) == DB_ROW) {
		struct due *x = &out[n++];
		copy_col(st, 0, x->serial, sizeof x->serial);
		copy_col(st, 1, x->tckn, sizeof x->tckn);
		x->not_after = db_col_int64(st, 2);
		copy_col(st, 3, x->name, sizeof x->name);
		copy_col(st, 4, x->email, sizeof x->email);
		copy_col(st, 5, x->mobile, sizeof x->mobile);
		copy_col(st, 6, x->channel, sizeof x->channel);
	}
	db_finalize(st);
	return n;
}

/* Queues one reminder. 0 queued, 1 already sent (by another node), -1. */
static int send_one(db *d, size_t k, const struct due *x, int64_t now)
{
	char expiry[11];
	date_format_tr(x->not_after, expiry);
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "name", x->name);
	notify_vars_set(&vars, "expiry_date", expiry);
	if (db_begin(d) != 0)
		return -1;
	/* Another serve node may have sent this one meanwhile: the row is the
	 * claim, and the reminder is queued only by whoever inserted it. */
	db_stmt *st = db_prepare(d,
				 "INSERT INTO reminders_sent (serial_hex, kind, sent_at) "
				 "VALUES ($1, $2, $3) ON CONFLICT (serial_hex, kind) DO NOTHING");
	int rc = -1;
	if (st != NULL) {
		db_bind_text(st, 1, x->serial);
		db_bind_text(st, 2, kinds[k].kind);
		db_bind_int64(st, 3, now);
		rc = db_step(st) == DB_DONE ? 0 : -1;
		db_finalize(st);
	}
	if (rc == 0 && db_changes(d) == 0) {
		db_rollback(d);
		return 1;
	}
	/* The guide: reminders go by e-mail and SMS whatever the Bilgi Kanalı. */
	if (rc == 0)
		rc = outbox_notify_applicant(d, OUTBOX_TO_EMAIL | OUTBOX_TO_SMS, x->email,
					     x->mobile, kinds[k].template_name, &vars, x->serial);
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		return -1;
	}
	return 0;
}

int reminders_run(db *d, int64_t now)
{
	struct due batch[100];
	int queued = 0;
	/* The 25-day reminder first: a certificate found late gets only the
	 * nearer reminder, never both at once. */
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		int n = find_due(d, k, now, batch, 100);
		if (n < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			if (k == 1 && renewal_reminder_due(batch[i].not_after, now, 25))
				continue;
			int sent = send_one(d, k, &batch[i], now);
			if (sent < 0) {
				log_error("reminders: %s (%s) failed: %s", batch[i].serial,
					  kinds[k].kind, db_errmsg(d));
				return -1;
			}
			queued += sent == 0;
		}
	}
	if (queued > 0)
		log_info("reminders: %d expiry reminders queued", queued);
	return queued;
}

void reminders_job(db *d, int64_t now)
{
	reminders_run(d, now);
}
