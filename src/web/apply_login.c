/* Step 1 (Adım 1): login with CAPTCHA, checked against the population
 * registry and the personnel records. A mismatch gets one generic message
 * that does not say which field was wrong. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/signin.h"
#include "doc/captcha.h"
#include "domain/date.h"
#include "domain/tckn.h"
#include "identity/personnel.h"
#include "identity/registry.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/seal.h"
#include "util/log.h"
#include "web/apply.h"
#include "web/error_summary.h"

#define CAPTCHA_TTL 300

static const char *const login_fields[] = {"tckn",	 "ad",		 "soyad",
					   "dogum_yeri", "dogum_tarihi", "sicil_no"};

static void render_login(req *r, int status, tpl *t)
{
	tpl_set(t, "title", "Portale Giriş");
	tpl_set_int(t, "step", 1);
	tpl_setf(t, "captcha_nonce", "%u", randombytes_random());
	reply_page(r, status, "basvuru_giris.html", t);
}

void apply_login_get(req *r)
{
	tpl *t = tpl_new(r);
	if (session_get(r, "tckn") != NULL)
		tpl_set(t, "logged_in", "1");
	render_login(r, 200, t);
}

/* Keeps what was typed (never the CAPTCHA) and shows `message`. */
static void login_again(req *r, int status, tpl *t, const char *message)
{
	for (size_t i = 0; i < sizeof login_fields / sizeof login_fields[0]; i++) {
		const char *v = req_field(r, login_fields[i]);
		tpl_set(t, login_fields[i], v ? v : "");
	}
	if (message != NULL)
		tpl_set(t, "error", message);
	render_login(r, status, t);
}

static int is_blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t")] == '\0';
}

/* Format checks that may name their field (they reveal nothing about the
 * registry). Returns the number of errors set on t. */
static int check_login_format(req *r, tpl *t)
{
	static const char *const labels[] = {"T.C. Kimlik No", "Ad",	       "Soyad",
					     "Doğum Yeri",     "Doğum Tarihi", "Kurum Sicil No"};
	int errors = 0;
	for (size_t i = 0; i < sizeof login_fields / sizeof login_fields[0]; i++) {
		if (is_blank(req_field(r, login_fields[i]))) {
			tpl_setf(t, arena_printf(req_arena(r), "%s_error", login_fields[i]),
				 "%s alanı zorunludur.", labels[i]);
			error_summary_add(t, login_fields[i], labels[i]);
			errors++;
		}
	}
	const char *tckn = req_field(r, "tckn");
	if (!is_blank(tckn) && !tckn_valid(tckn)) {
		tpl_set(t, "tckn_error",
			"T.C. Kimlik No geçersiz: 11 haneli olmalı ve kontrol "
			"hanelerini sağlamalıdır.");
		error_summary_add(t, "tckn", labels[0]);
		errors++;
	}
	int y, m, dd;
	const char *dt = req_field(r, "dogum_tarihi");
	if (!is_blank(dt) && date_parse(dt, &y, &m, &dd) != 0) {
		tpl_set(t, "dogum_tarihi_error",
			"Doğum Tarihi GG.AA.YYYY ya da YYYY-AA-GG biçiminde "
			"geçerli bir tarih olmalıdır.");
		error_summary_add(t, "dogum_tarihi", labels[4]);
		errors++;
	}
	return errors;
}

int apply_captcha_ok(req *r)
{
	const char *want = session_get(r, "captcha");
	const char *exp = session_get(r, "captcha_exp");
	const char *given = req_field(r, "captcha");
	session_set(r, "captcha", NULL);
	session_set(r, "captcha_voice", NULL);
	session_set(r, "captcha_exp", NULL);
	if (req_is_dev(r))
		session_set(r, "captcha_dev", NULL);
	if (want == NULL || exp == NULL || given == NULL)
		return 0;
	long long until = 0;
	if (sscanf(exp, "%lld", &until) != 1 || clock_now() > until)
		return 0;
	return captcha_check_hash(want, given);
}

int apply_new_picture_requested(req *r)
{
	const char *action = req_field(r, "islem");
	return action != NULL && strcmp(action, "resim") == 0;
}

int apply_signin_gate_or_reply(req *r, struct uc_ctx *c, const struct signin_keys *k, tpl *t,
			       void (*again)(req *r, int status, tpl *t, const char *message))
{
	if (apply_new_picture_requested(r)) {
		/* "Yeni resim": the same page with what was typed, a new image;
		 * not a sign-in attempt. */
		again(r, 200, t, NULL);
		return -1;
	}
	if (signin_check_lock(c, k) != UC_OK) {
		again(r, 429, t, c->message);
		return -1;
	}
	if (!apply_captcha_ok(r)) {
		signin_failed(c, k, 0);
		tpl_set(t, "captcha_error",
			"Resimdeki yazıyı doğru giriniz (yeni bir resim "
			"gösterildi).");
		error_summary_add(t, "captcha", "Resimdeki Yazıyı Giriniz");
		again(r, 400, t, "Giriş yapılamadı: işaretli alanları düzeltiniz.");
		return -1;
	}
	return 0;
}

/* The names as the registry spells them, when the local registry has the
 * person (the KPS service only answers yes or no): the application, the PDF
 * and the certificate then carry the official spelling, not what was typed. */
static void registry_spelling(req *r, db *d, struct registry_query *q)
{
	if (registry_local_spelling(d, req_arena(r), q) < 0)
		log_error("apply: registry spelling of a login failed: %s", db_errmsg(d));
}

/* A new session id before the identity is stored (no session fixation);
 * -1 if that failed, and then nothing is stored. */
