#include "store/staff.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/password_policy.h"
#include "util/assets.h"
#include "util/clock.h"
#include "util/seal.h"

static const char *const role_names[STAFF_ROLE__MAX] = {"yetkili", "operator", "admin"};

const char *staff_role_name(enum staff_role r)
{
	return (unsigned)r < STAFF_ROLE__MAX ? role_names[r] : "?";
}

int staff_role_parse(const char *s)
{
	for (int i = 0; i < STAFF_ROLE__MAX; i++)
		if (s && strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}

int staff_username_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 3 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* The list of common passwords compiled into the binary (data/). */
static const struct asset *common_passwords(void)
{
	return asset_find("data/common_passwords.txt");
}

const char *staff_password_problem(const char *pw)
{
	const struct asset *list = common_passwords();
	enum password_verdict v = password_check(pw, list ? (const char *)list->data : NULL,
						 list ? list->len : 0);
	return v == PASSWORD_OK ? NULL : password_verdict_message(v);
}

int staff_password_strong(const char *pw)
{
	return staff_password_problem(pw) == NULL;
}

int staff_password_hash(const char *pw, char out[crypto_pwhash_STRBYTES])
{
	return crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
		       ? 0
		       : -1;
}

void staff_password_generate(char *out, size_t outlen)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFHJKLMNPRTUVWXY34679";
	size_t n = outlen - 1 < 24 ? outlen - 1 : 24;
	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[n] = '\0';
}

static int authority_unit_exists(db *d, const char *code)
{
	return db_query_int64(d, 0, "SELECT COUNT(*) FROM authority_units WHERE code = $1", code,
			      NULL) > 0;
}

int staff_add(db *d, const char *username, enum staff_role role, const char *scope,
	      const char *password, char *err, size_t errlen)
{
	char hash[crypto_pwhash_STRBYTES];
	db_stmt *st = NULL;
	int rc = -1;

	if (!staff_username_valid(username)) {
		snprintf(err, errlen,
			 "Kullanıcı adı 3-64 karakter olmalı, küçük harfle başlamalı "
			 "ve yalnızca a-z 0-9 . _ - içermelidir.");
		return -1;
	}
	const char *problem = staff_password_problem(password);
	if (problem != NULL) {
		snprintf(err, errlen, "%s", problem);
		return -1;
	}
	if (role == STAFF_YETKILI) {
		if (scope == NULL || *scope == '\0' || !authority_unit_exists(d, scope)) {
			snprintf(err, errlen,
				 "Kurum yetkilisi için geçerli bir --scope (yetki birimi, "
				 "ör. ZONGULDAK-MEM) gereklidir.");
			return -1;
		}
	} else {
		scope = NULL;
	}
	if (staff_password_hash(password, hash) != 0) {
		snprintf(err, errlen, "Parola özeti hesaplanamadı (bellek yetersiz).");
		return -1;
	}
	st = db_prepare(d, "INSERT INTO staff_users (username, role, scope, password_hash, "
			   "created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO "
			   "UPDATE SET role = $2, scope = $3, password_hash = $4, disabled = 0, "
			   "failed_count = 0, locked_until = 0, login_at = 0");
	if (st == NULL) {
		snprintf(err, errlen, "Veritabanı hatası: %s", db_errmsg(d));
		goto out;
	}
	db_bind_text(st, 1, username);
	db_bind_text(st, 2, staff_role_name(role));
	db_bind_text(st, 3, scope);
	db_bind_text(st, 4, hash);
	db_bind_int64(st, 5, clock_now());
	if (db_step(st) != DB_DONE) {
		snprintf(err, errlen, "Veritabanı hatası: %s", db_errmsg(d));
		goto out;
	}
	rc = 0;
out:
	db_finalize(st);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

/* ---- repository ---- */

int staff_account_load(db *d, const char *username, int64_t id, struct staff_account *a)
{
	memset(a, 0, sizeof *a);
	db_stmt *st = db_prepare(d,
				 "SELECT id, username, role, password_hash, totp_secret, "
				 "disabled, failed_count, locked_until, totp_last_step, login_at "
				 "FROM staff_users WHERE username = $1 OR id = $2");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, username ? username : "");
	db_bind_int64(st, 2, username ? 0 : id);
	int rc = db_step(st), role = -1;
	if (rc == DB_ROW) {
		const char *h = db_col_text(st, 3), *t = db_col_text(st, 4);
		a->id = db_col_int64(st, 0);
		snprintf(a->username, sizeof a->username, "%s", db_col_text(st, 1));
		role = staff_role_parse(db_col_text(st, 2));
		a->role = role < 0 ? STAFF_YETKILI : (enum staff_role)role;
		snprintf(a->hash, sizeof a->hash, "%s", h ? h : "");
		/* Sealed at rest (util/seal.h); one that does not open (another
		 * master secret) is an error, never "not enrolled". */
		if (t != NULL && seal_open(SECRET_TOTP_SEAL, t, a->totp, sizeof a->totp) < 0)
			role = -1;
		a->disabled = db_col_int64(st, 5) != 0;
		a->failed = db_col_int64(st, 6);
		a->locked_until = db_col_int64(st, 7);
		a->last_step = db_col_int64(st, 8);
		a->login_at = db_col_int64(st, 9);
	}
	db_finalize(st);
	if (rc == DB_ROW && role < 0)
		staff_account_wipe(a);
	return rc == DB_ROW ? (role < 0 ? -1 : 0) : rc == DB_DONE ? 1 : -1;
}

