/* Courier tracking ("Kurye Takip"): the events a courier (through the API
 * or a CSV file) or the CA operator reports for a shipment, and what anyone
 * with the tracking number may see. The rules of statuses and their order
 * are in domain/shipment.h. */
#ifndef EIMZA_APP_COURIER_H
#define EIMZA_APP_COURIER_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "domain/shipment.h"
#include "store/shipment.h"

/* At most this many events in one CSV file. */
#define COURIER_CSV_MAX 500
/* At most this many events shown for one shipment. */
#define COURIER_EVENTS_MAX 200

/* One event as reported: raw values of the API ("takip_no", "durum",
 * "konum", "aciklama", "zaman"); location and note may be NULL, at 0 means
 * now. */
struct courier_report {
	const char *tracking_no, *status, *location, *note;
	int64_t at;
};

/* Inside the caller's open transaction: records event `ev` (location and
 * note may be NULL, at 0: now) for shipment s, loaded in that transaction.
 * TESLIM also moves the application to DELIVERED (history, audit record,
 * the holder's notice "delivered"); the other events get an audit record
 * on "shipment:<tracking_no>". UC_CONFLICT (with a message) when the
 * shipment is closed or the event is out of order (ship_event_allowed). */
enum uc_rc courier_apply(struct uc_ctx *c, const struct shipment *s, enum ship_status ev,
			 const char *location, const char *note, int64_t at);

/* One reported event in its own transaction. UC_INVALID (message) without a
 * tracking number or with an unknown status, UC_NOT_FOUND for an unknown
 * tracking number, UC_CONFLICT as courier_apply. */
enum uc_rc courier_report(struct uc_ctx *c, const struct courier_report *e);

/* A CSV file of events: header row with takip_no and durum, optionally
 * konum, zaman (epoch seconds) and aciklama, in any order. Each row is
 * reported with courier_report (one transaction a row) and then passed to
 * done with its result (c->message holds the row's message). UC_INVALID
 * for a malformed file or a header without takip_no,durum (nothing
 * recorded), UC_LIMITED for more than COURIER_CSV_MAX rows (nothing
 * recorded), UC_ERROR out of memory; otherwise UC_OK whatever the rows
 * gave. */
enum uc_rc courier_report_csv(struct uc_ctx *c, const char *body, size_t n,
			      void (*done)(void *ctx, const struct courier_report *e, enum uc_rc rc,
					   const char *message),
			      void *ctx);

/* What the public tracking page shows. Strings and events live in c->a. */
struct courier_tracking {
	struct shipment s;
	const char *ad, *soyad; /* the holder's names: the page masks them */
	struct shipment_event *events;
	size_t n_events;
};
/* The shipment with this tracking number and its events (oldest first, at
 * most COURIER_EVENTS_MAX). UC_NOT_FOUND for an unknown number. */
enum uc_rc courier_track(struct uc_ctx *c, const char *tracking_no, struct courier_tracking *out);

#endif
