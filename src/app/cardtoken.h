/* The holder's card on the holder's computer, through any PKCS#11 module
 * (raw Cryptoki via C_GetFunctionList, as pki/p11gen.c does): its serial,
 * the user PIN change with the transport PIN, and "Kilit Çözme" (a new user
 * PIN set by the Security Officer). Used by `eimza card set-pin|unblock`. */
#ifndef EIMZA_APP_CARDTOKEN_H
#define EIMZA_APP_CARDTOKEN_H

#include <stddef.h>

struct cardtoken;

/* Loads module and picks the token: the slot with this id when slot >= 0,
 * otherwise the only slot with a token present. NULL with err. */
struct cardtoken *cardtoken_open(const char *module, long slot, char *err, size_t n);
void cardtoken_close(struct cardtoken *t);
/* The token's serial number (CK_TOKEN_INFO.serialNumber, trailing blanks
 * removed), valid until close. */
const char *cardtoken_serial(const struct cardtoken *t);
/* Logs in as the user with old_pin and changes the user PIN to new_pin
 * (C_SetPIN). 0, or -1 with a Turkish err (wrong PIN, locked card...). */
int cardtoken_set_pin(struct cardtoken *t, const char *old_pin, const char *new_pin, char *err,
		      size_t n);
/* Logs in as the Security Officer with so_pin and sets the user PIN to
 * new_pin (C_InitPIN), which also clears the card's lock. 0 or -1 (err). */
int cardtoken_unblock(struct cardtoken *t, const char *so_pin, const char *new_pin, char *err,
		      size_t n);

#endif
