/* Sealed text: a short secret (a staff TOTP key) encrypted at rest with a
 * subkey of the server's master secret (util/secret.h), so that a copy of
 * the database alone does not yield it. Stored form:
 * "s1:" base64url(nonce || XSalsa20-Poly1305 box), libsodium secretbox. */
#ifndef EIMZA_SEAL_H
#define EIMZA_SEAL_H

#include <stddef.h>

#include "util/secret.h"

#define SEAL_PREFIX "s1:"

/* 1 when stored is in the sealed form. */
int seal_is_sealed(const char *stored);
/* Seals plain into out (NUL-terminated). 0, or -1 (no secret, too long). */
int seal_text(enum secret_purpose p, const char *plain, char *out, size_t outlen);
/* Opens a sealed value into out. 0; 1 when stored is not sealed (a value
 * from before sealing: copied as it is); -1 when it does not open (wrong
 * key, tampered) or out is too small. */
int seal_open(enum secret_purpose p, const char *stored, char *out, size_t outlen);

#endif
