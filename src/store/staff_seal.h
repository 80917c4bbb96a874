/* Staff TOTP secrets at rest: sealed with a subkey of the server's master
 * secret (util/seal.h) by staff.c; this seals the ones that an older
 * version stored in clear. */
#ifndef EIMZA_STORE_STAFF_SEAL_H
#define EIMZA_STORE_STAFF_SEAL_H

#include "store/db.h"

/* Seals every clear TOTP secret in one transaction. Returns how many were
 * sealed, or -1 (nothing changed). */
int staff_totp_seal_all(db *d);

#endif
