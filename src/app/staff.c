/* Staff accounts: console sign-in and the administrators' changes. */
#include "app/staff.h"

#include <sodium.h>
#include <string.h>

#include "app/signin.h"
#include "domain/totp.h"
#include "store/audit.h"
#include "util/log.h"

const char staff_signin_failure[] =
	"Giriş yapılamadı: kullanıcı adı, parola ya da doğrulama kodu hatalı olabilir. Art arda "
	"hatalı denemelerden sonra yeni denemeler bir süre bekletilir ve resimdeki yazı sorulur.";

int staff_totp_required(enum staff_role role)
{
	/* Every role: an authority's approval is as weighty as an operator's. */
	(void)role;
	return 1;
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

/* Counts a failure of a (never locking it: the delays are per address, see
 * app/staff_throttle.h) with its audit record, in a transaction of its
 * own; errors are logged, the caller refuses anyway. */
static void account_failed(struct uc_ctx *c, const struct staff_account *a, const char *what)
{
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return;
	if (staff_account_failed(c->d, a->id) < 0 ||
	    audit_account(c, account_actor(c, a), a->username, "login_failed", what) != 0) {
		log_error("konsol: recording a failed login failed: %s", db_errmsg(c->d));
		rc = UC_ERROR;
	}
	uc_end(c, rc);
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
	int usable = rc == 0 && !a->disabled;
	if (usable && ok)
		return UC_OK;
	if (usable)
		account_failed(c, a, "parola");
	return uc_fail(c, UC_FORBIDDEN, NULL, staff_signin_failure);
}

enum uc_rc staff_signin_totp(struct uc_ctx *c, struct staff_account *a, const char *enrol_secret,
			     const char *code)
{
	unsigned char key[64];
	const char *enrol = a->totp[0] == '\0' ? enrol_secret : NULL;
	const char *secret = a->totp[0] != '\0' ? a->totp : enrol;
	int keylen = secret != NULL ? totp_base32_decode(secret, key, sizeof key) : -1;
	int64_t step = keylen > 0 ? totp_verify(key, (size_t)keylen, code, c->now, a->last_step)
				  : -1;
	sodium_memzero(key, sizeof key);
	if (step < 0) {
		account_failed(c, a, "dogrulama_kodu");
		return uc_fail(c, UC_FORBIDDEN, NULL, staff_signin_failure);
	}
	return staff_signin_complete(c, a, enrol, step);
}

/* A session is valid while it carries the account's login_at, so each new
 * stamp must differ from the last one: two sign-ins within one second would
 * otherwise share it and the older session would live on. */
static int64_t login_stamp(int64_t now, const struct staff_account *a)
{
	return now > a->login_at ? now : a->login_at + 1;
}

enum uc_rc staff_signin_complete(struct uc_ctx *c, const struct staff_account *a,
				 const char *enrol_secret, int64_t step)
{
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	c->now = login_stamp(c->now, a);
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
	const char *problem = staff_password_problem(password);
	if (problem != NULL)
		return uc_fail(c, UC_INVALID, "parola", problem);
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

/* ---- passwords ---- */

/* Hashes password and stores it for account id with login_at, with the
 * audit record `action` by c->actor, in one transaction. The hash is made
 * before the transaction so the database is not held during Argon2id. */
static enum uc_rc store_password(struct uc_ctx *c, int64_t id, const char *username,
				 const char *password, int64_t login_at, const char *action)
{
	char hash[crypto_pwhash_STRBYTES];
	if (staff_password_hash(password, hash) != 0) {
		log_error("konsol: hashing a new password failed (out of memory)");
		return UC_ERROR;
	}
	enum uc_rc rc = uc_begin(c);
	if (rc == UC_OK) {
		int st = staff_set_password_hash(c->d, id, hash, login_at);
		if (st == 1)
			rc = uc_fail(c, UC_NOT_FOUND, NULL, "Hesap bulunamadı.");
		else if (st != 0 || audit_account(c, c->actor, username, action, NULL) != 0)
			rc = UC_ERROR;
		rc = uc_end(c, rc);
	}
	sodium_memzero(hash, sizeof hash);
	return rc;
}

enum uc_rc staff_password_change(struct uc_ctx *c, int64_t id, const char *current,
				 const char *fresh, const char *again)
{
	struct staff_account a;
	if (current == NULL || *current == '\0')
		return uc_fail(c, UC_INVALID, "mevcut_parola", "Mevcut parolanızı giriniz.");
	const char *problem = staff_password_problem(fresh);
	if (problem != NULL)
		return uc_fail(c, UC_INVALID, "yeni_parola", problem);
	if (again == NULL || strcmp(fresh, again) != 0)
		return uc_fail(c, UC_INVALID, "yeni_parola_tekrar",
			       "Yeni parola ile tekrarı aynı olmalıdır.");
	int rc = staff_account_load(c->d, NULL, id, &a);
	if (rc != 0) {
		staff_account_wipe(&a);
		return rc < 0 ? UC_ERROR : uc_fail(c, UC_NOT_FOUND, NULL, "Hesap bulunamadı.");
	}
	enum uc_rc out;
	if (!signin_secret_ok(a.hash, current)) {
		account_failed(c, &a, "parola_degisikligi");
		out = uc_fail(c, UC_FORBIDDEN, "mevcut_parola", "Mevcut parola hatalı.");
	} else if (strcmp(current, fresh) == 0) {
		out = uc_fail(c, UC_INVALID, "yeni_parola",
			      "Yeni parola mevcut parolanızdan farklı olmalıdır.");
	} else {
		c->actor = account_actor(c, &a);
		/* login_at = now: this session goes on (the caller stamps it),
		 * every other session of the account ends. */
		c->now = login_stamp(c->now, &a);
		out = store_password(c, a.id, a.username, fresh, c->now, "password_changed");
	}
	staff_account_wipe(&a);
	return out;
}

enum uc_rc staff_password_reset(struct uc_ctx *c, int64_t self_id, int64_t id, const char *password)
{
	struct staff_user u;
	if (id == self_id)
		return uc_fail(c, UC_INVALID, NULL,
			       "Kendi parolanızı \"Parolamı Değiştir\" sayfasından değiştiriniz.");
	int found = id > 0 ? staff_user_load(c->d, c->a, id, &u) : 1;
	if (found != 0)
		return found < 0 ? UC_ERROR : uc_fail(c, UC_NOT_FOUND, NULL, "Hesap bulunamadı.");
	const char *problem = staff_password_problem(password);
	if (problem != NULL)
		return uc_fail(c, UC_INVALID, "parola", problem);
	enum uc_rc rc = store_password(c, id, u.username, password, 0, "staff_password_reset");
	if (rc == UC_OK)
		log_info("konsol: %s staff_password_reset %s", c->actor, u.username);
	return rc;
}