static int start_session(req *r, db *d, struct registry_query *q, const char *sicil)
{
	registry_spelling(r, d, q);
	if (session_rotate(r) != 0)
		return -1;
	session_set(r, "tckn", q->tckn);
	session_set(r, "ad", q->ad);
	session_set(r, "soyad", q->soyad);
	session_set(r, "dogum_yeri", q->dogum_yeri);
	session_set(r, "dogum_tarihi", q->dogum_tarihi);
	session_set(r, "sicil_no", sicil);
	return 0;
}

void apply_login_post(req *r)
{
	db *d = web_db_or_reply(r);
	if (d == NULL)
		return;
	tpl *t = tpl_new(r);
	const char *tckn = req_field(r, "tckn");
	struct uc_ctx c;
	struct signin_keys k;
	uc_ctx_init(&c, d, req_arena(r), "basvuru:giris", NULL, req_client_ip(r));
	signin_portal_keys(req_arena(r), req_client_ip(r), tckn, &k);
	if (apply_signin_gate_or_reply(r, &c, &k, t, login_again) != 0)
		return;
	if (check_login_format(r, t) > 0) {
		login_again(r, 400, t, "Giriş yapılamadı: işaretli alanları düzeltiniz.");
		return;
	}

	int y, m, dd;
	date_parse(req_field(r, "dogum_tarihi"), &y, &m, &dd);
	char iso[11];
	snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, dd);
	struct registry_query q = {
		.tckn = tckn,
		.ad = req_field(r, "ad"),
		.soyad = req_field(r, "soyad"),
		.dogum_yeri = req_field(r, "dogum_yeri"),
		.dogum_tarihi = iso,
	};
	enum registry_result res = registry_verify(d, &q);
	if (res == REG_UNAVAILABLE) {
		login_again(r, 503, t,
			    "Nüfus kayıt sistemine şu anda ulaşılamıyor. Lütfen biraz "
			    "sonra tekrar deneyin.");
		return;
	}
	struct personnel_record pr;
	if (res != REG_MATCH || personnel_lookup(d, tckn, req_field(r, "sicil_no"), &pr) != 0) {
		signin_failed(&c, &k, 1);
		log_info("apply: login mismatch from %s", req_client_ip(r));
		login_again(r, 400, t,
			    "Girdiğiniz bilgiler Nüfus ve Vatandaşlık İşleri kayıtları "
			    "ya da kurum personel kayıtları ile eşleşmedi. Bilgilerinizi "
			    "kontrol edip tekrar deneyin.");
		return;
	}
	signin_succeeded(&c, &k);
	if (start_session(r, d, &q, req_field(r, "sicil_no")) != 0) {
		reply_error(r, 500, "Oturum açılamadı. Lütfen tekrar deneyin.");
		return;
	}

	struct applicant who = {.tckn = tckn};
	struct application app;
	int rc = apply_open_application_or_reply(r, d, &who, &app);
	if (rc < 0)
		return;
	if (rc == 0) {
		reply_redirect(r, apply_next_step(&app));
		return;
	}
	/* A rejected applicant first reads the decision and its reason; the
	 * status page offers a new application. */
	rc = application_load_latest_for_tckn(d, req_arena(r), tckn, &app);
	reply_redirect(r,
		       rc == 0 && app.state == APP_REJECTED ? "/basvuru/durum" : "/basvuru/form");
}

void apply_logout(req *r)
{
	session_destroy(r);
	reply_redirect(r, "/basvuru");
}

void apply_captcha_png(req *r)
{
	char text[8];
	buf png;
	buf_init(&png, 1 << 20);
	if (captcha_new_text(text) != 0 || captcha_render_png(text, &png) != 0) {
		buf_free(&png);
		reply_error(r, 500, "Doğrulama resmi oluşturulamadı.");
		return;
	}
	/* The session keeps a keyed hash of the answer, and for the audio
	 * CAPTCHA the answer sealed with the instance key (util/seal.h), never
	 * the answer in clear; only dev mode keeps it in clear too, for
	 * /dev/captcha. */
	char hash[65], voice[128];
	if (captcha_hash(text, hash) != 0 || session_set(r, "captcha", hash) != 0 ||
	    seal_text(SECRET_CAPTCHA, text, voice, sizeof voice) != 0 ||
	    session_set(r, "captcha_voice", voice) != 0 ||
	    (req_is_dev(r) && session_set(r, "captcha_dev", text) != 0)) {
		sodium_memzero(text, sizeof text);
		buf_free(&png);
		reply_error(r, 500, "Doğrulama resmi oluşturulamadı.");
		return;
	}
	char exp[24];
	snprintf(exp, sizeof exp, "%lld", (long long)(clock_now() + CAPTCHA_TTL));
	session_set(r, "captcha_exp", exp);
	session_set(r, "captcha_audio", NULL); /* plays of the audio, per image */
	sodium_memzero(text, sizeof text);
	void *copy = arena_alloc(req_arena(r), png.len);
	if (copy == NULL) {
		buf_free(&png);
		reply_error(r, 500, "Doğrulama resmi oluşturulamadı.");
		return;
	}
	memcpy(copy, png.data, png.len);
	size_t len = png.len;
	buf_free(&png);
	reply_header(r, "Cache-Control", "no-store");
	reply_bytes(r, 200, "image/png", copy, len);
}

/* Dev mode only: the answer of the CAPTCHA bound to this session. */
void apply_dev_captcha(req *r)
{
	const char *text = session_get(r, "captcha_dev");
	if (text == NULL) {
		reply_error(r, 404, "Bu oturuma bağlı bir doğrulama resmi yok.");
		return;
	}
	reply_bytes(r, 200, "text/plain; charset=utf-8", text, strlen(text));
}
