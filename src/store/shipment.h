/* Shipments of cards to their holders and the courier's events: the
 * repository. Writes run inside the caller's transaction together with the
 * audit record (see app/operator.c, app/courier.c). */
#ifndef EIMZA_STORE_SHIPMENT_H
#define EIMZA_STORE_SHIPMENT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/shipment.h"
#include "store/db.h"
#include "util/arena.h"

/* One shipment as stored; strings live in the loader's arena. */
struct shipment {
	int64_t id, application_id;
	const char *courier, *tracking_no;
	enum ship_status status;
	int64_t shipped_at, delivered_at, returned_at; /* 0 when not yet */
	const char *note;			       /* "" when none */
};

/* One event of a shipment, as the courier (or operator) reported it. */
struct shipment_event {
	int64_t at;
	enum ship_status status;
	const char *location, *note; /* "" when none */
};

/* The newest shipment of an application into out (strings in ar).
 * 0 found, 1 none, -1 error (also for a status that does not parse). */
int shipment_latest_for_application(db *d, arena *ar, int64_t application_id, struct shipment *out);
/* The shipment with this tracking number. 0 found, 1 none, -1 error. */
int shipment_by_tracking(db *d, arena *ar, const char *tracking_no, struct shipment *out);

/* Inserts a shipment in status yolda shipped at `now`, with its first event
 * (note as the event's note). Writes the new id. 0, 1 when the tracking
 * number is already used (nothing written), -1 error. */
int shipment_insert(db *d, int64_t application_id, const char *courier, const char *tracking_no,
		    const char *note, int64_t now, int64_t *id);

/* Moves shipment `id` to `status` and appends the event. TESLIM also sets
 * delivered_at, IADE returned_at and the shipment's note. 0 or -1. */
int shipment_record_event(db *d, int64_t id, enum ship_status status, const char *location,
			  const char *note, int64_t at);

/* The events of shipment `id`, oldest first, at most max: an array in ar
 * (*out, *n). 0, or -1 (error, out of arena, or a bad stored status). */
int shipment_events(db *d, arena *ar, int64_t id, size_t max, struct shipment_event **out,
		    size_t *n);

/* One line of a holder's shipment list. */
struct shipment_summary {
	const char *tracking_no, *courier, *application_no;
	enum ship_status status;
	int64_t shipped_at;
};
/* Calls cb for each shipment of the applications of tckn, newest first;
 * the summary's strings are valid during the call only. 0 or -1. */
int shipment_list_for_tckn(db *d, const char *tckn,
			   void (*cb)(void *ctx, const struct shipment_summary *s), void *ctx);

#endif
