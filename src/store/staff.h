/* Staff accounts (console users). Passwords are stored as Argon2id hashes
 * (libsodium crypto_pwhash_str); the plain password never leaves the caller. */
#ifndef EIMZA_STAFF_H
#define EIMZA_STAFF_H

#include <stddef.h>

#include "store/db.h"

enum staff_role { STAFF_YETKILI, STAFF_OPERATOR, STAFF_ADMIN, STAFF_ROLE__MAX };

const char *staff_role_name(enum staff_role r); /* "yetkili", ... */
int staff_role_parse(const char *s);            /* -1 if unknown */

/* 1 if the user name is 3..64 of [a-z0-9._-] and starts with a letter. */
int staff_username_valid(const char *s);
/* 1 if the password is acceptable (12..128 bytes, not all one class). */
int staff_password_strong(const char *pw);

/* Creates (or, with `update`, replaces the password/role/scope of) a staff
 * account. `scope` is required for yetkili and must name an authority unit;
 * ignored otherwise. Writes a Turkish message into err on failure. */
int staff_add(db *d, const char *username, enum staff_role role, const char *scope,
	      const char *password, char *err, size_t errlen);

/* Fills `out` (at least 33 bytes) with a random password of 24 characters
 * from an unambiguous alphabet. */
void staff_password_generate(char *out, size_t outlen);

#endif
