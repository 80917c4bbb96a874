/* NES Bireysel login: CAPTCHA + T.C. Kimlik No + Güvenlik Sözcüğü (checked
 * against the holder record's Argon2id hash), then a 6-digit SMS code to the
 * holder's mobile number. Only after the code is the session logged in; the
 * session id changes at each of the two steps. One generic message for any
 * mismatch: it never says whether the number, the word or the holder status
 * was wrong. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "app/otp.h"
#include "app/signin.h"
#include "domain/phone.h"
#include "util/clock.h"
#include "util/log.h"
#include "web/apply.h"
#include "web/bireysel.h"
#include "web/error_summary.h"
#include "web/web.h"

static const char *const generic_failure =
	"Girdiğiniz bilgiler doğrulanamadı. T.C. Kimlik No ve Güvenlik Sözcüğünüzü kontrol "
	"edip tekrar deneyin.";

/* ---- step 1 ---- */

static void render_login(req *r, int status, tpl *t)
{
	tpl_set(t, "title", "NES Bireysel İşlemler");
	tpl_setf(t, "captcha_nonce", "%u", randombytes_random());
	reply_page(r, status, "bireysel_giris.html", t);
}

void bireysel_login_get(req *r)
{
	if (session_get(r, "bireysel_tckn") != NULL) {
		reply_redirect(r, "/bireysel/sertifikalar");
		return;
	}
	render_login(r, 200, tpl_new(r));
}

/* Keeps the typed number (never the word or the CAPTCHA). */
static void login_again(req *r, int status, tpl *t, const char *message)
{
	const char *tckn = req_field(r, "tckn");
	tpl_set(t, "tckn", tckn ? tckn : "");
	if (message != NULL)
		tpl_set(t, "error", message);
	render_login(r, status, t);
}

/* Word accepted: a new session id holding only the pending login, and the
 * code on its way. */
static void start_sms_step(req *r, db *d, const struct application *app)
{
	struct uc_ctx c;
	session_rotate(r);
	session_set(r, "bireysel_tckn", NULL);
	session_set(r, "bireysel_pending_tckn", app->tckn);
	session_set(r, "bireysel_pending_app",
		    arena_printf(req_arena(r), "%lld", (long long)app->id));
	bireysel_uc_ctx(r, &c, app);
	enum uc_rc rc = otp_send(&c, app, OTP_HOLDER_LOGIN, app->form[FF_CEP_TEL], 0);
	if (rc != UC_OK && rc != UC_LIMITED) {
		reply_error(r, 500, "SMS kodu gönderilemedi. Lütfen tekrar deneyin.");
		return;
	}
	if (rc == UC_LIMITED)
		session_set(r, "bireysel_flash", c.message);
	reply_redirect(r, "/bireysel/sms");
}

void bireysel_login_post(req *r)
{
	db *d = web_db_or_reply(r);
	if (d == NULL)
		return;
	tpl *t = tpl_new(r);
	const char *tckn = req_field(r, "tckn"), *hash = NULL;
	struct uc_ctx c;
	struct signin_keys k;
	uc_ctx_init(&c, d, req_arena(r), "bireysel:giris", NULL, req_client_ip(r));
	signin_holder_keys(req_arena(r), req_client_ip(r), tckn, &k);
	if (apply_signin_gate_or_reply(r, &c, &k, t, login_again) != 0)
		return;
	struct application app;
	int found = k.person_key != NULL ? bireysel_holder_load(d, req_arena(r), tckn, &app, &hash)
					 : 1;
	if (found < 0) {
		login_again(r, 500, t, "Kayıtlarınız okunamadı. Lütfen tekrar deneyin.");
		return;
	}
	if (!signin_secret_ok(found == 0 ? hash : NULL, req_field(r, "guvenlik_sozcugu"))) {
		signin_failed(&c, &k, 1);
		log_info("bireysel: login mismatch from %s", req_client_ip(r));
		login_again(r, 400, t, generic_failure);
		return;
	}
	signin_succeeded(&c, &k);
	start_sms_step(r, d, &app);
}

