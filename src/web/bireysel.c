/* NES Bireysel: routes, the fields each accepts, and the pieces shared by
 * bireysel_login.c, bireysel_certs.c and bireysel_contact.c (the holder's
 * session, the holder's record, SMS codes). */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "notify/outbox.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/secret.h"
#include "web/bireysel.h"

#define OTP_TTL 180
#define OTP_MAX_TRIES 3
#define OTP_RESEND_AFTER 60
#define OTP_MAX_PER_HOUR 5

const char *const bireysel_otp_purpose_names[BIREYSEL_OTP__MAX] = {"login", "contact"};

/* The SMS template of each purpose (templates/msg/<name>.txt). */
static const char *const otp_templates[BIREYSEL_OTP__MAX] = {"bireysel_otp",
							     "bireysel_contact_otp"};

int bireysel_holder_load(db *d, arena *ar, const char *tckn, struct application *app,
			 const char **hash)
{
	int rc = -1;
	int64_t id = 0;
	db_stmt *st = db_prepare(d, "SELECT id, security_word_hash FROM applications "
				    "WHERE tckn = $1 AND state IN ('PRODUCED', 'SHIPPED', "
				    "'DELIVERED') ORDER BY created_at DESC, id DESC LIMIT 1");
	if (st == NULL)
		goto out;
	db_bind_text(st, 1, tckn);
	int step = db_step(st);
	if (step == DB_DONE) {
		rc = 1;
		goto out;
	}
	if (step != DB_ROW)
		goto out;
	id = db_col_int64(st, 0);
	if (hash != NULL && (*hash = arena_strdup(ar, db_col_text(st, 1))) == NULL)
		goto out;
	rc = application_load(d, ar, id, app);
out:
	if (st != NULL)
		db_finalize(st);
	if (rc < 0)
		log_error("bireysel: loading the holder record failed: %s", db_errmsg(d));
	return rc;
}

int bireysel_holder_or_redirect(req *r, db **d, struct application *app)
{
	const char *tckn = session_get(r, "bireysel_tckn");
	if (tckn == NULL) {
		reply_redirect(r, "/bireysel");
		return -1;
	}
	*d = db_thread();
	if (*d == NULL) {
		reply_error(r, 503, "Veritabanına şu anda ulaşılamıyor. Lütfen biraz sonra tekrar "
				    "deneyin.");
		return -1;
	}
	int rc = bireysel_holder_load(*d, req_arena(r), tckn, app, NULL);
	if (rc < 0) {
		reply_error(r, 500, "Kayıtlarınız okunamadı. Lütfen tekrar deneyin.");
		return -1;
	}
	if (rc == 1) {
		session_set(r, "bireysel_tckn", NULL);
		reply_redirect(r, "/bireysel");
		return -1;
	}
	return 0;
}

const char *bireysel_actor(req *r, const struct application *app)
{
	return arena_printf(req_arena(r), "bireysel:%s", app->tckn);
}

tpl *bireysel_tpl(req *r, const struct application *app, const char *title,
		  const char *current)
{
	tpl *t = tpl_new(r);
	tpl_set(t, "title", title);
	tpl_setf(t, "holder_name", "%s %s", app->ad, app->soyad);
	tpl_set(t, arena_printf(req_arena(r), "menu_%s", current), "1");
	const char *flash = session_get(r, "bireysel_flash");
	if (flash != NULL) {
		tpl_set(t, "flash", flash);
		session_set(r, "bireysel_flash", NULL);
	}
	return t;
}

/* Keyed hash of "bireysel:<purpose>:<application id>:<code>". */
static int otp_hash(enum bireysel_otp_purpose purpose, int64_t app_id, const char *code,
		    char out[65])
{
	char msg[80];
	int n = snprintf(msg, sizeof msg, "bireysel:%s:%lld:%s",
			 bireysel_otp_purpose_names[purpose], (long long)app_id, code);
	int rc = -1;
	if (n > 0 && (size_t)n < sizeof msg)
		rc = secret_keyed_hash_hex(SECRET_OTP, msg, (size_t)n, out);
	sodium_memzero(msg, sizeof msg);
	return rc;
}

int bireysel_otp_send(req *r, db *d, const struct application *app,
		      enum bireysel_otp_purpose purpose, const char *mobile10, int new_number,
		      const char **error)
{
	int64_t now = clock_now();
	if (!new_number && app->otp_last_sent_at + OTP_RESEND_AFTER > now) {
		*error = "Yeni kod istemek için en az 60 saniye beklemelisiniz.";
		return 1;
	}
	int64_t sends = application_otp_sends_since(d, app->id, now - 3600);
	if (sends < 0)
		return -1;
	if (sends >= OTP_MAX_PER_HOUR) {
		*error = "Bir saat içinde en fazla 5 kod gönderilebilir. Lütfen daha sonra tekrar "
			 "deneyin.";
		return 1;
	}
	char code[8], hash[65];
	int rc = -1;
	struct notify_vars vars = {0};
	snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
	notify_vars_set(&vars, "code", code);
	if (otp_hash(purpose, app->id, code, hash) != 0 || db_begin(d) != 0)
		goto out;
	if (application_otp_store(d, app->id, hash, now + OTP_TTL, now) != 0 ||
	    outbox_enqueue_template(d, NOTIFY_SMS, mobile10, otp_templates[purpose], &vars,
				    app->number) != 0 ||
	    audit_append(d, &(struct audit_entry){
				    .actor = bireysel_actor(r, app),
				    .client_ip = req_client_ip(r),
				    .object = arena_printf(req_arena(r), "application:%s",
							   app->number),
				    .action = "bireysel_sms_code_sent",
				    .detail = bireysel_otp_purpose_names[purpose]}) != 0) {
		db_rollback(d);
		goto out;
	}
	rc = db_commit(d) == 0 ? 0 : -1;
out:
	sodium_memzero(code, sizeof code);
	sodium_memzero(hash, sizeof hash);
	sodium_memzero(&vars, sizeof vars);
	if (rc < 0)
		log_error("bireysel: sending a code for %s failed: %s", app->number, db_errmsg(d));
	return rc;
}