void staff_account_wipe(struct staff_account *a)
{
	sodium_memzero(a, sizeof *a);
}

/* Runs a one-row UPDATE of account id: 0 changed, 1 no such row, -1 error. */
static int update_one(db_stmt *st, db *d)
{
	if (st == NULL)
		return -1;
	int rc = db_step(st) == DB_DONE ? (db_changes(d) == 1 ? 0 : 1) : -1;
	db_finalize(st);
	return rc;
}

int staff_account_failed(db *d, int64_t id)
{
	db_stmt *st = db_prepare(d, "UPDATE staff_users SET failed_count = failed_count + 1 "
				    "WHERE id = $1");
	if (st != NULL)
		db_bind_int64(st, 1, id);
	return update_one(st, d);
}

int staff_set_password_hash(db *d, int64_t id, const char *hash, int64_t login_at)
{
	db_stmt *st = db_prepare(d, "UPDATE staff_users SET password_hash = $2, login_at = $3 "
				    "WHERE id = $1");
	if (st != NULL) {
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, hash);
		db_bind_int64(st, 3, login_at);
	}
	return update_one(st, d);
}

int staff_account_signed_in(db *d, int64_t id, int64_t now, int64_t step, const char *enrol_secret)
{
	char sealed[256];
	if (enrol_secret != NULL) {
		if (seal_text(SECRET_TOTP_SEAL, enrol_secret, sealed, sizeof sealed) != 0)
			return -1;
		enrol_secret = sealed;
	}
	db_stmt *st = db_prepare(d, "UPDATE staff_users SET failed_count = 0, locked_until = 0, "
				    "last_login_at = $2, login_at = $2, totp_last_step = $3, "
				    "totp_secret = COALESCE($4, totp_secret) "
				    "WHERE id = $1 AND totp_last_step <= $3");
	if (st != NULL) {
		db_bind_int64(st, 1, id);
		db_bind_int64(st, 2, now);
		db_bind_int64(st, 3, step);
		db_bind_text(st, 4, enrol_secret);
	}
	return update_one(st, d);
}

#define USER_COLUMNS \
	"id, username, role, scope, disabled, locked_until, totp_secret IS NOT NULL, " \
	"last_login_at, login_at"

