/* The holder's card PIN (issue 14, docs/SECURITY.md "PIN setting"): the
 * one-time authorization /bireysel/pin gives after e-Devlet sign-in, and
 * its exchange for the card's transport PIN (or SO PIN, "Kilit Çözme") by
 * `eimza card set-pin` through POST /api/v1/kart/pin.
 *
 * The authorization is 16 characters of [A-HJ-NP-Z2-9] (80 bits), shown
 * once as XXXX-XXXX-XXXX-XXXX; only its BLAKE2b-256 hash is stored. It
 * lives card.pin_code_minutes (10) and is used once. */
#ifndef EIMZA_APP_CARDPIN_H
#define EIMZA_APP_CARDPIN_H

#include <stddef.h>

#include "app/app.h"
#include "store/cardpin.h"

#define PIN_CODE_LEN 16
#define PIN_CODE_SHOWN (PIN_CODE_LEN + 3) /* with the three dashes */

/* Normalises a typed authorization (case, dashes and spaces ignored) into
 * out. 0, or -1 when it is not PIN_CODE_LEN characters of the alphabet. */
int pin_code_normalize(const char *in, char out[PIN_CODE_LEN + 1]);

/* A new authorization for the holder's card: the holder record must be
 * DELIVERED and its card recorded (card_pins). The code, dashed, goes to
 * shown (never stored). UC_OK; UC_CONFLICT (not delivered / no card on
 * record: c->message says); UC_ERROR. Writes the audit record. */
enum uc_rc uc_pin_authorize(struct uc_ctx *c, const struct application *holder,
			    enum pin_purpose purpose, char shown[PIN_CODE_SHOWN + 1]);

/* Consumes the authorization code and has the signer open the card's PIN
 * for its purpose, if the card's token serial equals token_serial. The PIN
 * goes to pin (caller wipes). UC_OK; UC_FORBIDDEN (unknown, used or expired
 * code, or another card: one message); UC_ERROR (signer refused or gone).
 * The authorization stays used whatever happens after it was found. */
enum uc_rc uc_pin_exchange(struct uc_ctx *c, const char *code, const char *token_serial,
			   enum pin_purpose *purpose, char *pin, size_t pinlen);

#endif
