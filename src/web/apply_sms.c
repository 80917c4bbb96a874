/* Steps 3 and 4 (Adım 3-4): the SMS code. A 6-digit code, stored only as a
 * keyed hash, valid 180 s, dead after 3 wrong tries; a new one no sooner than
 * 60 s after the last and at most 5 an hour. The code leaves through the
 * outbox in the same transaction that stores its hash. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/application.h"
#include "domain/phone.h"
#include "notify/outbox.h"
#include "store/audit.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/secret.h"
#include "web/apply.h"

#define OTP_TTL 180
#define OTP_MAX_TRIES 3
#define OTP_RESEND_AFTER 60
#define OTP_MAX_PER_HOUR 5

static int otp_hash(int64_t app_id, const char *code, char out[65])
{
	char msg[48];
	int n = snprintf(msg, sizeof msg, "%lld:%s", (long long)app_id, code);
	int rc = secret_keyed_hash_hex(SECRET_OTP, msg, (size_t)n, out);
	sodium_memzero(msg, sizeof msg);
	return rc;
}

/* The SMS steps serve only an application waiting for its code. */
static int load_for_sms(req *r, db **d, struct applicant *who, struct application *app)
{
	return apply_load_open_or_reply(r, d, who, app, 1u << APP_FORM_CONFIRMED,
					"/basvuru/form");
}

static void render_sms(req *r, int status, const struct application *app, tpl *t)
{
	char masked[32];
	phone_mask(app->cep_tel, masked);
	int64_t now = clock_now();
	int sent = app->otp_expires_at > 0;
	tpl_set(t, "title", sent ? "SMS Doğrulama Kodu" : "SMS Onay Kodu");
	tpl_set_int(t, "step", sent ? 4 : 3);
	tpl_set(t, "masked_phone", masked);
	tpl_set(t, "number", app->number);
	if (sent)
		tpl_set(t, "code_sent", "1");
	if (sent && app->otp_expires_at > now)
		tpl_set_int(t, "seconds_left", app->otp_expires_at - now);
	int64_t wait = app->otp_last_sent_at + OTP_RESEND_AFTER - now;
	if (sent && wait > 0)
		tpl_set_int(t, "resend_wait", wait);
	reply_page(r, status, "basvuru_sms.html", t);
}

void apply_sms_get(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	if (load_for_sms(r, &d, &who, &app) != 0)
		return;
	render_sms(r, 200, &app, tpl_new(r));
}

static int send_code(req *r, db *d, const struct application *app, const char **error)
{
	int64_t now = clock_now();
	if (app->otp_last_sent_at + OTP_RESEND_AFTER > now) {
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
	snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
	int rc = -1;
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "code", code);
	notify_vars_set(&vars, "application_no", app->number);
	if (otp_hash(app->id, code, hash) != 0 || db_begin(d) != 0)
		goto out;
	if (application_otp_store(d, app->id, hash, now + OTP_TTL, now) != 0 ||
	    outbox_enqueue_template(d, NOTIFY_SMS, app->cep_tel, "sms_otp", &vars,
				    app->number) != 0 ||
	    audit_append(d, &(struct audit_entry){
				    .actor = arena_printf(req_arena(r), "basvuru:%s", app->tckn),
				    .client_ip = req_client_ip(r),
				    .object = arena_printf(req_arena(r), "application:%s",
							   app->number),
				    .action = "sms_code_sent", .before = app->state,
				    .after = app->state}) != 0) {
		db_rollback(d);
		goto out;
	}
	rc = db_commit(d) == 0 ? 0 : -1;
out:
	sodium_memzero(code, sizeof code);
	sodium_memzero(&vars, sizeof vars);
	return rc;
}

