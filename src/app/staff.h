/* Staff accounts: the console sign-in (password, then for every role a
 * TOTP code), passwords (changed by their owner, reset by an administrator)
 * and the administrators' account changes. Each change is one transaction
 * with its audit record (object "staff:<username>").
 *
 * Failures never lock an account: the delays, the CAPTCHA and the bound on
 * parallel Argon2id checks are the web layer's use of app/staff_throttle.h.
 * The time equaliser for unknown names is the one of app/signin.h. */
#ifndef EIMZA_APP_STAFF_H
#define EIMZA_APP_STAFF_H

#include "app/app.h"
#include "store/staff.h"

/* The one message of every failed console sign-in. */
extern const char staff_signin_failure[];

/* 1 when an account with this role needs the TOTP step: every role
 * (institution authorities, operators, administrators). */
int staff_totp_required(enum staff_role role);

/* The password step. UC_OK: the password is right and the account enabled;
 * *a holds the account (the caller wipes it with
 * staff_account_wipe whatever the result). UC_INVALID: a name or password
 * is missing (c->message). UC_FORBIDDEN: unknown name, disabled or wrong
 * password, all alike (c->message is staff_signin_failure); a wrong
 * password of an enabled account is counted (failed_count) and audited
 * ("login_failed", detail "parola") in a transaction of its own. UC_ERROR: the account could not be read. */
enum uc_rc staff_signin_password(struct uc_ctx *c, const char *username, const char *password,
				 struct staff_account *a);

/* The TOTP step of account a (loaded by the caller). The code is checked
 * against the enrolled secret or, when a has none, against enrol_secret
 * (the one being enrolled; may be NULL). UC_OK: the sign-in is complete
 * (see staff_signin_complete). UC_FORBIDDEN: wrong code, counted and
 * audited like a wrong password (detail "dogrulama_kodu"). UC_CONFLICT or
 * UC_ERROR: from completing it. */
enum uc_rc staff_signin_totp(struct uc_ctx *c, struct staff_account *a, const char *enrol_secret,
			     const char *code);

/* Records a completed sign-in at c->now in one transaction: counters
 * cleared, last_login_at and login_at set (the session must carry c->now),
 * the TOTP step kept (never lowered), the enrolled secret stored when
 * enrol_secret is not NULL, audit "login" or "totp_enrolled_login".
 * UC_CONFLICT when a concurrent sign-in used the same or a later step. */
enum uc_rc staff_signin_complete(struct uc_ctx *c, const struct staff_account *a,
				 const char *enrol_secret, int64_t step);

/* Creates an account (audit "staff_created", detail "rol <role>[, yetki
 * birimi <scope>]"). role is the form's text. UC_INVALID with c->message for
 * an unknown role or what staff_add refuses; UC_CONFLICT when the name is
 * taken; UC_ERROR when it could not be recorded. */
enum uc_rc staff_user_create(struct uc_ctx *c, const char *username, const char *role,
			     const char *scope, const char *password);

/* Disables, enables (and unlocks) or resets the TOTP of account id (which
 * ends its sessions; the next sign-in enrols a new secret), as
 * administrator self_id (audit "staff_disabled", "staff_enabled",
 * "staff_totp_reset"). UC_INVALID: disabling one's own account;
 * UC_NOT_FOUND: no such account ("Hesap bulunamadı."); UC_ERROR. */
enum uc_rc staff_user_update(struct uc_ctx *c, int64_t self_id, int64_t id,
			     enum staff_change change);

/* The owner's password change of account id: current password, the new
 * one twice. UC_INVALID or UC_FORBIDDEN with c->field ("mevcut_parola",
 * "yeni_parola", "yeni_parola_tekrar") and c->message: a field missing, the
 * new password refused by the policy (store/staff.h) or unlike its repeat
 * or the current one, the current password wrong (counted and audited like
 * a failed login, detail "parola_degisikligi"). UC_OK: stored with
 * login_at = c->now, which ends every other session of the account (the
 * caller stamps its own session with c->now); audit "password_changed" by
 * the account itself. The caller holds the Argon2id gate
 * (staff_hash_enter): this checks one hash and makes another. */
enum uc_rc staff_password_change(struct uc_ctx *c, int64_t id, const char *current,
				 const char *fresh, const char *again);

/* An administrator (self_id, c->actor) gives account id a new password
 * (typically generated), ending every session of that account; audit
 * "staff_password_reset". UC_INVALID: one's own account (use the change
 * page) or a password the policy refuses (c->field "parola"); UC_NOT_FOUND;
 * UC_ERROR. */
enum uc_rc staff_password_reset(struct uc_ctx *c, int64_t self_id, int64_t id,
				const char *password);

#endif
