/* Staff accounts (app/staff.c) and the sign-in rules shared by the three
 * logins (app/signin.c): password and TOTP steps, no account lock, the
 * console's throttle (app/staff_throttle.c), passwords,
 * account changes with their audit rows, the portal and NES Bireysel
 * lockout pairs, and the Argon2id comparison. */
#include <sodium.h>

#include "app/signin.h"
#include "app/staff.h"
#include "app/staff_throttle.h"
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
	assert_true(staff_totp_required(a.role)); /* every role, authorities too */
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

/* Failures are counted and audited but never lock the account: the right
 * password still passes (the delays are per address, app/staff_throttle). */
static void test_no_account_lock(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	create(f, "ali.operator", "operator", NULL);
	for (int i = 1; i <= 12; i++) {
		assert_int_equal(staff_signin_password(fx_ctx(f), "ali.operator", "Yanlis-Parola-1",
						       &a),
				 UC_FORBIDDEN);
		assert_int_equal(account_int(f, "ali.operator", "failed_count"), i);
	}
	assert_int_equal(audit_rows(f, "ali.operator", "login_failed"), 12);
	assert_int_equal(account_int(f, "ali.operator", "locked_until"), 0);
	assert_int_equal(staff_signin_password(fx_ctx(f), "ali.operator", PW, &a), UC_OK);
	staff_account_wipe(&a);
}

static void test_totp_enrol_and_login(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	char code[7], secret[TOTP_SECRET_B32];
	unsigned char raw[TOTP_SECRET_BYTES];
	create(f, "yonetici", "admin", NULL);
	assert_int_equal(staff_signin_password(fx_ctx(f), "yonetici", PW, &a), UC_OK);
	assert_true(staff_totp_required(a.role));
	assert_string_equal(a.totp, "");
	randombytes_buf(raw, sizeof raw);
	totp_base32_encode(raw, sizeof raw, secret, sizeof secret);

	/* No secret to check against: refused and counted. */
	assert_int_equal(staff_signin_totp(fx_ctx(f), &a, NULL, "123456"), UC_FORBIDDEN);
	assert_int_equal(audit_rows(f, "yonetici", "login_failed"), 1);
	assert_int_equal(staff_account_load(f->d, NULL, a.id, &a), 0);

	struct uc_ctx *c = fx_ctx(f);
	code_at(secret, c->now, code);
	assert_int_equal(staff_signin_totp(c, &a, secret, code), UC_OK);
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
	assert_int_equal(staff_signin_totp(fx_ctx(f), &a, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", code),
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
	assert_int_equal(staff_signin_totp(c, &a, NULL, code), UC_OK);
	assert_int_equal(audit_rows(f, "yonetici", "login"), 1);
	assert_int_equal(account_int(f, "yonetici", "login_at"), c->now);
	staff_account_wipe(&a);
	sodium_memzero(secret, sizeof secret);
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
		 "UPDATE staff_users SET totp_secret = 'ABCDEFGH', totp_last_step = 77, "
		 "login_at = 1700000000 WHERE username = 'ali.operator'",
		 (char *)NULL);
	assert_int_equal(staff_user_update(fx_ctx(f), admin, id, STAFF_CHANGE_TOTP_RESET), UC_OK);
	/* login_at 0: every session of the account has ended. */
	assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM staff_users WHERE totp_secret IS NULL "
				     "AND totp_last_step = 0 AND login_at = 0 AND username = "
				     "'ali.operator'"),
			 1);
	assert_int_equal(audit_rows(f, "ali.operator", "staff_totp_reset"), 1);
	staff_account_wipe(&a);
}

static void test_password_policy_on_create(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *pw;
		const char *message_part; /* NULL: accepted */
	} cases[] = {
		{"galatasaray1905", "yaygın"}, {"GALATASARAY1905", "yaygın"},
		{"123456789012", "yaygın"},    {"kisa-parola", "en az 12"},
		{"uzunuzunuzunuzunuz", NULL}, /* one class only: no composition rule */
		{"çok güzel bir cümle", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "kisi%zu", i);
		enum uc_rc rc = staff_user_create(fx_ctx(f), name, "operator", NULL, cases[i].pw);
		if (cases[i].message_part == NULL) {
			assert_int_equal(rc, UC_OK);
		} else {
			assert_int_equal(rc, UC_INVALID);
			assert_non_null(strstr(f->c.message, cases[i].message_part));
		}
	}
}

