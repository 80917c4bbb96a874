/* Staff accounts (app/staff.c) and the sign-in rules shared by the three
 * logins (app/signin.c): password and TOTP steps, the per-account lockout,
 * account changes with their audit rows, the portal and NES Bireysel
 * lockout pairs, and the Argon2id comparison. */
#include <sodium.h>

#include "app/signin.h"
#include "app/staff.h"
#include "domain/totp.h"
#include "fixture.h"
#include "identity/lockout.h"

#define PW "Dogru-Parola-2026"

/* Rows of audit_log with `action` for object staff:<username>. */
static int64_t audit_rows(struct fx *f, const char *username, const char *action)
{
	char object[96];
	snprintf(object, sizeof object, "staff:%s", username);
	return db_query_int64(f->d, -1,
			      "SELECT COUNT(*) FROM audit_log WHERE object = $1 AND "
			      "action = $2",
			      object, action, (char *)NULL);
}

static int64_t account_int(struct fx *f, const char *username, const char *column)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT %s FROM staff_users WHERE username = $1", column);
	return db_query_int64(f->d, -1, sql, username, (char *)NULL);
}

static int64_t create(struct fx *f, const char *username, const char *role, const char *scope)
{
	struct uc_ctx *c = fx_ctx(f);
	c->actor = "admin:kurucu";
	assert_int_equal(staff_user_create(c, username, role, scope, PW), UC_OK);
	return account_int(f, username, "id");
}

/* The 6-digit code of `secret` (base32) for time t. */
static void code_at(const char *secret, int64_t t, char out[7])
{
	unsigned char key[64];
	int n = totp_base32_decode(secret, key, sizeof key);
	assert_true(n > 0);
	snprintf(out, 7, "%06lld",
		 (long long)totp_hotp(key, (size_t)n, (uint64_t)totp_step_of(t), 6));
}

static void test_create_and_audit(void **state)
{
	struct fx *f = *state;
	int64_t id = create(f, "ayse.yetkili", "yetkili", "ZONGULDAK-MEM");
	assert_true(id > 0);
	assert_int_equal(audit_rows(f, "ayse.yetkili", "staff_created"), 1);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE actor = "
					"'admin:kurucu' AND detail = 'rol yetkili, yetki "
					"birimi ZONGULDAK-MEM'",
					(char *)NULL),
			 1);
	create(f, "ali.operator", "operator", "");
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE object = "
					"'staff:ali.operator' AND detail = 'rol operator'",
					(char *)NULL),
			 1);
	/* The hash is stored, never the password. */
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM staff_users WHERE "
					"password_hash LIKE '$argon2id$%'",
					(char *)NULL),
			 2);
}

static void test_create_refused(void **state)
{
	struct fx *f = *state;
	create(f, "ali.operator", "operator", NULL);
	assert_int_equal(staff_user_create(fx_ctx(f), "ali.operator", "admin", NULL, PW),
			 UC_CONFLICT);
	assert_string_equal(f->c.message, "Bu kullanıcı adıyla bir hesap zaten var.");
	assert_int_equal(staff_user_create(fx_ctx(f), "veli", "kral", NULL, PW), UC_INVALID);
	assert_string_equal(f->c.message, "Geçerli bir rol seçiniz.");
	assert_int_equal(staff_user_create(fx_ctx(f), "veli", "operator", NULL, "kisa"),
			 UC_INVALID);
	assert_non_null(strstr(f->c.message, "en az 12 karakter"));
	assert_int_equal(staff_user_create(fx_ctx(f), "veli", "yetkili", "YOK-MEM", PW),
			 UC_INVALID);
	assert_non_null(strstr(f->c.message, "--scope"));
	assert_int_equal(staff_user_create(fx_ctx(f), "9veli", "operator", NULL, PW), UC_INVALID);
	/* Nothing refused left an account or an audit row. */
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM staff_users"), 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE action = "
				     "'staff_created'"),
			 1);
	/* The existing account was not overwritten (staff_add upserts). */
	assert_string_equal(f->c.message, "Kullanıcı adı 3-64 karakter olmalı, küçük harfle "
					  "başlamalı ve yalnızca a-z 0-9 . _ - içermelidir.");
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM staff_users WHERE role = "
					"'operator'",
					(char *)NULL),
			 1);
}