static void user_row(db_stmt *st, arena *a, struct staff_user *u)
{
	const char *scope = db_col_text(st, 3);
	u->id = db_col_int64(st, 0);
	u->username = arena_strdup(a, db_col_text(st, 1));
	u->role_text = arena_strdup(a, db_col_text(st, 2));
	u->role = staff_role_parse(u->role_text);
	u->scope = arena_strdup(a, scope ? scope : "");
	u->disabled = db_col_int64(st, 4) != 0;
	u->locked_until = db_col_int64(st, 5);
	u->has_totp = db_col_int64(st, 6) != 0;
	u->has_logged_in = !db_col_is_null(st, 7);
	u->last_login_at = db_col_int64(st, 7);
	u->login_at = db_col_int64(st, 8);
}

int staff_user_load(db *d, arena *a, int64_t id, struct staff_user *u)
{
	memset(u, 0, sizeof *u);
	db_stmt *st = db_prepare(d, "SELECT " USER_COLUMNS " FROM staff_users WHERE id = $1");
	if (st == NULL)
		return -1;
	db_bind_int64(st, 1, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		user_row(st, a, u);
	db_finalize(st);
	if (rc == DB_ROW)
		return u->username != NULL && u->scope != NULL ? 0 : -1;
	return rc == DB_DONE ? 1 : -1;
}

/* Steps st to its end, filling one `size`-byte item of an arena array per
 * row with fill(). Finalizes st. 0 ok, -1 on error or the arena's ceiling. */
static int collect(db_stmt *st, arena *a, size_t size, void (*fill)(db_stmt *, arena *, void *),
		   void **out, size_t *n)
{
	unsigned char *items = NULL;
	size_t cap = 0, count = 0;
	int rc = -1, step;
	*out = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	while ((step = db_step(st)) == DB_ROW) {
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			unsigned char *p = arena_alloc(a, ncap * size);
			if (p == NULL)
				goto out;
			if (count > 0)
				memcpy(p, items, count * size);
			items = p;
			cap = ncap;
		}
		fill(st, a, items + count++ * size);
	}
	if (step != DB_DONE)
		goto out;
	*out = items;
	*n = count;
	rc = 0;
out:
	db_finalize(st);
	return rc;
}

static void user_fill(db_stmt *st, arena *a, void *item)
{
	user_row(st, a, item);
}

int staff_user_list(db *d, arena *a, struct staff_user **out, size_t *n)
{
	void *items;
	int rc = collect(db_prepare(d,
				    "SELECT " USER_COLUMNS " FROM staff_users ORDER BY username"),
			 a, sizeof **out, user_fill, &items, n);
	*out = items;
	return rc;
}

int staff_username_taken(db *d, const char *username)
{
	int64_t n = db_query_int64(d, -1, "SELECT COUNT(*) FROM staff_users WHERE username = $1",
				   username ? username : "", NULL);
	return n < 0 ? -1 : n > 0;
}

int staff_user_change(db *d, int64_t id, enum staff_change change)
{
	static const char *const sql[] = {
		[STAFF_CHANGE_DISABLE] = "UPDATE staff_users SET disabled = 1 WHERE id = $1",
		[STAFF_CHANGE_ENABLE] = "UPDATE staff_users SET disabled = 0, failed_count = 0, "
					"locked_until = 0 WHERE id = $1",
		[STAFF_CHANGE_TOTP_RESET] = "UPDATE staff_users SET totp_secret = NULL, "
					    "totp_last_step = 0, login_at = 0 WHERE id = $1",
	};
	if ((unsigned)change > STAFF_CHANGE_TOTP_RESET)
		return -1;
	db_stmt *st = db_prepare(d, sql[change]);
	if (st != NULL)
		db_bind_int64(st, 1, id);
	return update_one(st, d);
}

static void unit_fill(db_stmt *st, arena *a, void *item)
{
	struct staff_unit *u = item;
	u->code = arena_strdup(a, db_col_text(st, 0));
	u->name = arena_strdup(a, db_col_text(st, 1));
}

int staff_units(db *d, arena *a, struct staff_unit **out, size_t *n)
{
	void *items;
	int rc = collect(db_prepare(d, "SELECT code, name FROM authority_units ORDER BY code"), a,
			 sizeof **out, unit_fill, &items, n);
	*out = items;
	return rc;
}
