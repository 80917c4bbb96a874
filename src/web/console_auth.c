/* Staff login: user name + Argon2id password, then for operators and
 * administrators a TOTP code (RFC 6238), enrolled with a QR code on first
 * login. Lockout after CONSOLE_MAX_FAILURES failures for
 * CONSOLE_LOCK_SECONDS; one generic message for every failure. */
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/totp.h"
#include "store/audit.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/console.h"

#define CONSOLE_MAX_FAILURES 5
#define CONSOLE_LOCK_SECONDS 900
#define CONSOLE_PENDING_SECONDS 300

static const char generic_failure[] =
	"Giriş yapılamadı: kullanıcı adı, parola ya da doğrulama kodu hatalı olabilir veya hesap "
	"geçici olarak kilitlenmiş olabilir. Art arda hatalı denemelerden sonra hesap 15 dakika "
	"kilitlenir.";

struct account {
	int64_t id;
	char username[72];
	int role;
	char hash[crypto_pwhash_STRBYTES];
	char totp[TOTP_SECRET_B32 + 8]; /* base32, "" when not enrolled */
	int disabled;
	int64_t failed, locked_until, last_step;
};

static void account_wipe(struct account *a)
{
	sodium_memzero(a, sizeof *a);
}

/* 0 found, 1 unknown, -1 error. */
static int account_load(db *d, const char *username, int64_t id, struct account *a)
{
	memset(a, 0, sizeof *a);
	db_stmt *st = db_prepare(d, "SELECT id, username, role, password_hash, totp_secret, "
				    "disabled, failed_count, locked_until, totp_last_step "
				    "FROM staff_users WHERE username = $1 OR id = $2");
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, username ? username : "");
	db_bind_int64(st, 2, id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		const char *h = db_col_text(st, 3), *t = db_col_text(st, 4);
		a->id = db_col_int64(st, 0);
		snprintf(a->username, sizeof a->username, "%s", db_col_text(st, 1));
		a->role = staff_role_parse(db_col_text(st, 2));
		snprintf(a->hash, sizeof a->hash, "%s", h ? h : "");
		snprintf(a->totp, sizeof a->totp, "%s", t ? t : "");
		a->disabled = db_col_int64(st, 5) != 0;
		a->failed = db_col_int64(st, 6);
		a->locked_until = db_col_int64(st, 7);
		a->last_step = db_col_int64(st, 8);
	}
	db_finalize(st);
	return rc == DB_ROW ? (a->role < 0 ? -1 : 0) : rc == DB_DONE ? 1 : -1;
}

/* A hash to verify against when the user does not exist, so that an
 * unknown name costs as much time as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_init(void)
{
	unsigned char pw[16];
	randombytes_buf(pw, sizeof pw);
	if (crypto_pwhash_str(dummy_hash, (const char *)pw, sizeof pw,
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof pw);
}

static const char *account_actor(req *r, const struct account *a)
{
	return arena_printf(req_arena(r), "%s:%s", staff_role_name((enum staff_role)a->role),
			    a->username);
}

/* Counts a failure (and locks at the limit) with its audit record. */
static void account_fail(req *r, db *d, const struct account *a, const char *what)
{
	int64_t now = clock_now();
	int lock = a->failed + 1 >= CONSOLE_MAX_FAILURES;
	if (db_begin(d) != 0)
		return;
	int rc = -1;
	db_stmt *st = db_prepare(d, lock ? "UPDATE staff_users SET failed_count = 0, "
					   "locked_until = $2 WHERE id = $1"
					 : "UPDATE staff_users SET failed_count = failed_count + 1 "
					   "WHERE id = $1");
	if (st != NULL) {
		db_bind_int64(st, 1, a->id);
		if (lock)
			db_bind_int64(st, 2, now + CONSOLE_LOCK_SECONDS);
		rc = db_step(st) == DB_DONE ? 0 : -1;
		db_finalize(st);
	}
	if (rc == 0)
		rc = audit_append(d, &(struct audit_entry){
			.actor = account_actor(r, a), .client_ip = req_client_ip(r),
			.object = arena_printf(req_arena(r), "staff:%s", a->username),
			.action = lock ? "login_locked" : "login_failed", .detail = what});
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		log_error("konsol: recording a failed login failed: %s", db_errmsg(d));
	}
	if (lock)
		log_warn("konsol: account %s locked after %d failures", a->username,
			 CONSOLE_MAX_FAILURES);
}

static void login_page(req *r, int status, const char *error, const char *username)
{
	tpl *t = console_tpl(r, NULL, "Personel Girişi");
	if (error)
		tpl_set(t, "error", error);
	tpl_set(t, "kullanici_adi", username ? username : "");
	reply_page(r, status, "konsol_giris.html", t);
}

