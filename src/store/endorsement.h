/* Institution endorsements (table `endorsements`, migration
 * 0012_journey2_endorsements): the one-time links sent to an institution's
 * official address, by the keyed hash of their token, and whether an
 * application has been endorsed. The repository of app/endorse.c. */
#ifndef EIMZA_STORE_ENDORSEMENT_H
#define EIMZA_STORE_ENDORSEMENT_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

struct endorsement {
	int64_t id, application_id;
	const char *email; /* the address the link was sent to */
	int64_t created_at, expires_at;
	int64_t used_at;			      /* 0: not used */
	const char *principal_name, *principal_title; /* NULL until used */
};

/* Stores a new link for application_id (token_hash: 64 hex). 0 or -1. */
int endorsement_insert(db *d, int64_t application_id, const char *token_hash, const char *email,
		       int64_t now, int64_t expires_at);

/* The link whose token hashes to token_hash (strings in ar). 0 found, 1
 * not found, -1 error. */
int endorsement_find(db *d, arena *ar, const char *token_hash, struct endorsement *out);

/* Marks link id used by the principal, only if it is still unused: 0 when
 * this call used it, 1 when it was used meanwhile, -1 on error. */
int endorsement_use(db *d, int64_t id, const char *name, const char *title, const char *client_ip,
		    int64_t now);

/* 1 when some link of application_id has been used, 0 when none, -1 on
 * error. */
int endorsement_received(db *d, int64_t application_id);
/* 1 when a link was sent for application_id (used or not), 0 when none,
 * -1 on error. */
int endorsement_offered(db *d, int64_t application_id);

/* The official e-mail address (institutions.resmi_eposta) of institution
 * kurum_kodu as an arena copy; "" when unknown. 0 found, 1 not found, -1
 * error. */
int endorsement_institution_email(db *d, arena *ar, const char *kurum_kodu, const char **email);

#endif
