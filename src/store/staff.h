/* Staff accounts (console users). Passwords are stored as Argon2id hashes
 * (libsodium crypto_pwhash_str); the plain password never leaves the caller. */
#ifndef EIMZA_STAFF_H
#define EIMZA_STAFF_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "domain/totp.h"
#include "store/db.h"
#include "util/arena.h"

enum staff_role { STAFF_YETKILI, STAFF_OPERATOR, STAFF_ADMIN, STAFF_ROLE__MAX };

const char *staff_role_name(enum staff_role r); /* "yetkili", ... */
int staff_role_parse(const char *s);		/* -1 if unknown */

/* 1 if the user name is 3..64 of [a-z0-9._-] and starts with a letter. */
int staff_username_valid(const char *s);
/* NULL if the password is acceptable (domain/password_policy.h: 12..128
 * characters, not in the embedded data/common_passwords.txt), else the
 * Turkish message to show beside the field (static). */
const char *staff_password_problem(const char *pw);
/* 1 if staff_password_problem(pw) is NULL. */
int staff_password_strong(const char *pw);
/* The Argon2id hash (crypto_pwhash_str, interactive limits) of pw. 0 ok,
 * -1 out of memory. */
int staff_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES]);

/* Creates (or replaces the password/role/scope of, ending its sessions) a
 * staff account. `scope` is required for yetkili and must name an authority unit;
 * ignored otherwise. Writes a Turkish message into err on failure. */
int staff_add(db *d, const char *username, enum staff_role role, const char *scope,
	      const char *password, char *err, size_t errlen);

/* Fills `out` (at least 33 bytes) with a random password of 24 characters
 * from an unambiguous alphabet. */
void staff_password_generate(char *out, size_t outlen);

/* ---- repository (table staff_users): 0 ok / 1 not found / -1 error ---- */

/* What the sign-in needs of an account, secrets included: the caller keeps
 * it on its stack and wipes it (staff_account_wipe) when done. */
struct staff_account {
	int64_t id;
	char username[72];
	enum staff_role role;
	char hash[crypto_pwhash_STRBYTES];
	char totp[TOTP_SECRET_B32 + 8]; /* base32, "" when not enrolled */
	int disabled;
	int64_t failed, locked_until, last_step;
	int64_t login_at; /* the stamp the account's live session carries */
};

/* Loads the account named `username` (or, with username NULL, the one with
 * `id`) into a. An unknown role counts as an error (-1). */
int staff_account_load(db *d, const char *username, int64_t id, struct staff_account *a);
void staff_account_wipe(struct staff_account *a);

/* One more failed sign-in (failed_count, for the record: accounts are
 * never locked by failures, see app/staff_throttle.h). */
int staff_account_failed(db *d, int64_t id);

/* Stores a new password hash and sets login_at: 0 ends every session of
 * the account (console_common.c compares the session's login_at), the
 * caller's own login time keeps that one session. 1: no account. */
int staff_set_password_hash(db *d, int64_t id, const char *hash, int64_t login_at);

/* A completed sign-in at `now`: counters cleared, last_login_at and login_at
 * set to now, the TOTP step remembered and, when enrol_secret is not NULL,
 * the secret stored. Only if the stored step is still <= step (a replayed
 * code on another request loses): 1 when it was not. */
int staff_account_signed_in(db *d, int64_t id, int64_t now, int64_t step, const char *enrol_secret);

/* An account as the console shows it (strings in the caller's arena). */
struct staff_user {
	int64_t id;
	const char *username;
	int role;	       /* enum staff_role, -1 when the stored role is unknown */
	const char *role_text; /* the role as stored */
	const char *scope;     /* yetki_birimi, "" when none */
	int disabled, has_totp, has_logged_in;
	int64_t locked_until, last_login_at, login_at;
};

/* The account with `id`. */
int staff_user_load(db *d, arena *a, int64_t id, struct staff_user *u);
/* Every account, by user name: *out is an arena array of *n entries. */
int staff_user_list(db *d, arena *a, struct staff_user **out, size_t *n);
/* 1 if an account named username exists, 0 if not, -1 on error. */
int staff_username_taken(db *d, const char *username);

enum staff_change { STAFF_CHANGE_DISABLE, STAFF_CHANGE_ENABLE, STAFF_CHANGE_TOTP_RESET };
/* Disables; enables (and unlocks: counters cleared); or forgets the TOTP
 * secret of account id (re-enrolment at the next sign-in, every session of
 * the account ended). 1: no account. */
int staff_user_change(db *d, int64_t id, enum staff_change change);

/* The authority units a yetkili's scope may name (code, name), by code:
 * arena arrays of *n entries. */
struct staff_unit {
	const char *code, *name;
};
int staff_units(db *d, arena *a, struct staff_unit **out, size_t *n);

#endif