/* 0 verified, 1 wrong/expired (message in *error), -1 error. */
static int verify_code(req *r, db *d, const struct application *app, const char *given,
		       const char **error)
{
	int64_t now = clock_now();
	if (app->otp_expires_at == 0 || app->otp_attempts >= OTP_MAX_TRIES) {
		*error = "Geçerli bir kodunuz yok. \"Gönder\" ile yeni bir kod isteyin.";
		return 1;
	}
	if (now > app->otp_expires_at) {
		*error = "Kodun süresi doldu (3 dakika). \"Gönder\" ile yeni bir kod isteyin.";
		return 1;
	}
	/* The try is used up before the comparison: parallel guesses must not
	 * all run against the same count. */
	int taken = application_otp_take_attempt(d, app->id, OTP_MAX_TRIES);
	if (taken < 0)
		return -1;
	const char *stored = taken == 0 ? application_otp_hash(d, req_arena(r), app->id) : NULL;
	if (stored == NULL) {
		*error = "Geçerli bir kodunuz yok. \"Gönder\" ile yeni bir kod isteyin.";
		return 1;
	}
	char hash[65];
	if (otp_hash(app->id, given, hash) != 0)
		return -1;
	if (strlen(stored) != 64 || sodium_memcmp(stored, hash, 64) != 0) {
		int64_t left = OTP_MAX_TRIES - (app->otp_attempts + 1);
		*error = left > 0 ? arena_printf(req_arena(r), "Kod hatalı. Kalan deneme hakkı: %lld.",
						 (long long)left)
				  : "Kod 3 kez hatalı girildi ve geçersiz oldu. \"Gönder\" ile yeni "
				    "bir kod isteyin.";
		return 1;
	}
	return 0;
}

/* SMS verified: one transaction moves the state, writes the audit record
 * and, for Kayıp/Çalıntı, revokes the lost certificate. */
static int mark_verified(req *r, db *d, const struct application *app)
{
	enum app_state to;
	unsigned flags;
	if (app_transition(APP_FORM_CONFIRMED, (unsigned)app->flags, EV_SMS_VERIFIED,
			   app_reason_parse(app->reason), 0, &to, &flags) != 0)
		return -1;
	int64_t now = clock_now();
	if (db_begin(d) != 0)
		return -1;
	const char *actor = arena_printf(req_arena(r), "basvuru:%s", app->tckn);
	int rc = application_set_state(d, app->id, app->state, app_state_name(to), flags,
				       "Başvuru sahibi", "SMS kodu doğrulandı", now);
	if (rc == 0)
		rc = application_otp_clear(d, app->id);
	if (rc == 0)
		rc = apply_revoke_for_lost(r, d, app);
	if (rc == 0)
		rc = audit_append(d, &(struct audit_entry){
			.actor = actor, .client_ip = req_client_ip(r),
			.object = arena_printf(req_arena(r), "application:%s", app->number),
			.action = "sms_verified", .before = app->state,
			.after = app_state_name(to)});
	if (rc != 0) {
		db_rollback(d);
		return -1;
	}
	if (db_commit(d) != 0)
		return -1;
	apply_after_revocation(d, app);
	return 0;
}

void apply_sms_post(req *r)
{
	db *d;
	struct applicant who;
	struct application app;
	if (load_for_sms(r, &d, &who, &app) != 0)
		return;
	const char *error = NULL, *action = req_field(r, "islem");
	int rc;
	if (action != NULL && strcmp(action, "gonder") == 0) {
		rc = send_code(r, d, &app, &error);
		if (rc == 0) {
			reply_redirect(r, "/basvuru/sms");
			return;
		}
	} else {
		const char *code = req_field(r, "sms_kodu");
		if (code == NULL || strlen(code) != 6) {
			error = "SMS Doğrulama Kodu 6 haneli olmalıdır.";
			rc = 1;
		} else {
			rc = verify_code(r, d, &app, code, &error);
			if (rc == 0)
				rc = mark_verified(r, d, &app);
			if (rc == 0) {
				reply_redirect(r, "/basvuru/imza");
				return;
			}
		}
	}
	if (rc < 0) {
		log_error("apply: sms step failed for %s: %s", app.number, db_errmsg(d));
		reply_error(r, 500, "İşlem tamamlanamadı. Lütfen tekrar deneyin.");
		return;
	}
	/* Reload so the page shows the attempts and times as stored now. */
	if (application_load(d, req_arena(r), app.id, &app) != 0) {
		reply_error(r, 500, "Başvurunuz okunamadı.");
		return;
	}
	tpl *t = tpl_new(r);
	tpl_set(t, "error", error);
	render_sms(r, 400, &app, t);
}
