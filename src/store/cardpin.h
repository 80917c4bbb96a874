/* The card's sealed PINs and the holder's one-time PIN authorizations
 * (tables card_pins and pin_authorizations, migration 0011; issue 14).
 * Functions return 0 ok, 1 not found (or already there), -1 error, like the
 * other repositories. Sealed PINs are opaque bytes here: only the signer
 * opens them (pki/pinseal.h). */
#ifndef EIMZA_STORE_CARDPIN_H
#define EIMZA_STORE_CARDPIN_H

#include <stddef.h>
#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

enum pin_purpose {
	PIN_PURPOSE_SET,     /* "SET_PIN": releases the transport PIN */
	PIN_PURPOSE_UNBLOCK, /* "UNBLOCK": releases the SO PIN (Kilit Çözme) */
	PIN_PURPOSE__MAX
};
extern const char *const pin_purpose_names[PIN_PURPOSE__MAX];
/* The purpose named s, or -1. */
int pin_purpose_parse(const char *s);

/* Records the sealed PINs of the card made for application_id (card
 * production calls this inside its transaction). 1 when that application
 * already has a card. */
int cardpin_store(db *d, int64_t application_id, const char *token_serial,
		  const unsigned char *transport_sealed, size_t tlen,
		  const unsigned char *so_sealed, size_t slen, int64_t now);
/* The token serial and the sealed PIN for purpose (arena copies). 1: no
 * card recorded for the application. */
int cardpin_load(db *d, arena *ar, int64_t application_id, enum pin_purpose purpose,
		 const char **token_serial, const unsigned char **sealed, size_t *len);

/* The id of the application numbered number ("2026-000001"). */
int cardpin_application_id(db *d, const char *number, int64_t *id);

/* Stores a new authorization (hash_hex: 64 hex characters). */
int pinauth_insert(db *d, int64_t application_id, enum pin_purpose purpose, const char *hash_hex,
		   int64_t now, int64_t expires_at);
/* Marks the authorization with this hash used, if it is unused and not
 * expired at now, and gives its application and purpose. 1: unknown, used
 * or expired (one answer for all three). */
int pinauth_consume(db *d, const char *hash_hex, int64_t now, int64_t *application_id,
		    enum pin_purpose *purpose);

#endif
