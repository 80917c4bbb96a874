/* Courier events: one transaction each, shipment row, event row and audit
 * record together; delivery also moves the application (application_step). */
#include "app/courier.h"

#include <stdlib.h>
#include <string.h>

#include "store/audit.h"
#include "store/csv.h"
#include "util/log.h"

static const char *const msg_required =
	"takip_no ve durum (yolda, dagitimda, teslim, iade) gereklidir";
static const char *const msg_closed = "gönderi bulunamadı ya da kapanmış";

/* The delivery: the application becomes DELIVERED, then the shipment. */
static enum uc_rc deliver(struct uc_ctx *c, const struct shipment *s, const char *location,
			  const char *note, int64_t at)
{
	struct application app;
	int lrc = application_load(c->d, c->a, s->application_id, &app);
	if (lrc != 0) {
		log_error("%s: application of %s: %s", c->actor, s->tracking_no,
			  lrc < 0 ? db_errmsg(c->d) : "missing");
		return UC_ERROR;
	}
	enum uc_rc rc = application_step(c, &app,
					 &(struct uc_step){.ev = EV_DELIVERED,
							   .action = "delivered",
							   .note = "Kart sahibine teslim edildi",
							   .notify = "delivered"});
	if (rc == UC_OK && shipment_record_event(c->d, s->id, SHIP_TESLIM, location, note, at) != 0)
		rc = UC_ERROR;
	return rc;
}

enum uc_rc courier_apply(struct uc_ctx *c, const struct shipment *s, enum ship_status ev,
			 const char *location, const char *note, int64_t at)
{
	if (ship_status_is_closed(s->status))
		return uc_fail(c, UC_CONFLICT, NULL, msg_closed);
	if (!ship_event_allowed(s->status, ev))
		return uc_fail(c, UC_CONFLICT, NULL,
			       arena_printf(c->a, "olay sırası geçersiz: gönderi şu anda '%s'",
					    ship_status_name(s->status)));
	if (at <= 0)
		at = c->now;
	if (ship_event_app_event(ev) == EV_DELIVERED)
		return deliver(c, s, location, note, at);
	int rc = shipment_record_event(c->d, s->id, ev, location, note, at);
	if (rc == 0)
		rc = audit_append(c->d,
				  &(struct audit_entry){.actor = c->actor,
							.client_ip = c->client_ip,
							.object = arena_printf(c->a, "shipment:%s",
									       s->tracking_no),
							.action = ship_event_action(ev),
							.before = ship_status_name(s->status),
							.after = ship_status_name(ev),
							.detail = note});
	if (rc != 0) {
		log_error("%s: event for %s failed: %s", c->actor, s->tracking_no, db_errmsg(c->d));
		return UC_ERROR;
	}
	log_info("%s %s %s: %s -> %s", c->actor, ship_event_action(ev), s->tracking_no,
		 ship_status_name(s->status), ship_status_name(ev));
	return UC_OK;
}

enum uc_rc courier_report(struct uc_ctx *c, const struct courier_report *e)
{
	c->message = NULL;
	c->field = NULL;
	int ev = ship_status_parse(e->status);
	if (e->tracking_no == NULL || *e->tracking_no == '\0' || ev < 0)
		return uc_fail(c, UC_INVALID, "durum", msg_required);
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	struct shipment s;
	int found = shipment_by_tracking(c->d, c->a, e->tracking_no, &s);
	if (found < 0)
		rc = UC_ERROR;
	else if (found == 1)
		rc = uc_fail(c, UC_NOT_FOUND, "takip_no", msg_closed);
	else
		rc = courier_apply(c, &s, (enum ship_status)ev, e->location, e->note, e->at);
	return uc_end(c, rc);
}

/* A positive decimal number of seconds, or 0. */
static int64_t parse_at(const char *s)
{
	char *end = NULL;
	if (s == NULL || *s < '1' || *s > '9' || strlen(s) > 18)
		return 0;
	long long v = strtoll(s, &end, 10);
	return end != NULL && *end == '\0' && v > 0 ? (int64_t)v : 0;
}

/* Data rows after the header: the count, or -1 when the CSV is malformed. */
static int csv_data_rows(struct csv *cp, const char *body, size_t n)
{
	char err[256];
	int rows = -1, rc;
	csv_init(cp, body, n);
	while ((rc = csv_next(cp, err, sizeof err)) == 1)
		rows++;
	return rc < 0 || rows < 0 ? -1 : rows;
}

/* The value of column k of the current row, an arena copy; NULL when the
 * column is absent, or when empty and empty_null. */
static const char *cell(struct uc_ctx *c, const struct csv *cp, int col, int empty_null)
{
	if (col < 0 || col >= cp->nfields || (empty_null && cp->field[col][0] == '\0'))
		return NULL;
	return arena_strdup(c->a, cp->field[col]);
}

enum uc_rc courier_report_csv(struct uc_ctx *c, const char *body, size_t n,
			      void (*done)(void *ctx, const struct courier_report *e, enum uc_rc rc,
					   const char *message),
			      void *ctx)
{
	static const char *const names[5] = {"takip_no", "durum", "konum", "zaman", "aciklama"};
	char err[256];
	int col[5] = {-1, -1, -1, -1, -1}, rows = 0, next;
	enum uc_rc rc = UC_INVALID;
	struct csv *cp = malloc(sizeof *cp); /* about 32 KiB: not on the stack */
	if (cp == NULL)
		return UC_ERROR;
	int total = csv_data_rows(cp, body, n);
	if (total > COURIER_CSV_MAX) {
		rc = UC_LIMITED;
		goto out;
	}
	csv_init(cp, body, n);
	if (total < 0 || csv_next(cp, err, sizeof err) != 1)
		goto out;
	for (int i = 0; i < cp->nfields; i++)
		for (int k = 0; k < 5; k++)
			if (strcmp(cp->field[i], names[k]) == 0)
				col[k] = i;
	if (col[0] < 0 || col[1] < 0)
		goto out;
	while ((next = csv_next(cp, err, sizeof err)) == 1 && rows++ < COURIER_CSV_MAX) {
		struct courier_report e = {.tracking_no = cell(c, cp, col[0], 0),
					   .status = cell(c, cp, col[1], 0),
					   .location = cell(c, cp, col[2], 1),
					   .note = cell(c, cp, col[4], 1),
					   .at = parse_at(cell(c, cp, col[3], 1))};
		enum uc_rc one = courier_report(c, &e);
		done(ctx, &e, one, c->message);
	}
	rc = next < 0 ? UC_INVALID : UC_OK;
out:
	free(cp);
	return rc;
}

enum uc_rc courier_track(struct uc_ctx *c, const char *tracking_no, struct courier_tracking *out)
{
	struct application app;
	memset(out, 0, sizeof *out);
	int rc = shipment_by_tracking(c->d, c->a, tracking_no, &out->s);
	if (rc == 1)
		return uc_fail(c, UC_NOT_FOUND, "takip_no", "Gönderi bulunamadı.");
	if (rc == 0)
		rc = application_load(c->d, c->a, out->s.application_id, &app);
	if (rc == 0)
		rc = shipment_events(c->d, c->a, out->s.id, COURIER_EVENTS_MAX, &out->events,
				     &out->n_events);
	if (rc != 0) {
		log_error("%s: tracking %s: %s", c->actor, tracking_no, db_errmsg(c->d));
		return UC_ERROR;
	}
	out->ad = app.ad;
	out->soyad = app.soyad;
	return UC_OK;
}