int bireysel_otp_check(req *r, db *d, const struct application *app,
		       enum bireysel_otp_purpose purpose, const char *given,
		       const char **error)
{
	int64_t now = clock_now();
	char hash[65];
	int rc = -1;
	if (given == NULL || strlen(given) != 6 || strspn(given, "0123456789") != 6) {
		*error = "SMS Doğrulama Kodu 6 haneli olmalıdır.";
		return 1;
	}
	if (app->otp_expires_at == 0 || app->otp_attempts >= OTP_MAX_TRIES) {
		*error = "Geçerli bir kodunuz yok. \"Yeni Kod Gönder\" ile yeni bir kod isteyin.";
		return 1;
	}
	if (now > app->otp_expires_at) {
		*error = "Kodun süresi doldu (3 dakika). \"Yeni Kod Gönder\" ile yeni bir kod "
			 "isteyin.";
		return 1;
	}
	const char *stored = application_otp_hash(d, req_arena(r), app->id);
	if (stored == NULL || otp_hash(purpose, app->id, given, hash) != 0)
		goto out;
	if (strlen(stored) != 64 || sodium_memcmp(stored, hash, 64) != 0) {
		if (application_otp_fail(d, app->id) != 0)
			goto out;
		int64_t left = OTP_MAX_TRIES - (app->otp_attempts + 1);
		*error = left > 0 ? arena_printf(req_arena(r),
						 "Kod hatalı. Kalan deneme hakkı: %lld.",
						 (long long)left)
				  : "Kod 3 kez hatalı girildi ve geçersiz oldu. \"Yeni Kod "
				    "Gönder\" ile yeni bir kod isteyin.";
		rc = 1;
		goto out;
	}
	rc = application_otp_clear(d, app->id) == 0 ? 0 : -1;
out:
	sodium_memzero(hash, sizeof hash);
	return rc;
}

/* ---- routes ---- */

static const struct field_spec login_fields[] = {
	{"captcha", FIELD_TEXT, 16},
	{"tckn", FIELD_TEXT, 32},
	{"guvenlik_sozcugu", FIELD_TEXT, 256},
	{NULL, 0, 0},
};

static const struct field_spec sms_fields[] = {
	{"islem", FIELD_TOKEN, 16},
	{"sms_kodu", FIELD_TEXT, 16},
	{NULL, 0, 0},
};

static const struct field_spec serial_fields[] = {
	{"seri", FIELD_TOKEN, 80},
	{NULL, 0, 0},
};

static const struct field_spec revoke_fields[] = {
	{"seri", FIELD_TOKEN, 80},
	{"neden", FIELD_TOKEN, 32},
	{"onay", FIELD_TOKEN, 8},
	{NULL, 0, 0},
};

static const struct field_spec contact_fields[] = {
	{"eposta", FIELD_TEXT, 300},
	{"cep_tel", FIELD_TEXT, 32},
	{"bilgi_kanali", FIELD_TOKEN, 16},
	{NULL, 0, 0},
};

static const struct field_spec captcha_fields[] = {
	{"n", FIELD_DIGITS, 12},
	{NULL, 0, 0},
};

static const struct field_spec no_fields[] = {{NULL, 0, 0}};

const struct route bireysel_routes[] = {
	{"GET", "/bireysel", bireysel_login_get, captcha_fields, 0, NULL},
	{"POST", "/bireysel", bireysel_login_post, login_fields, 0, NULL},
	{"GET", "/bireysel/sms", bireysel_sms_get, no_fields, 0, NULL},
	{"POST", "/bireysel/sms", bireysel_sms_post, sms_fields, 0, NULL},
	{"POST", "/bireysel/cikis", bireysel_logout, no_fields, 0, NULL},
	{"GET", "/bireysel/sertifikalar", bireysel_certs_get, no_fields, 0, NULL},
	{"POST", "/bireysel/askiya-al", bireysel_hold_post, serial_fields, 0, NULL},
	{"POST", "/bireysel/askidan-kaldir", bireysel_release_post, serial_fields, 0, NULL},
	{"GET", "/bireysel/iptal", bireysel_revoke_get, serial_fields, 0, NULL},
	{"POST", "/bireysel/iptal", bireysel_revoke_post, revoke_fields, 0, NULL},
	{"GET", "/bireysel/kurye", bireysel_courier_get, no_fields, 0, NULL},
	{"GET", "/bireysel/iletisim", bireysel_contact_get, no_fields, 0, NULL},
	{"POST", "/bireysel/iletisim", bireysel_contact_post, contact_fields, 0, NULL},
	{"POST", "/bireysel/iletisim/sms", bireysel_contact_sms_post, sms_fields, 0, NULL},
	{"GET", "/bireysel/pin", bireysel_pin_get, no_fields, 0, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
