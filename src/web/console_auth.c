/* Staff login: user name + Argon2id password, then for every role a TOTP
 * code (RFC 6238), enrolled with a QR code on first login. The rules (one
 * generic message for every failure) are the use cases of app/staff.c; the
 * throttling (growing delays answered with 429 and Retry-After, a CAPTCHA
 * after a few failures, a bound on parallel Argon2id checks) is
 * app/staff_throttle.h. This file keeps the pages and the session. */
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/staff.h"
#include "app/staff_throttle.h"
#include "domain/throttle.h"
#include "domain/totp.h"
#include "util/config.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/apply.h"
#include "web/console.h"
#include "web/error_summary.h"

#define CONSOLE_PENDING_SECONDS 300

/* A context for the sign-in use cases (they name the account as actor in
 * the audit trail themselves); NULL db replies 503 like every console page. */
static db *signin_ctx_or_reply(req *r, struct uc_ctx *c)
{
	db *d = web_db_or_reply(r);
	uc_ctx_init(c, d, req_arena(r), "konsol:giris", NULL, req_client_ip(r));
	return d;
}

/* The login form; with `captcha` set it carries the CAPTCHA image and
 * field (captcha_error beside the field). */
static void login_page(req *r, int status, const char *error, const char *username, int captcha,
		       const char *captcha_error)
{
	tpl *t = console_tpl(r, NULL, "Personel Girişi");
	if (error)
		tpl_set(t, "error", error);
	/* A refused name or password links to the first field to correct; a
	 * hold (429) has no field to correct. */
	if (error && status != 429)
		error_summary_add(t, "kullanici_adi", "Kullanıcı Adı");
	tpl_set(t, "kullanici_adi", username ? username : "");
	if (captcha) {
		tpl_set(t, "captcha", "1");
		tpl_setf(t, "captcha_nonce", "%u", randombytes_random());
	}
	if (captcha_error)
		tpl_set(t, "captcha_error", captcha_error);
	reply_page(r, status, "konsol_giris.html", t);
}

void console_login_get(req *r)
{
	struct staff_throttle t;
	db *d = web_db_or_reply(r);
	if (d == NULL)
		return;
	staff_throttle_keys(req_arena(r), req_client_ip(r), NULL, &t);
	login_page(r, 200, NULL, NULL, staff_throttle_captcha_needed(d, &t, clock_now()), NULL);
}

/* 429 with Retry-After: the try was not heard (not counted, no hashing). */
static void refuse_busy(req *r, int64_t until, int64_t now, const char *username, int captcha)
{
	char msg[THROTTLE_TEXT_LEN];
	int64_t wait = throttle_retry_after(until, now);
	throttle_wait_text(wait, msg);
	reply_header(r, "Retry-After", arena_printf(req_arena(r), "%lld", (long long)wait));
	login_page(r, 429, arena_strdup(req_arena(r), msg), username, captcha, NULL);
}

/* The CAPTCHA gate of a try that needs one: 0 solved; otherwise the form
 * is shown again (400) and the address is charged one failure, so a client
 * that never solves it still reaches 429. */
static int captcha_or_reply(req *r, db *d, int64_t now, const char *username)
{
	struct staff_throttle address;
	if (apply_captcha_ok(r))
		return 0;
	staff_throttle_keys(req_arena(r), req_client_ip(r), NULL, &address);
	staff_throttle_failed(d, &address, now);
	login_page(r, 400, NULL, username, 1,
		   "Art arda hatalı denemeler oldu: resimdeki yazıyı doğru giriniz (yeni bir "
		   "resim gösterildi).");
	return -1;
}

/* The session of a completed login: a new id carrying the account and the
 * login_at the account row was stamped with. 0 ok. */
static int session_signed_in(req *r, const struct staff_account *a, int64_t login_at)
{
	if (session_rotate(r) != 0)
		return -1;
	session_set(r, "konsol_pending", NULL);
	session_set(r, "konsol_pending_at", NULL);
	session_set(r, "konsol_enrol", NULL);
	session_set(r, "konsol_uid", arena_printf(req_arena(r), "%lld", (long long)a->id));
	session_set(r, "konsol_login_at", arena_printf(req_arena(r), "%lld", (long long)login_at));
	log_info("konsol: %s logged in", a->username);
	return 0;
}