static void test_password_change(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	int64_t id = create(f, "ayse.yetkili", "yetkili", "ZONGULDAK-MEM");
	const char *fresh = "Karadeniz kıyısında bir sabah";
	static const struct {
		const char *current, *fresh, *again, *field;
		enum uc_rc rc;
	} refused[] = {
		{"", "Karadeniz kıyısında bir sabah", "Karadeniz kıyısında bir sabah",
		 "mevcut_parola", UC_INVALID},
		{PW, "sifresifre123", "sifresifre123", "yeni_parola", UC_INVALID},
		{PW, "kisa", "kisa", "yeni_parola", UC_INVALID},
		{PW, "Karadeniz kıyısında bir sabah", "Karadeniz kıyısında bir akşam",
		 "yeni_parola_tekrar", UC_INVALID},
		{PW, PW, PW, "yeni_parola", UC_INVALID},
		{"Yanlis-Parola-2026", "Karadeniz kıyısında bir sabah",
		 "Karadeniz kıyısında bir sabah", "mevcut_parola", UC_FORBIDDEN},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		assert_int_equal(staff_password_change(fx_ctx(f), id, refused[i].current,
						       refused[i].fresh, refused[i].again),
				 refused[i].rc);
		assert_string_equal(f->c.field, refused[i].field);
		assert_non_null(f->c.message);
	}
	assert_int_equal(audit_rows(f, "ayse.yetkili", "login_failed"), 1);
	struct uc_ctx *c = fx_ctx(f);
	assert_int_equal(staff_password_change(c, id, PW, fresh, fresh), UC_OK);
	assert_int_equal(account_int(f, "ayse.yetkili", "login_at"), c->now);
	assert_int_equal(audit_rows(f, "ayse.yetkili", "password_changed"), 1);
	assert_int_equal(staff_signin_password(fx_ctx(f), "ayse.yetkili", PW, &a), UC_FORBIDDEN);
	assert_int_equal(staff_signin_password(fx_ctx(f), "ayse.yetkili", fresh, &a), UC_OK);
	staff_account_wipe(&a);
}

static void test_password_reset_by_admin(void **state)
{
	struct fx *f = *state;
	struct staff_account a;
	int64_t admin = create(f, "yonetici", "admin", NULL);
	int64_t id = create(f, "ali.operator", "operator", NULL);
	db_execp(f->d, "UPDATE staff_users SET login_at = 1700000000", (char *)NULL);
	struct uc_ctx *c = fx_ctx(f);
	c->actor = "admin:yonetici";
	assert_int_equal(staff_password_reset(c, admin, admin, "Yeni-uzun-parola-2026"),
			 UC_INVALID);
	assert_int_equal(staff_password_reset(fx_ctx(f), admin, 4242, "Yeni-uzun-parola-2026"),
			 UC_NOT_FOUND);
	assert_int_equal(staff_password_reset(fx_ctx(f), admin, id, "password1234"), UC_INVALID);
	assert_string_equal(f->c.field, "parola");
	c = fx_ctx(f);
	c->actor = "admin:yonetici";
	assert_int_equal(staff_password_reset(c, admin, id, "Yeni-uzun-parola-2026"), UC_OK);
	assert_int_equal(account_int(f, "ali.operator", "login_at"), 0);
	assert_int_equal(account_int(f, "yonetici", "login_at"), 1700000000);
	assert_int_equal(db_query_int64(f->d, -1,
					"SELECT COUNT(*) FROM audit_log WHERE object = "
					"'staff:ali.operator' AND action = 'staff_password_reset' "
					"AND actor = 'admin:yonetici'",
					(char *)NULL),
			 1);
	assert_int_equal(staff_signin_password(fx_ctx(f), "ali.operator", "Yeni-uzun-parola-2026",
					       &a),
			 UC_OK);
	staff_account_wipe(&a);
}

/* ---- app/staff_throttle.c ---- */