static void test_password_step(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	create(f, "ayse.yetkili", "yetkili", "ZONGULDAK-MEM");
	assert_int_equal(staff_signin_password(fx_ctx(f), "ayse.yetkili", PW, &a), UC_OK);
	assert_int_equal(a.role, STAFF_YETKILI);
	assert_false(staff_totp_required(a.role));
	struct uc_ctx *c = fx_ctx(f);
	assert_int_equal(staff_signin_complete(c, &a, NULL, 0), UC_OK);
	assert_int_equal(account_int(f, "ayse.yetkili", "login_at"), c->now);
	assert_int_equal(audit_rows(f, "ayse.yetkili", "login"), 1);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE actor = "
					"'yetkili:ayse.yetkili' AND action = 'login'",
					(char *)NULL),
			 1);
	staff_account_wipe(&a);

	assert_int_equal(staff_signin_password(fx_ctx(f), "ayse.yetkili", "Yanlis-Parola-1", &a),
			 UC_FORBIDDEN);
	assert_string_equal(f->c.message, staff_signin_failure);
	assert_int_equal(account_int(f, "ayse.yetkili", "failed_count"), 1);
	assert_int_equal(audit_rows(f, "ayse.yetkili", "login_failed"), 1);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE action = "
					"'login_failed' AND detail = 'parola'",
					(char *)NULL),
			 1);
	/* Unknown names get the same answer and leave no trace. */
	int64_t before = fx_count(f, "SELECT COUNT(*) FROM audit_log");
	assert_int_equal(staff_signin_password(fx_ctx(f), "kimse", PW, &a), UC_FORBIDDEN);
	assert_string_equal(f->c.message, staff_signin_failure);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), before);
	assert_int_equal(staff_signin_password(fx_ctx(f), "ayse.yetkili", "", &a), UC_INVALID);
	assert_string_equal(f->c.message, "Kullanıcı adı ve parola gereklidir.");
	assert_int_equal(staff_signin_password(fx_ctx(f), NULL, PW, &a), UC_INVALID);
	/* A right password clears the count once the login completes. */
	assert_int_equal(staff_signin_password(fx_ctx(f), "ayse.yetkili", PW, &a), UC_OK);
	assert_int_equal(staff_signin_complete(fx_ctx(f), &a, NULL, 0), UC_OK);
	assert_int_equal(account_int(f, "ayse.yetkili", "failed_count"), 0);
	staff_account_wipe(&a);
}

static void test_lockout(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	create(f, "ali.operator", "operator", NULL);
	for (int i = 1; i <= STAFF_MAX_FAILURES; i++) {
		assert_int_equal(staff_signin_password(fx_ctx(f), "ali.operator", "Yanlis-Parola-1",
						       &a),
				 UC_FORBIDDEN);
		assert_int_equal(account_int(f, "ali.operator", "failed_count"),
				 i < STAFF_MAX_FAILURES ? i : 0);
	}
	int64_t locked_at = f->c.now;
	assert_int_equal(audit_rows(f, "ali.operator", "login_failed"), STAFF_MAX_FAILURES - 1);
	assert_int_equal(audit_rows(f, "ali.operator", "login_locked"), 1);
	assert_int_equal(account_int(f, "ali.operator", "locked_until"),
			 locked_at + STAFF_LOCK_SECONDS);
	/* Locked: even the right password is refused, and not counted. */
	assert_int_equal(staff_signin_password(fx_ctx(f), "ali.operator", PW, &a), UC_FORBIDDEN);
	assert_int_equal(account_int(f, "ali.operator", "failed_count"), 0);
	assert_int_equal(audit_rows(f, "ali.operator", "login_failed"), STAFF_MAX_FAILURES - 1);
	/* After the lock it opens again. */
	struct uc_ctx *c = fx_ctx(f);
	c->now = locked_at + STAFF_LOCK_SECONDS + 1;
	assert_int_equal(staff_signin_password(c, "ali.operator", PW, &a), UC_OK);
	staff_account_wipe(&a);
}

