/* Staff accounts: console sign-in and the administrators' changes. */
#include "app/staff.h"

#include <sodium.h>
#include <string.h>

#include "app/signin.h"
#include "domain/totp.h"
#include "store/audit.h"
#include "util/log.h"

const char staff_signin_failure[] =
	"Giriş yapılamadı: kullanıcı adı, parola ya da doğrulama kodu hatalı olabilir veya hesap "
	"geçici olarak kilitlenmiş olabilir. Art arda hatalı denemelerden sonra hesap 15 dakika "
	"kilitlenir.";

int staff_totp_required(enum staff_role role)
{
	return role != STAFF_YETKILI;
}

/* "operator:ali": the account acting on itself. */
static const char *account_actor(struct uc_ctx *c, const struct staff_account *a)
{
	return arena_printf(c->a, "%s:%s", staff_role_name(a->role), a->username);
}

static int audit_account(struct uc_ctx *c, const char *actor, const char *username,
			 const char *action, const char *detail)
{
	return audit_append(c->d, &(struct audit_entry){
					  .actor = actor,
					  .client_ip = c->client_ip,
					  .object = arena_printf(c->a, "staff:%s", username),
					  .action = action,
					  .detail = detail});
}

/* Counts a failure of a (locking it at the limit) with its audit record, in
 * a transaction of its own; errors are logged, the caller refuses anyway. */
static void account_failed(struct uc_ctx *c, const struct staff_account *a, const char *what)
{
	int lock = a->failed + 1 >= STAFF_MAX_FAILURES;
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return;
	if (staff_account_failed(c->d, a->id, lock ? c->now + STAFF_LOCK_SECONDS : 0) < 0 ||
	    audit_account(c, account_actor(c, a), a->username,
			  lock ? "login_locked" : "login_failed", what) != 0) {
		log_error("konsol: recording a failed login failed: %s", db_errmsg(c->d));
		rc = UC_ERROR;
	}
	uc_end(c, rc);
	if (lock)
		log_warn("konsol: account %s locked after %d failures", a->username,
			 STAFF_MAX_FAILURES);
}

enum uc_rc staff_signin_password(struct uc_ctx *c, const char *username, const char *password,
				 struct staff_account *a)
{
	memset(a, 0, sizeof *a);
	if (username == NULL || password == NULL || *username == '\0' || *password == '\0')
		return uc_fail(c, UC_INVALID, NULL, "Kullanıcı adı ve parola gereklidir.");
	int rc = staff_account_load(c->d, username, 0, a);
	if (rc < 0)
		return UC_ERROR;
	int ok = signin_secret_ok(rc == 0 ? a->hash : NULL, password);
	int usable = rc == 0 && !a->disabled && a->locked_until <= c->now;
	if (usable && ok)
		return UC_OK;
	if (usable)
		account_failed(c, a, "parola");
	return uc_fail(c, UC_FORBIDDEN, NULL, staff_signin_failure);
}

enum uc_rc staff_signin_totp(struct uc_ctx *c, struct staff_account *a, const char *enrol_secret,
			     const char *code, int *restart)
{
	unsigned char key[64];
	const char *enrol = a->totp[0] == '\0' ? enrol_secret : NULL;
	const char *secret = a->totp[0] != '\0' ? a->totp : enrol;
	int keylen = secret != NULL ? totp_base32_decode(secret, key, sizeof key) : -1;
	int64_t step = keylen > 0 ? totp_verify(key, (size_t)keylen, code, c->now, a->last_step)
				  : -1;
	sodium_memzero(key, sizeof key);
	*restart = 0;
	if (a->locked_until > c->now || step < 0) {
		if (a->locked_until <= c->now)
			account_failed(c, a, "dogrulama_kodu");
		*restart = a->locked_until > c->now || a->failed + 1 >= STAFF_MAX_FAILURES;
		return uc_fail(c, UC_FORBIDDEN, NULL, staff_signin_failure);
	}
	return staff_signin_complete(c, a, enrol, step);
}

enum uc_rc staff_signin_complete(struct uc_ctx *c, const struct staff_account *a,
				 const char *enrol_secret, int64_t step)
{
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	int st = staff_account_signed_in(c->d, a->id, c->now,
					 step > a->last_step ? step : a->last_step, enrol_secret);
	if (st == 1)
		rc = uc_fail(c, UC_CONFLICT, NULL, staff_signin_failure);
	else if (st != 0 ||
		 audit_account(c, account_actor(c, a), a->username,
			       enrol_secret ? "totp_enrolled_login" : "login", NULL) != 0)
		rc = UC_ERROR;
	rc = uc_end(c, rc);
	if (rc != UC_OK)
		log_error("konsol: login of %s could not be recorded: %s", a->username,
			  db_errmsg(c->d));
	return rc;
}

/* ---- administration ---- */

enum uc_rc staff_user_create(struct uc_ctx *c, const char *username, const char *role,
			     const char *scope, const char *password)
{
	char err[256] = "";
	int r = staff_role_parse(role);
	if (r < 0)
		return uc_fail(c, UC_INVALID, NULL, "Geçerli bir rol seçiniz.");
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	int taken = staff_username_taken(c->d, username);
	if (taken != 0) {
		rc = taken > 0 ? uc_fail(c, UC_CONFLICT, NULL,
					 "Bu kullanıcı adıyla bir hesap zaten var.")
			       : UC_ERROR;
	} else if (staff_add(c->d, username, (enum staff_role)r, scope, password, err,
			     sizeof err) != 0) {
		rc = uc_fail(c, UC_INVALID, NULL, arena_strdup(c->a, err));
	} else if (audit_account(c, c->actor, username, "staff_created",
				 arena_printf(c->a, "rol %s%s%s", staff_role_name(r),
					      r == STAFF_YETKILI ? ", yetki birimi " : "",
					      r == STAFF_YETKILI ? scope : "")) != 0) {
		rc = UC_ERROR;
	}
	return uc_end(c, rc);
}

static const char *const change_actions[] = {
	[STAFF_CHANGE_DISABLE] = "staff_disabled",
	[STAFF_CHANGE_ENABLE] = "staff_enabled",
	[STAFF_CHANGE_TOTP_RESET] = "staff_totp_reset",
};

enum uc_rc staff_user_update(struct uc_ctx *c, int64_t self_id, int64_t id,
			     enum staff_change change)
{
	struct staff_user u;
	if ((unsigned)change > STAFF_CHANGE_TOTP_RESET)
		return UC_ERROR;
	if (change == STAFF_CHANGE_DISABLE && id == self_id)
		return uc_fail(c, UC_INVALID, NULL, "Kendi hesabınızı devre dışı bırakamazsınız.");
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	int found = id > 0 ? staff_user_load(c->d, c->a, id, &u) : 1;
	if (found == 1)
		rc = uc_fail(c, UC_NOT_FOUND, NULL, "Hesap bulunamadı.");
	else if (found != 0 || staff_user_change(c->d, id, change) != 0 ||
		 audit_account(c, c->actor, u.username, change_actions[change], NULL) != 0)
		rc = UC_ERROR;
	rc = uc_end(c, rc);
	if (rc == UC_OK)
		log_info("konsol: %s %s %s", c->actor, change_actions[change], u.username);
	return rc;
}