/* ---- step 2: the SMS code ---- */

/* The pending login's holder record, which must still be the one the word
 * was checked against. Otherwise back to /bireysel (returns -1). */
static int pending_or_redirect(req *r, db **d, struct application *app)
{
	const char *id = session_get(r, "bireysel_pending_app");
	if (id == NULL) {
		reply_redirect(r, "/bireysel");
		return -1;
	}
	int rc = bireysel_session_holder_or_reply(r, "bireysel_pending_tckn", d, app);
	if (rc < 0)
		return -1;
	char want[24];
	snprintf(want, sizeof want, "%lld", rc == 0 ? (long long)app->id : -1LL);
	if (strcmp(want, id) != 0) {
		session_set(r, "bireysel_pending_tckn", NULL);
		session_set(r, "bireysel_pending_app", NULL);
		reply_redirect(r, "/bireysel");
		return -1;
	}
	return 0;
}

/* error: beside the code field, or (sending) beside the send button. */
static void render_sms(req *r, int status, const struct application *app, const char *error,
		       int sending)
{
	tpl *t = tpl_new(r);
	char masked[32];
	int64_t now = clock_now();
	phone_mask(app->form[FF_CEP_TEL], masked);
	tpl_set(t, "title", "NES Bireysel: SMS Doğrulama Kodu");
	tpl_set(t, "masked_phone", masked);
	tpl_set(t, "action", "/bireysel/sms");
	const char *flash = session_get(r, "bireysel_flash");
	if (flash != NULL)
		session_set(r, "bireysel_flash", NULL);
	if (error != NULL)
		error_summary_sms(t, sending, error);
	else if (flash != NULL) /* the first code could not be sent yet */
		error_summary_sms(t, 1, flash);
	if (otp_seconds_left(app, now) > 0)
		tpl_set_int(t, "seconds_left", otp_seconds_left(app, now));
	if (otp_resend_wait(app, now) > 0)
		tpl_set_int(t, "resend_wait", otp_resend_wait(app, now));
	reply_page(r, status, "bireysel_sms.html", t);
}

void bireysel_sms_get(req *r)
{
	db *d;
	struct application app;
	if (pending_or_redirect(r, &d, &app) != 0)
		return;
	render_sms(r, 200, &app, NULL, 0);
}

/* Code accepted: the logged-in session under a new id. */
static void finish_login(req *r, const struct application *app)
{
	session_rotate(r);
	session_set(r, "bireysel_pending_tckn", NULL);
	session_set(r, "bireysel_pending_app", NULL);
	session_set(r, "bireysel_tckn", app->tckn);
	log_info("bireysel: login of application %s", app->number);
	reply_redirect(r, "/bireysel/sertifikalar");
}

void bireysel_sms_post(req *r)
{
	db *d;
	struct application app;
	if (pending_or_redirect(r, &d, &app) != 0)
		return;
	struct uc_ctx c;
	const char *action = req_field(r, "islem");
	enum uc_rc rc;
	bireysel_uc_ctx(r, &c, &app);
	if (action != NULL && strcmp(action, "gonder") == 0) {
		rc = otp_send(&c, &app, OTP_HOLDER_LOGIN, app.form[FF_CEP_TEL], 0);
		if (rc == UC_OK) {
			reply_redirect(r, "/bireysel/sms");
			return;
		}
	} else {
		rc = otp_check(&c, &app, OTP_HOLDER_LOGIN, req_field(r, "sms_kodu"));
		if (rc == UC_OK) {
			finish_login(r, &app);
			return;
		}
	}
	if ((rc != UC_INVALID && rc != UC_LIMITED) ||
	    application_load(d, req_arena(r), app.id, &app) != 0) {
		web_reply_uc(r, &c, rc == UC_INVALID || rc == UC_LIMITED ? UC_ERROR : rc);
		return;
	}
	render_sms(r, 400, &app, c.message, action != NULL && strcmp(action, "gonder") == 0);
}

void bireysel_logout(req *r)
{
	session_destroy(r);
	reply_redirect(r, "/bireysel");
}