static void test_totp_enrol_and_login(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	char code[7], secret[TOTP_SECRET_B32];
	unsigned char raw[TOTP_SECRET_BYTES];
	int restart = -1;
	create(f, "yonetici", "admin", NULL);
	assert_int_equal(staff_signin_password(fx_ctx(f), "yonetici", PW, &a), UC_OK);
	assert_true(staff_totp_required(a.role));
	assert_string_equal(a.totp, "");
	randombytes_buf(raw, sizeof raw);
	totp_base32_encode(raw, sizeof raw, secret, sizeof secret);

	/* No secret to check against: refused and counted. */
	assert_int_equal(staff_signin_totp(fx_ctx(f), &a, NULL, "123456", &restart), UC_FORBIDDEN);
	assert_int_equal(restart, 0);
	assert_int_equal(audit_rows(f, "yonetici", "login_failed"), 1);
	assert_int_equal(staff_account_load(f->d, NULL, a.id, &a), 0);

	struct uc_ctx *c = fx_ctx(f);
	code_at(secret, c->now, code);
	assert_int_equal(staff_signin_totp(c, &a, secret, code, &restart), UC_OK);
	assert_int_equal(audit_rows(f, "yonetici", "totp_enrolled_login"), 1);
	/* Stored sealed with the instance key, never in clear (issue 12). */
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM staff_users WHERE "
					"totp_secret = $1",
					secret, (char *)NULL),
			 0);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM staff_users WHERE "
					"totp_secret LIKE 's1:%'",
					(char *)NULL),
			 1);
	assert_int_equal(account_int(f, "yonetici", "totp_last_step"), totp_step_of(c->now));
	assert_int_equal(account_int(f, "yonetici", "failed_count"), 0);

	/* The same code again is a replay; a stale enrol secret is ignored. */
	assert_int_equal(staff_account_load(f->d, NULL, a.id, &a), 0);
	assert_string_equal(a.totp, secret);
	assert_int_equal(staff_signin_totp(fx_ctx(f), &a, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", code,
					   &restart),
			 UC_FORBIDDEN);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE action = "
					"'login_failed' AND detail = 'dogrulama_kodu'",
					(char *)NULL),
			 2);
	/* The next step's code logs in (audit "login", no re-enrolment). */
	assert_int_equal(staff_account_load(f->d, NULL, a.id, &a), 0);
	c = fx_ctx(f);
	c->now += TOTP_STEP;
	code_at(secret, c->now, code);
	assert_int_equal(staff_signin_totp(c, &a, NULL, code, &restart), UC_OK);
	assert_int_equal(audit_rows(f, "yonetici", "login"), 1);
	assert_int_equal(account_int(f, "yonetici", "login_at"), c->now);
	staff_account_wipe(&a);
	sodium_memzero(secret, sizeof secret);
}

static void test_totp_lockout_restarts(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	int restart = 0;
	create(f, "ali.operator", "operator", NULL);
	for (int i = 1; i <= STAFF_MAX_FAILURES; i++) {
		assert_int_equal(staff_account_load(f->d, "ali.operator", 0, &a), 0);
		assert_int_equal(staff_signin_totp(fx_ctx(f), &a, NULL, "000000", &restart),
				 UC_FORBIDDEN);
		assert_int_equal(restart, i == STAFF_MAX_FAILURES);
	}
	assert_int_equal(audit_rows(f, "ali.operator", "login_locked"), 1);
	/* Locked: the TOTP step is refused without counting, and restarts. */
	assert_int_equal(staff_account_load(f->d, "ali.operator", 0, &a), 0);
	assert_int_equal(staff_signin_totp(fx_ctx(f), &a, NULL, "000000", &restart), UC_FORBIDDEN);
	assert_int_equal(restart, 1);
	assert_int_equal(audit_rows(f, "ali.operator", "login_failed"), STAFF_MAX_FAILURES - 1);
	staff_account_wipe(&a);
}

