/* Produced and blank cards, and queued productions (tables card_tokens,
 * card_jobs; migration 0014_card_tokens.sql). PINs only sealed
 * (pki/card_pins.h). Calls run inside the caller's transaction where a use
 * case needs one. */
#ifndef EIMZA_STORE_CARD_H
#define EIMZA_STORE_CARD_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

enum card_status { CARD_NONE, CARD_BLANK, CARD_PRODUCED };

struct card_row {
	enum card_status status;
	int64_t application_id; /* 0 for a blank card */
	const char *certificate_serial, *so_pin_sealed, *transport_pin_sealed;
	int64_t shipped_at; /* 0: not shipped */
};

/* The row of token serial (strings in ar): 0 found, 1 none (status
 * CARD_NONE), -1 error. */
int card_load(db *d, arena *ar, const char *serial, struct card_row *out);
/* Records a produced card (insert, or update of its blank row). 0, 1 when
 * the card is already produced or the certificate recorded, -1 error. */
int card_record_produced(db *d, const char *serial, int64_t application_id,
			 const char *certificate_serial, const char *so_sealed,
			 const char *transport_sealed, const char *by, int64_t now);
/* Records (or refreshes) a blank card's sealed SO PIN; never turns a
 * produced card blank. 0, 1 produced, -1 error. */
int card_record_blank(db *d, const char *serial, const char *so_sealed, int64_t now);
/* The produced card of an application is handed to the courier: 0 marked
 * (or the application has no produced card: nothing to mark), 1 its card
 * was already shipped, -1 error. */
int card_mark_shipped(db *d, int64_t application_id, int64_t now);
/* The produced card of an application: its token serial and certificate
 * serial (in ar). 0 found, 1 none, -1 error. */
int card_of_application(db *d, arena *ar, int64_t application_id, const char **token_serial,
			const char **certificate_serial);
/* 1 when the application has a produced card, 0 not, -1 error. */
int card_produced_for(db *d, int64_t application_id);

/* Queues a production: 0, 1 already queued, -1 error. */
int card_job_add(db *d, int64_t application_id, const char *by, int64_t now);
/* Removes the job (done); 0 or -1. */
int card_job_remove(db *d, int64_t application_id);
/* The oldest queued application: 0 (*id set), 1 none, -1 error. */
int card_job_next(db *d, int64_t *application_id);
/* 1 when queued, 0 not, -1 error. */
int card_job_queued(db *d, int64_t application_id);

#endif
