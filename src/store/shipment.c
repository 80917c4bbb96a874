/* Shipments and shipment events (tables shipments, shipment_events). */
#include "store/shipment.h"

#include <string.h>

#define SHIP_COLUMNS \
	"id, application_id, courier, tracking_no, status, shipped_at, delivered_at, " \
	"returned_at, note"

static const char *text_or_empty(arena *ar, const char *v)
{
	return v != NULL ? arena_strdup(ar, v) : "";
}

/* 0 read, -1 for a status that does not parse. */
static int read_shipment(db_stmt *st, arena *ar, struct shipment *s)
{
	int status = ship_status_parse(db_col_text(st, 4));
	if (status < 0)
		return -1;
	s->id = db_col_int64(st, 0);
	s->application_id = db_col_int64(st, 1);
	s->courier = text_or_empty(ar, db_col_text(st, 2));
	s->tracking_no = text_or_empty(ar, db_col_text(st, 3));
	s->status = (enum ship_status)status;
	s->shipped_at = db_col_int64(st, 5);
	s->delivered_at = db_col_int64(st, 6);
	s->returned_at = db_col_int64(st, 7);
	s->note = text_or_empty(ar, db_col_text(st, 8));
	return 0;
}

static int load_one(db *d, arena *ar, const char *sql, const char *text, int64_t num,
		    struct shipment *out)
{
	memset(out, 0, sizeof *out);
	db_stmt *st = db_prepare(d, sql);
	if (st == NULL)
		return -1;
	if (text != NULL)
		db_bind_text(st, 1, text);
	else
		db_bind_int64(st, 1, num);
	int rc = db_step(st);
	if (rc == DB_ROW)
		rc = read_shipment(st, ar, out) == 0 ? 0 : -1;
	else
		rc = rc == DB_DONE ? 1 : -1;
	db_finalize(st);
	return rc;
}

int shipment_latest_for_application(db *d, arena *ar, int64_t application_id, struct shipment *out)
{
	return load_one(d, ar,
			"SELECT " SHIP_COLUMNS " FROM shipments WHERE application_id = $1 "
			"ORDER BY id DESC LIMIT 1",
			NULL, application_id, out);
}

int shipment_by_tracking(db *d, arena *ar, const char *tracking_no, struct shipment *out)
{
	return load_one(d, ar, "SELECT " SHIP_COLUMNS " FROM shipments WHERE tracking_no = $1",
			tracking_no != NULL ? tracking_no : "", 0, out);
}

static int insert_event(db *d, int64_t id, enum ship_status status, const char *location,
			const char *note, int64_t at)
{
	db_stmt *st = db_prepare(d, "INSERT INTO shipment_events (shipment_id, at, status, "
				    "location, note) VALUES ($1, $2, $3, $4, $5)");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	db_bind_text(st, 3, ship_status_name(status));
	db_bind_text(st, 4, location);
	db_bind_text(st, 5, note);
	int rc = db_step(st) == DB_DONE ? 0 : -1;
	db_finalize(st);
	return rc;
}

int shipment_insert(db *d, int64_t application_id, const char *courier, const char *tracking_no,
		    const char *note, int64_t now, int64_t *id)
{
	*id = 0;
	db_stmt *st = db_prepare(d, "INSERT INTO shipments (application_id, courier, tracking_no, "
				    "status, shipped_at) VALUES ($1, $2, $3, $4, $5) RETURNING id");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, application_id);
	db_bind_text(st, 2, courier);
	db_bind_text(st, 3, tracking_no);
	db_bind_text(st, 4, ship_status_name(SHIP_YOLDA));
	db_bind_int64(st, 5, now);
	int rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_finalize(st);
	if (rc == DB_CONSTRAINT)
		return 1;
	if (*id <= 0)
		return -1;
	return insert_event(d, *id, SHIP_YOLDA, NULL, note, now);
}

int shipment_record_event(db *d, int64_t id, enum ship_status status, const char *location,
			  const char *note, int64_t at)
{
	db_stmt *st = db_prepare(
		d, "UPDATE shipments SET status = $2, "
		   "delivered_at = CASE WHEN $2 = 'teslim' THEN $3 ELSE delivered_at END, "
		   "returned_at = CASE WHEN $2 = 'iade' THEN $3 ELSE returned_at END, "
		   "note = CASE WHEN $2 = 'iade' THEN $4 ELSE note END WHERE id = $1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, ship_status_name(status));
	db_bind_int64(st, 3, at);
	db_bind_text(st, 4, note);
	int rc = db_step(st) == DB_DONE && db_changes(d) == 1 ? 0 : -1;
	db_finalize(st);
	return rc == 0 ? insert_event(d, id, status, location, note, at) : -1;
}

int shipment_events(db *d, arena *ar, int64_t id, size_t max, struct shipment_event **out,
		    size_t *n)
{
	*out = NULL;
	*n = 0;
	struct shipment_event *ev = max > 0 ? arena_alloc(ar, max * sizeof *ev) : NULL;
	if (max > 0 && ev == NULL)
		return -1;
	db_stmt *st = db_prepare(d, "SELECT at, status, location, note FROM shipment_events "
				    "WHERE shipment_id = $1 ORDER BY at, id LIMIT $2");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, (int64_t)max);
	int rc, bad = 0;
	while ((rc = db_step(st)) == DB_ROW && *n < max) {
		int status = ship_status_parse(db_col_text(st, 1));
		if (status < 0) {
			bad = 1;
			break;
		}
		ev[*n] = (struct shipment_event){.at = db_col_int64(st, 0),
						 .status = (enum ship_status)status,
						 .location = text_or_empty(ar, db_col_text(st, 2)),
						 .note = text_or_empty(ar, db_col_text(st, 3))};
		(*n)++;
	}
	db_finalize(st);
	if (bad || rc < 0)
		return -1;
	*out = ev;
	return 0;
}

int shipment_list_for_tckn(db *d, const char *tckn,
			   void (*cb)(void *ctx, const struct shipment_summary *s), void *ctx)
{
	db_stmt *st = db_prepare(d, "SELECT s.tracking_no, s.courier, s.status, s.shipped_at, "
				    "a.number FROM shipments s JOIN applications a "
				    "ON a.id = s.application_id WHERE a.tckn = $1 "
				    "ORDER BY s.shipped_at DESC, s.id DESC");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, tckn);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int status = ship_status_parse(db_col_text(st, 2));
		if (status < 0) {
			rc = DB_ERR;
			break;
		}
		struct shipment_summary s = {.tracking_no = db_col_text(st, 0),
					     .courier = db_col_text(st, 1),
					     .status = (enum ship_status)status,
					     .shipped_at = db_col_int64(st, 3),
					     .application_no = db_col_text(st, 4)};
		cb(ctx, &s);
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : -1;
}