static void test_throttle_pair_and_address(void **state)
{
	struct fx *f = *state;
	struct staff_throttle t, other, fresh_address;
	int64_t now = f->c.now;
	staff_throttle_keys(f->a, "10.0.0.1", "ali.operator", &t);
	staff_throttle_keys(f->a, "10.0.0.2", "ali.operator", &other);
	staff_throttle_keys(f->a, "10.0.0.3", NULL, &fresh_address);
	assert_string_equal(t.address, "10.0.0.1");
	assert_non_null(t.pair);
	assert_null(strstr(t.pair, "ali"));
	assert_null(fresh_address.pair);
	/* konsol.delay_after = 3, konsol.delay_base = 5: free, free, 5 s. */
	assert_int_equal(staff_throttle_failed(f->d, &t, now), 0);
	assert_int_equal(staff_throttle_captcha_needed(f->d, &other, now), 0);
	assert_int_equal(staff_throttle_failed(f->d, &t, now), 0);
	assert_int_equal(staff_throttle_failed(f->d, &t, now), now + 5);
	assert_int_equal(staff_throttle_held_until(f->d, &t, now), now + 5);
	/* The owner from another address is not held; a CAPTCHA is asked
	 * (konsol.captcha_after = 3 failures of the account). */
	assert_int_equal(staff_throttle_held_until(f->d, &other, now), 0);
	assert_int_equal(staff_throttle_captcha_needed(f->d, &other, now), 1);
	assert_int_equal(staff_throttle_captcha_needed(f->d, &fresh_address, now), 0);
	/* Held tries are not counted; the next failure after it doubles. */
	assert_int_equal(staff_throttle_held_until(f->d, &t, now + 5), 0);
	assert_int_equal(staff_throttle_failed(f->d, &t, now + 5), now + 15);
	/* Success forgets the pair and the account, not the address. */
	staff_throttle_succeeded(f->d, &t);
	assert_int_equal(staff_throttle_held_until(f->d, &t, now + 16), 0);
	assert_int_equal(staff_throttle_captcha_needed(f->d, &other, now + 16), 0);
	assert_int_equal(fx_count(f, "SELECT count FROM login_failures WHERE scope = "
				     "'konsol_ip' AND key = '10.0.0.1'"),
			 4);
}

static void test_throttle_address_reaches_hold(void **state)
{
	struct fx *f = *state;
	int64_t now = f->c.now, until = 0;
	int n = 0;
	/* A different name each time: only the address counter grows
	 * (konsol.address_delay_after = 10). */
	while (until == 0 && n < 30) {
		struct staff_throttle t;
		staff_throttle_keys(f->a, "10.0.0.9", arena_printf(f->a, "kisi%d", n++), &t);
		until = staff_throttle_failed(f->d, &t, now);
	}
	assert_int_equal(n, 10);
	assert_int_equal(until, now + 5);
	struct staff_throttle any;
	staff_throttle_keys(f->a, "10.0.0.9", "yeni.kisi", &any);
	assert_int_equal(staff_throttle_held_until(f->d, &any, now), now + 5);
	assert_int_equal(staff_throttle_captcha_needed(f->d, &any, now), 1);
}

static void test_hash_gate(void **state)
{
	(void)state;
	/* konsol.max_parallel_hashes = 2 */
	assert_int_equal(staff_hash_enter(), 0);
	assert_int_equal(staff_hash_enter(), 0);
	assert_int_equal(staff_hash_enter(), -1);
	staff_hash_leave();
	assert_int_equal(staff_hash_enter(), 0);
	staff_hash_leave();
	staff_hash_leave();
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
		cmocka_unit_test_setup_teardown(test_no_account_lock, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_totp_enrol_and_login, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_disable_enable_reset, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_password_policy_on_create, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_password_change, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_password_reset_by_admin, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_throttle_pair_and_address, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_throttle_address_reaches_hold, fx_setup,
						fx_teardown),
		cmocka_unit_test(test_hash_gate),
		cmocka_unit_test_setup_teardown(test_user_list_and_load, fx_setup, fx_teardown),
		cmocka_unit_test(test_secret_ok),
		cmocka_unit_test_setup_teardown(test_portal_lockout, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_holder_keys_and_success, fx_setup,
						fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