static void test_disable_enable_reset(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	int64_t admin = create(f, "yonetici", "admin", NULL);
	int64_t id = create(f, "ali.operator", "operator", NULL);
	struct uc_ctx *c = fx_ctx(f);
	c->actor = "admin:yonetici";
	assert_int_equal(staff_user_update(c, admin, admin, STAFF_CHANGE_DISABLE), UC_INVALID);
	assert_string_equal(c->message, "Kendi hesabınızı devre dışı bırakamazsınız.");
	assert_int_equal(staff_user_update(fx_ctx(f), admin, 999999, STAFF_CHANGE_DISABLE),
			 UC_NOT_FOUND);
	assert_string_equal(f->c.message, "Hesap bulunamadı.");
	assert_int_equal(staff_user_update(fx_ctx(f), admin, 0, STAFF_CHANGE_ENABLE), UC_NOT_FOUND);

	c = fx_ctx(f);
	c->actor = "admin:yonetici";
	assert_int_equal(staff_user_update(c, admin, id, STAFF_CHANGE_DISABLE), UC_OK);
	assert_int_equal(account_int(f, "ali.operator", "disabled"), 1);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE object = "
					"'staff:ali.operator' AND action = 'staff_disabled' "
					"AND actor = 'admin:yonetici'",
					(char *)NULL),
			 1);
	/* Disabled: the right password is refused and not counted. */
	assert_int_equal(staff_signin_password(fx_ctx(f), "ali.operator", PW, &a), UC_FORBIDDEN);
	assert_int_equal(account_int(f, "ali.operator", "failed_count"), 0);

	/* Enabling also unlocks. */
	db_execp(f->d,
		 "UPDATE staff_users SET failed_count = 3, locked_until = 9999999999 "
		 "WHERE username = 'ali.operator'",
		 (char *)NULL);
	assert_int_equal(staff_user_update(fx_ctx(f), admin, id, STAFF_CHANGE_ENABLE), UC_OK);
	assert_int_equal(account_int(f, "ali.operator", "disabled"), 0);
	assert_int_equal(account_int(f, "ali.operator", "locked_until"), 0);
	assert_int_equal(account_int(f, "ali.operator", "failed_count"), 0);
	assert_int_equal(audit_rows(f, "ali.operator", "staff_enabled"), 1);
	assert_int_equal(staff_signin_password(fx_ctx(f), "ali.operator", PW, &a), UC_OK);

	db_execp(f->d,
		 "UPDATE staff_users SET totp_secret = 'ABCDEFGH', totp_last_step = 77 "
		 "WHERE username = 'ali.operator'",
		 (char *)NULL);
	assert_int_equal(staff_user_update(fx_ctx(f), admin, id, STAFF_CHANGE_TOTP_RESET), UC_OK);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM staff_users WHERE totp_secret IS NULL "
				     "AND totp_last_step = 0 AND username = 'ali.operator'"),
			 1);
	assert_int_equal(audit_rows(f, "ali.operator", "staff_totp_reset"), 1);
	staff_account_wipe(&a);
}