void console_login_get(req *r)
{
	login_page(r, 200, NULL, NULL);
}

/* Completes a login: resets counters, stamps login_at (the session must
 * carry the same value), audits, rotates the session. 0 ok. */
static int login_complete(req *r, db *d, const struct account *a, const char *enrol_secret,
			  int64_t step)
{
	int64_t now = clock_now();
	db_stmt *st = NULL;
	int rc = -1;
	if (db_begin(d) != 0)
		return -1;
	st = db_prepare(d, "UPDATE staff_users SET failed_count = 0, locked_until = 0, "
			   "last_login_at = $2, login_at = $2, totp_last_step = $3, "
			   "totp_secret = COALESCE($4, totp_secret) "
			   "WHERE id = $1 AND totp_last_step <= $3");
	if (st == NULL)
		goto out;
	db_bind_int64(st, 1, a->id);
	db_bind_int64(st, 2, now);
	db_bind_int64(st, 3, step > a->last_step ? step : a->last_step);
	db_bind_text(st, 4, enrol_secret);
	if (db_step(st) != DB_DONE || db_changes(d) != 1)
		goto out;
	if (audit_append(d, &(struct audit_entry){
		    .actor = account_actor(r, a), .client_ip = req_client_ip(r),
		    .object = arena_printf(req_arena(r), "staff:%s", a->username),
		    .action = enrol_secret ? "totp_enrolled_login" : "login"}) != 0)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	if (rc != 0 || db_commit(d) != 0) {
		db_rollback(d);
		log_error("konsol: login of %s could not be recorded: %s", a->username,
			  db_errmsg(d));
		return -1;
	}
	if (session_rotate(r) != 0)
		return -1;
	session_set(r, "konsol_pending", NULL);
	session_set(r, "konsol_pending_at", NULL);
	session_set(r, "konsol_enrol", NULL);
	session_set(r, "konsol_uid", arena_printf(req_arena(r), "%lld", (long long)a->id));
	session_set(r, "konsol_login_at", arena_printf(req_arena(r), "%lld", (long long)now));
	log_info("konsol: %s logged in", a->username);
	return 0;
}

void console_login_post(req *r)
{
	const char *user = req_field(r, "kullanici_adi"), *pw = req_field(r, "parola");
	struct account a;
	db *d = console_db_or_reply(r);
	if (d == NULL)
		return;
	if (user == NULL || pw == NULL || *user == '\0' || *pw == '\0') {
		login_page(r, 400, "Kullanıcı adı ve parola gereklidir.", user);
		return;
	}
	int rc = account_load(d, user, 0, &a);
	if (rc < 0) {
		reply_error(r, 500, "Giriş şu anda yapılamıyor.");
		goto out;
	}
	pthread_once(&dummy_once, dummy_init);
	const char *hash = rc == 0 ? a.hash : dummy_hash;
	int pw_ok = crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
	int64_t now = clock_now();
	if (rc != 0 || a.disabled || a.locked_until > now || !pw_ok) {
		if (rc == 0 && !a.disabled && a.locked_until <= now)
			account_fail(r, d, &a, "parola");
		login_page(r, 401, generic_failure, user);
		goto out;
	}
	if (a.role == STAFF_YETKILI) {
		if (login_complete(r, d, &a, NULL, 0) != 0)
			reply_error(r, 500, "Giriş tamamlanamadı.");
		else
			reply_redirect(r, "/konsol");
		goto out;
	}
	/* Operators and administrators: the second factor comes next. */
	if (session_rotate(r) != 0) {
		reply_error(r, 500, "Giriş tamamlanamadı.");
		goto out;
	}
	session_set(r, "konsol_uid", NULL);
	session_set(r, "konsol_pending", arena_printf(req_arena(r), "%lld", (long long)a.id));
	session_set(r, "konsol_pending_at", arena_printf(req_arena(r), "%lld", (long long)now));
	reply_redirect(r, "/konsol/dogrulama");
out:
	account_wipe(&a);
}

/* ---- second factor ---- */

/* The account waiting for its TOTP step; 0 ok, else redirected to login. */
static int pending_or_redirect(req *r, db *d, struct account *a)
{
	int64_t id = console_parse_id(session_get(r, "konsol_pending"));
	int64_t at = console_parse_id(session_get(r, "konsol_pending_at"));
	if (id <= 0 || at <= 0 || clock_now() - at > CONSOLE_PENDING_SECONDS ||
	    account_load(d, NULL, id, a) != 0 || a->disabled) {
		reply_redirect(r, "/konsol/giris");
		return -1;
	}
	return 0;
}

