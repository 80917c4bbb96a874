/* The sign-in rules shared by the three logins: the applicant portal
 * (/basvuru, Adım 1), NES Bireysel (/bireysel) and the staff console
 * (/konsol).
 *
 * Why here and not in identity/lockout.c: lockout.c is storage (a counter
 * and a lock end per (scope, key), whoever asks). Which pairs a login
 * counts, with which limits (config keys login.*), what a locked-out user
 * reads, and that an unknown name must cost the same Argon2id time as a
 * known one are sign-in policy; it combines the lockout store,
 * configuration and password hashing, so it is a rule of the application
 * layer and sits beside the use cases that apply it (app/staff.c for the
 * console). The console keeps its own per-account counter in staff_users
 * (see app/staff.h): that is account state shown and cleared by the
 * administrators, not a per-address lockout. */
#ifndef EIMZA_APP_SIGNIN_H
#define EIMZA_APP_SIGNIN_H

#include <stdint.h>

#include "app/app.h"

/* Failures count within this many seconds of the first one. */
#define SIGNIN_WINDOW 3600

/* The lockout pairs of one attempt: the client address and, when the
 * person is known well enough to count (a valid T.C. Kimlik No), the
 * person. person_key NULL: only the address counts. */
struct signin_keys {
	const char *ip_scope, *ip_key;
	const char *person_scope, *person_key;
};

/* The portal's pairs: scope "ip" with the address, scope "tckn" with the
 * number (hashed by lockout.c). Strings are borrowed or in arena a. */
void signin_portal_keys(arena *a, const char *ip, const char *tckn, struct signin_keys *k);
/* NES Bireysel's pairs: scope "bireysel" with "ip:<address>" and
 * "tckn:<keyed hash of the number>" (no person key for an invalid number or
 * without a server secret). Strings in arena a. */
void signin_holder_keys(arena *a, const char *ip, const char *tckn, struct signin_keys *k);

/* UC_OK when neither pair is locked at c->now; otherwise UC_LIMITED with
 * c->message "Çok fazla hatalı deneme. Lütfen HH:MM'den sonra deneyin."
 * (the later lock end, Türkiye time; arena text). A database error reading
 * a lock is logged and counts as not locked. */
enum uc_rc signin_check_lock(struct uc_ctx *c, const struct signin_keys *k);

/* Counts one failed attempt: always for the address (limit
 * login.max_failures_ip) and, when with_person is set and there is a person
 * key, for the person (login.max_failures_tckn); failures count within an
 * hour of the first, and reaching a limit locks the pair for
 * login.lockout_seconds. Errors are logged by lockout.c. */
void signin_failed(struct uc_ctx *c, const struct signin_keys *k, int with_person);

/* A successful sign-in: forgets the person's failures (the address keeps
 * its own, so one address cannot try many people freely). */
void signin_succeeded(struct uc_ctx *c, const struct signin_keys *k);

/* 1 if secret matches the Argon2id hash (libsodium crypto_pwhash_str). With
 * hash NULL (no such account or holder) the secret is verified against a
 * dummy hash made once per process with the same parameters, so an unknown
 * name costs the same time as a wrong secret; the answer is then 0. A NULL
 * secret never matches. */
int signin_secret_ok(const char *hash, const char *secret);

/* The worker's job: deletes the failed-login rows whose window has ended
 * under every login (SIGNIN_WINDOW, konsol.failure_window) and that hold
 * nothing (identity/lockout.h lockout_purge). */
void signin_purge_job(db *d, int64_t now);
#define SIGNIN_PURGE_PERIOD 3600

#endif