void console_login_post(req *r)
{
	const char *user = req_field(r, "kullanici_adi");
	struct staff_account a;
	struct staff_throttle t;
	struct uc_ctx c;
	memset(&a, 0, sizeof a);
	db *d = signin_ctx_or_reply(r, &c);
	if (d == NULL)
		return;
	staff_throttle_keys(c.a, c.client_ip, user, &t);
	int64_t held = staff_throttle_held_until(d, &t, c.now);
	int captcha = staff_throttle_captcha_needed(d, &t, c.now);
	if (held > 0) {
		refuse_busy(r, held, c.now, user, captcha);
		return;
	}
	if (captcha && captcha_or_reply(r, d, c.now, user) != 0)
		return;
	/* A flood must not queue behind Argon2id: excess tries go at once. */
	if (staff_hash_enter() != 0) {
		refuse_busy(r, c.now + 1, c.now, user, captcha);
		return;
	}
	enum uc_rc rc = staff_signin_password(&c, user, req_field(r, "parola"), &a);
	staff_hash_leave();
	if (rc == UC_FORBIDDEN)
		staff_throttle_failed(d, &t, c.now);
	if (rc == UC_INVALID || rc == UC_FORBIDDEN) {
		login_page(r, rc == UC_INVALID ? 400 : 401, c.message, user,
			   staff_throttle_captcha_needed(d, &t, c.now), NULL);
		goto out;
	}
	if (rc != UC_OK) {
		reply_error(r, 500, "Giriş şu anda yapılamıyor.");
		goto out;
	}
	/* Every role: the second factor comes next. */
	if (session_rotate(r) != 0) {
		reply_error(r, 500, "Giriş tamamlanamadı.");
		goto out;
	}
	session_set(r, "konsol_uid", NULL);
	session_set(r, "konsol_pending", arena_printf(req_arena(r), "%lld", (long long)a.id));
	session_set(r, "konsol_pending_at", arena_printf(req_arena(r), "%lld", (long long)c.now));
	reply_redirect(r, "/konsol/dogrulama");
out:
	staff_account_wipe(&a);
}

/* ---- second factor ---- */

/* The account waiting for its TOTP step; 0 ok, else redirected to login. */
static int pending_or_redirect(req *r, db *d, struct staff_account *a)
{
	int64_t id = console_parse_id(session_get(r, "konsol_pending"));
	int64_t at = console_parse_id(session_get(r, "konsol_pending_at"));
	if (id <= 0 || at <= 0 || clock_now() - at > CONSOLE_PENDING_SECONDS ||
	    staff_account_load(d, NULL, id, a) != 0 || a->disabled) {
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
	buf_printf(&b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" "
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

static void totp_page(req *r, const struct staff_account *a, int status, const char *error)
{
	tpl *t = console_tpl(r, NULL, "Doğrulama Kodu");
	tpl_set(t, "username", a->username);
	if (error) {
		tpl_set(t, "error", error);
		error_summary_add(t, "dogrulama_kodu", "Doğrulama Kodu");
	}
	if (a->totp[0] == '\0') {
		const char *secret = enrol_secret(r);
		if (secret == NULL) {
			reply_error(r, 500, "Doğrulama anahtarı oluşturulamadı.");
			return;
		}
		arena *ar = req_arena(r);
		/* The issuer is the CA's name, as the authenticator app lists it. */
		const char *issuer = http_url_encode(ar, config_get("ca.name"));
		const char *uri = arena_printf(ar,
					       "otpauth://totp/%s:%s?secret=%s&issuer=%s"
					       "&algorithm=SHA1&digits=6&period=30",
					       issuer, http_url_encode(ar, a->username), secret,
					       issuer);
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
	struct staff_account a;
	db *d = web_db_or_reply(r);
	if (d == NULL)
		return;
	if (pending_or_redirect(r, d, &a) == 0)
		totp_page(r, &a, 200, NULL);
	staff_account_wipe(&a);
}

void console_totp_post(req *r)
{
	struct staff_account a;
	struct staff_throttle t;
	struct uc_ctx c;
	memset(&a, 0, sizeof a);
	db *d = signin_ctx_or_reply(r, &c);
	if (d == NULL)
		return;
	if (pending_or_redirect(r, d, &a) != 0)
		goto out;
	/* The code is throttled like the password: same counters. */
	staff_throttle_keys(c.a, c.client_ip, a.username, &t);
	int64_t held = staff_throttle_held_until(d, &t, c.now);
	if (held > 0) {
		char msg[THROTTLE_TEXT_LEN];
		int64_t wait = throttle_retry_after(held, c.now);
		throttle_wait_text(wait, msg);
		reply_header(r, "Retry-After", arena_printf(c.a, "%lld", (long long)wait));
		totp_page(r, &a, 429, arena_strdup(c.a, msg));
		goto out;
	}
	const char *enrol = a.totp[0] == '\0' ? enrol_secret(r) : NULL;
	enum uc_rc rc = staff_signin_totp(&c, &a, enrol, req_field(r, "dogrulama_kodu"));
	if (rc == UC_FORBIDDEN)
		staff_throttle_failed(d, &t, c.now);
	if (rc == UC_OK && session_signed_in(r, &a, c.now) == 0) {
		staff_throttle_succeeded(d, &t);
		reply_redirect(r, "/konsol");
	} else if (rc == UC_OK || rc == UC_ERROR) {
		reply_error(r, 500, "Giriş tamamlanamadı.");
	} else {
		totp_page(r, &a, 401, staff_signin_failure);
	}
out:
	staff_account_wipe(&a);
}

void console_logout_post(req *r)
{
	session_destroy(r);
	reply_redirect(r, "/konsol/giris");
}