/* Inline SVG of a QR code for text (arena); NULL on failure. Only this
 * function's own markup goes into the page unescaped. */
static const char *qr_svg(req *r, const char *text)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	buf b;
	const char *out = NULL;
	if (qr == NULL)
		return NULL;
	int w = qr->width, m = 4;
	buf_init(&b, 256 * 1024);
	buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" "
		       "aria-label=\"Doğrulama uygulaması için QR kod\" viewBox=\"0 0 %d %d\" "
		       "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
		       "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   w + 2 * m, w + 2 * m, (w + 2 * m) * 5, (w + 2 * m) * 5);
	for (int y = 0; y < w; y++) {
		for (int x = 0; x < w;) {
			if (!(qr->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			buf_printf(&b, "M%d %dh%dv1h-%dz", x + m, y + m, run, run);
			x += run;
		}
	}
	buf_puts(&b, "\"/></svg>");
	if (!b.err)
		out = arena_strndup(req_arena(r), b.data, b.len);
	buf_free(&b);
	QRcode_free(qr);
	return out;
}

/* The secret being enrolled (kept in the server-side session until the
 * first valid code), created on first use. NULL on failure. */
static const char *enrol_secret(req *r)
{
	const char *s = session_get(r, "konsol_enrol");
	if (s != NULL && strlen(s) == TOTP_SECRET_B32 - 1)
		return s;
	unsigned char raw[TOTP_SECRET_BYTES];
	char b32[TOTP_SECRET_B32];
	randombytes_buf(raw, sizeof raw);
	totp_base32_encode(raw, sizeof raw, b32, sizeof b32);
	sodium_memzero(raw, sizeof raw);
	int rc = session_set(r, "konsol_enrol", b32);
	const char *copy = rc == 0 ? session_get(r, "konsol_enrol") : NULL;
	sodium_memzero(b32, sizeof b32);
	return copy;
}

static void totp_page(req *r, const struct account *a, int status, const char *error)
{
	tpl *t = console_tpl(r, NULL, "Doğrulama Kodu");
	tpl_set(t, "username", a->username);
	if (error)
		tpl_set(t, "error", error);
	if (a->totp[0] == '\0') {
		const char *secret = enrol_secret(r);
		if (secret == NULL) {
			reply_error(r, 500, "Doğrulama anahtarı oluşturulamadı.");
			return;
		}
		arena *ar = req_arena(r);
		const char *uri = arena_printf(ar, "otpauth://totp/eimza:%s?secret=%s&issuer=eimza"
						   "&algorithm=SHA1&digits=6&period=30",
					       http_url_encode(ar, a->username), secret);
		const char *svg = qr_svg(r, uri);
		tpl_set(t, "enrol", "1");
		tpl_set(t, "secret", secret);
		tpl_set(t, "otpauth", uri);
		if (svg)
			tpl_set_raw_html(t, "qr_svg", svg);
	}
	reply_page(r, status, "konsol_dogrulama.html", t);
}

void console_totp_get(req *r)
{
	struct account a;
	db *d = console_db_or_reply(r);
	if (d == NULL)
		return;
	if (pending_or_redirect(r, d, &a) == 0)
		totp_page(r, &a, 200, NULL);
	account_wipe(&a);
}

void console_totp_post(req *r)
{
	struct account a;
	unsigned char key[64];
	int keylen = -1;
	db *d = console_db_or_reply(r);
	if (d == NULL)
		return;
	if (pending_or_redirect(r, d, &a) != 0)
		goto out;
	const char *enrol = a.totp[0] == '\0' ? enrol_secret(r) : NULL;
	keylen = totp_base32_decode(enrol ? enrol : a.totp, key, sizeof key);
	const char *code = req_field(r, "dogrulama_kodu");
	int64_t now = clock_now();
	int64_t step = keylen > 0 ? totp_verify(key, (size_t)keylen, code, now, a.last_step) : -1;
	if (a.locked_until > now || step < 0) {
		if (a.locked_until <= now)
			account_fail(r, d, &a, "dogrulama_kodu");
		if (a.locked_until > now || a.failed + 1 >= CONSOLE_MAX_FAILURES) {
			session_set(r, "konsol_pending", NULL);
			login_page(r, 401, generic_failure, a.username);
		} else {
			totp_page(r, &a, 401, generic_failure);
		}
		goto out;
	}
	if (login_complete(r, d, &a, enrol, step) != 0) {
		totp_page(r, &a, 401, generic_failure);
		goto out;
	}
	reply_redirect(r, "/konsol");
out:
	sodium_memzero(key, sizeof key);
	account_wipe(&a);
}

void console_logout_post(req *r)
{
	session_destroy(r);
	reply_redirect(r, "/konsol/giris");
}
