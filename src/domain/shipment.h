/* Shipments of a produced card to its holder (Adım 7, "Kurye Takip"): the
 * statuses a courier reports, which may follow which, and what each means
 * for the application. Pure rules: no I/O. */
#ifndef EIMZA_DOMAIN_SHIPMENT_H
#define EIMZA_DOMAIN_SHIPMENT_H

#include "domain/application.h"

/* A shipment's status; names are the stored and API values ("durum"). */
enum ship_status {
	SHIP_YOLDA,	/* handed to the courier, in transit */
	SHIP_DAGITIMDA, /* out for delivery */
	SHIP_TESLIM,	/* delivered to the holder: closed */
	SHIP_IADE,	/* returned to the CA: closed; the card is shipped again */
	SHIP__MAX
};

/* "yolda", "dagitimda", "teslim", "iade"; "?" if bad. Static string. */
const char *ship_status_name(enum ship_status s);
/* The status of a name (exact), or -1 (also for NULL). */
int ship_status_parse(const char *name);
/* "Yolda", "Dağıtımda", "Teslim edildi", "İade edildi"; NULL if bad. */
const char *ship_status_label_tr(enum ship_status s);
/* 1 for a shipment that accepts no further event (TESLIM, IADE), else 0. */
int ship_status_is_closed(enum ship_status s);

/*
 * 1 when a courier may report `ev` for a shipment now in `from`, else 0.
 * Events keep their order yolda -> dagitimda -> teslim: a status may repeat
 * (another hub, another delivery attempt) but never go back, and a closed
 * shipment accepts nothing. A return (iade) may come from yolda or
 * dagitimda.
 */
int ship_event_allowed(enum ship_status from, enum ship_status ev);

/* The application event a courier event causes: EV_DELIVERED for TESLIM,
 * -1 (none; the application stays SHIPPED) for the others. */
int ship_event_app_event(enum ship_status ev);

/* The audit action of a courier event that does not change the
 * application: "returned" for IADE, "courier_event" otherwise. */
const char *ship_event_action(enum ship_status ev);

/* What handing a card to the courier is, for an application in `state`
 * whose newest shipment is `last` (has_last 0: none yet). */
enum ship_dispatch {
	SHIP_REFUSED, /* not now: not produced, already on its way, or delivered */
	SHIP_FIRST,   /* PRODUCED: the application becomes SHIPPED */
	SHIP_AGAIN,   /* SHIPPED and the last shipment came back: a new one, same state */
};
enum ship_dispatch ship_dispatch(enum app_state state, int has_last, enum ship_status last);

/* 1 when the operator may record delivery of an application in `state`
 * whose newest shipment is `last`: SHIPPED and that shipment still open. */
int ship_may_deliver(enum app_state state, int has_last, enum ship_status last);

/* 1 for a tracking number: 4..40 characters of [A-Za-z0-9-]. */
int ship_tracking_no_valid(const char *s);

#endif
