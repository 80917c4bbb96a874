#include "store/staff.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/clock.h"

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

int staff_password_strong(const char *pw)
{
	size_t n = pw ? strlen(pw) : 0;
	if (n < 12 || n > 128)
		return 0;
	int lower = 0, upper = 0, digit = 0, other = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)pw[i];
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else
			other = 1;
	}
	return lower + upper + digit + other >= 2;
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
		snprintf(err, errlen, "Kullanıcı adı 3-64 karakter olmalı, küçük harfle başlamalı "
				      "ve yalnızca a-z 0-9 . _ - içermelidir.");
		return -1;
	}
	if (!staff_password_strong(password)) {
		snprintf(err, errlen, "Parola en az 12 karakter olmalı ve en az iki karakter "
				      "türü (küçük/büyük harf, rakam, işaret) içermelidir.");
		return -1;
	}
	if (role == STAFF_YETKILI) {
		if (scope == NULL || *scope == '\0' || !authority_unit_exists(d, scope)) {
			snprintf(err, errlen, "Kurum yetkilisi için geçerli bir --scope (yetki birimi, "
					      "ör. ZONGULDAK-MEM) gereklidir.");
			return -1;
		}
	} else {
		scope = NULL;
	}
	if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		snprintf(err, errlen, "Parola özeti hesaplanamadı (bellek yetersiz).");
		return -1;
	}
	st = db_prepare(d, "INSERT INTO staff_users (username, role, scope, password_hash, "
			   "created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO "
			   "UPDATE SET role = $2, scope = $3, password_hash = $4, disabled = 0, "
			   "failed_count = 0, locked_until = 0");
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