static void test_user_list_and_load(void **state)
{
	struct fx *f = *state;
	struct staff_user *users, u;
	struct staff_unit *units;
	size_t n;
	create(f, "zeki.operator", "operator", NULL);
	int64_t id = create(f, "ayse.yetkili", "yetkili", "ZONGULDAK-MEM");
	assert_int_equal(staff_user_list(f->d, f->a, &users, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(users[0].username, "ayse.yetkili");
	assert_int_equal(users[0].role, STAFF_YETKILI);
	assert_string_equal(users[0].scope, "ZONGULDAK-MEM");
	assert_false(users[0].has_logged_in);
	assert_string_equal(users[1].scope, "");
	assert_int_equal(staff_user_load(f->d, f->a, id, &u), 0);
	assert_string_equal(u.username, "ayse.yetkili");
	assert_int_equal(staff_user_load(f->d, f->a, 424242, &u), 1);
	assert_int_equal(staff_units(f->d, f->a, &units, &n), 0);
	assert_true(n >= 2);
	assert_string_equal(units[n - 1].code, "ZONGULDAK-MEM");
}

/* ---- app/signin.c ---- */

static void test_secret_ok(void **state)
{
	char hash[crypto_pwhash_STRBYTES];
	(void)state;
	assert_int_equal(crypto_pwhash_str(hash, "gizli söz", strlen("gizli söz"),
					   crypto_pwhash_OPSLIMIT_INTERACTIVE,
					   crypto_pwhash_MEMLIMIT_INTERACTIVE),
			 0);
	assert_int_equal(signin_secret_ok(hash, "gizli söz"), 1);
	assert_int_equal(signin_secret_ok(hash, "gizli soz"), 0);
	assert_int_equal(signin_secret_ok(hash, NULL), 0);
	assert_int_equal(signin_secret_ok(NULL, "gizli söz"), 0);
	assert_int_equal(signin_secret_ok(NULL, NULL), 0);
}

static void test_portal_lockout(void **state)
{
	struct fx *f = *state;
	struct signin_keys k;
	const char *tckn = store_demo_people(&(size_t){0})->tckn;
	signin_portal_keys(f->a, "10.1.2.3", tckn, &k);
	assert_string_equal(k.ip_scope, "ip");
	assert_string_equal(k.person_scope, "tckn");
	assert_string_equal(k.person_key, tckn);
	/* login.max_failures_tckn (5 by default) person failures lock. */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(signin_check_lock(fx_ctx(f), &k), UC_OK);
		signin_failed(fx_ctx(f), &k, 1);
	}
	assert_int_equal(signin_check_lock(fx_ctx(f), &k), UC_LIMITED);
	assert_non_null(strstr(f->c.message, "Çok fazla hatalı deneme. Lütfen "));
	/* The lock lasts login.lockout_seconds (900 by default). */
	assert_true(lockout_until(f->d, "tckn", tckn, f->c.now) >= f->c.now + 899);
	struct uc_ctx *c = fx_ctx(f);
	c->now += 901;
	assert_int_equal(signin_check_lock(c, &k), UC_OK);
	/* Another person from the same address is not locked... */
	struct signin_keys other;
	signin_portal_keys(f->a, "10.1.2.3", "10000000146", &other);
	assert_int_equal(signin_check_lock(fx_ctx(f), &other), UC_OK);
	/* ...and a CAPTCHA failure counts for the address only. */
	signin_failed(fx_ctx(f), &other, 0);
	assert_int_equal(fx_count(f, "SELECT count FROM login_failures WHERE scope = 'ip'"), 6);
	/* An invalid number is no person key. */
	signin_portal_keys(f->a, "10.1.2.3", "12345678901", &other);
	assert_null(other.person_key);
}

static void test_holder_keys_and_success(void **state)
{
	struct fx *f = *state;
	struct signin_keys k;
	const char *tckn = store_demo_people(&(size_t){0})->tckn;
	signin_holder_keys(f->a, "10.9.9.9", tckn, &k);
	assert_string_equal(k.ip_scope, "bireysel");
	assert_string_equal(k.person_scope, "bireysel");
	assert_string_equal(k.ip_key, "ip:10.9.9.9");
	assert_non_null(k.person_key);
	assert_int_equal(strncmp(k.person_key, "tckn:", 5), 0);
	assert_int_equal(strlen(k.person_key), 5 + 64);
	assert_null(strstr(k.person_key, tckn));
	signin_failed(fx_ctx(f), &k, 1);
	signin_failed(fx_ctx(f), &k, 1);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM login_failures WHERE scope = "
				     "'bireysel'"),
			 2);
	/* Success forgets the person, not the address. */
	signin_succeeded(fx_ctx(f), &k);
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM login_failures WHERE scope = "
				     "'bireysel'"),
			 1);
	assert_int_equal(fx_count(f, "SELECT count FROM login_failures WHERE key = "
				     "'ip:10.9.9.9'"),
			 2);
}

int main(void)
{
	(void)fx_application; /* fixture.h: not needed here */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_audit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_create_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_password_step, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_lockout, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_totp_enrol_and_login, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_totp_lockout_restarts, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_disable_enable_reset, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_user_list_and_load, fx_setup, fx_teardown),
		cmocka_unit_test(test_secret_ok),
		cmocka_unit_test_setup_teardown(test_portal_lockout, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_holder_keys_and_success, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
