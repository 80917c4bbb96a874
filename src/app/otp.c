/* SMS codes (see otp.h). */
#include "app/otp.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "notify/outbox.h"
#include "store/audit.h"
#include "util/log.h"
#include "util/secret.h"

static const struct {
	const char *name, *sms_template, *audit_action, *send_button;
} purposes[OTP__MAX] = {
	[OTP_APPLY] = {"apply", "sms_otp", "sms_code_sent", "Gönder"},
	[OTP_HOLDER_LOGIN] = {"login", "bireysel_otp", "bireysel_sms_code_sent", "Yeni Kod Gönder"},
	[OTP_CONTACT_CHANGE] = {"contact", "bireysel_contact_otp", "bireysel_sms_code_sent",
				"Yeni Kod Gönder"},
	[OTP_HOLD_PROOF] = {"hold", "lost_hold_otp", "proof_sms_code_sent", "Kod Gönder"},
	[OTP_APP_PROOF] = {"owner", "apply_proof_otp", "proof_sms_code_sent", "Kod Gönder"},
};

const char *otp_purpose_name(enum otp_purpose p)
{
	return (unsigned)p < OTP__MAX ? purposes[p].name : "?";
}

/* Keyed hash of "<purpose>:<record id>:<code>": a code sent for one purpose
 * or record never passes for another. */
static int otp_hash(enum otp_purpose p, int64_t app_id, const char *code, char out[65])
{
	char msg[80];
	int n = snprintf(msg, sizeof msg, "%s:%lld:%s", purposes[p].name, (long long)app_id, code);
	int rc = -1;
	if (n > 0 && (size_t)n < sizeof msg)
		rc = secret_keyed_hash_hex(SECRET_OTP, msg, (size_t)n, out);
	sodium_memzero(msg, sizeof msg);
	return rc;
}

int64_t otp_seconds_left(const struct application *app, int64_t now)
{
	if (app->otp_expires_at <= now || app->otp_attempts >= OTP_MAX_TRIES)
		return 0;
	return app->otp_expires_at - now;
}

int64_t otp_resend_wait(const struct application *app, int64_t now)
{
	int64_t wait = app->otp_last_sent_at + OTP_RESEND_AFTER - now;
	return wait > 0 ? wait : 0;
}

/* Inside the open transaction: the limits, against the stored record. */
static enum uc_rc check_send_limits(struct uc_ctx *c, const struct application *app, int skip_wait)
{
	struct application now_app;
	if (application_load(c->d, c->a, app->id, &now_app) != 0)
		return UC_ERROR;
	if (!skip_wait && otp_resend_wait(&now_app, c->now) > 0)
		return uc_fail(c, UC_LIMITED, "sms_kodu",
			       "Yeni kod istemek için en az 60 saniye beklemelisiniz.");
	int64_t sends = application_otp_sends_since(c->d, app->id, c->now - 3600);
	if (sends < 0)
		return UC_ERROR;
	if (sends >= OTP_MAX_PER_HOUR)
		return uc_fail(c, UC_LIMITED, "sms_kodu",
			       "Bir saat içinde en fazla 5 kod gönderilebilir. Lütfen daha sonra "
			       "tekrar deneyin.");
	return UC_OK;
}

enum uc_rc otp_send(struct uc_ctx *c, const struct application *app, enum otp_purpose p,
		    const char *mobile10, int skip_wait)
{
	char code[8], hash[65];
	struct notify_vars vars = {0};
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	/* The limits are read, then the send recorded: two serve nodes must not
	 * both pass them for one application. */
	if (db_lock(c->d, arena_printf(c->a, "otp-of:%lld", (long long)app->id)) != DB_OK)
		return uc_end(c, UC_ERROR);
	rc = check_send_limits(c, app, skip_wait);
	if (rc != UC_OK)
		return uc_end(c, rc);
	snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
	notify_vars_set(&vars, "code", code);
	notify_vars_set(&vars, "application_no", app->number);
	if (otp_hash(p, app->id, code, hash) != 0 ||
	    application_otp_store(c->d, app->id, hash, c->now + OTP_TTL, c->now) != 0 ||
	    outbox_enqueue_template(c->d, NOTIFY_SMS, mobile10, purposes[p].sms_template, &vars,
				    app->number) != 0 ||
	    audit_append(c->d, &(struct audit_entry){.actor = c->actor,
						     .client_ip = c->client_ip,
						     .object = uc_application_object(c, app),
						     .action = purposes[p].audit_action,
						     .before = app_state_name(app->state),
						     .after = app_state_name(app->state),
						     .detail = purposes[p].name}) != 0) {
		log_error("otp: sending a %s code for %s failed: %s", purposes[p].name, app->number,
			  db_errmsg(c->d));
		rc = UC_ERROR;
	}
	rc = uc_end(c, rc);
	sodium_memzero(code, sizeof code);
	sodium_memzero(hash, sizeof hash);
	sodium_memzero(&vars, sizeof vars);
	return rc;
}

static enum uc_rc no_code(struct uc_ctx *c, enum otp_purpose p)
{
	return uc_fail(c, UC_INVALID, "sms_kodu",
		       arena_printf(c->a,
				    "Geçerli bir kodunuz yok. \"%s\" ile yeni bir kod "
				    "isteyin.",
				    purposes[p].send_button));
}

static enum uc_rc wrong_code(struct uc_ctx *c, enum otp_purpose p, int64_t used)
{
	int64_t left = OTP_MAX_TRIES - used;
	if (left > 0)
		return uc_fail(c, UC_INVALID, "sms_kodu",
			       arena_printf(c->a, "Kod hatalı. Kalan deneme hakkı: %lld.",
					    (long long)left));
	return uc_fail(c, UC_INVALID, "sms_kodu",
		       arena_printf(c->a,
				    "Kod 3 kez hatalı girildi ve geçersiz oldu. \"%s\" ile "
				    "yeni bir kod isteyin.",
				    purposes[p].send_button));
}

enum uc_rc otp_check(struct uc_ctx *c, const struct application *app, enum otp_purpose p,
		     const char *given)
{
	struct application cur;
	char hash[65];
	if (given == NULL || strlen(given) != 6 || strspn(given, "0123456789") != 6)
		return uc_fail(c, UC_INVALID, "sms_kodu", "SMS Doğrulama Kodu 6 haneli olmalıdır.");
	if (application_load(c->d, c->a, app->id, &cur) != 0)
		return UC_ERROR;
	if (cur.otp_expires_at == 0 || cur.otp_attempts >= OTP_MAX_TRIES)
		return no_code(c, p);
	if (c->now > cur.otp_expires_at)
		return uc_fail(c, UC_INVALID, "sms_kodu",
			       arena_printf(c->a,
					    "Kodun süresi doldu (3 dakika). \"%s\" ile yeni "
					    "bir kod isteyin.",
					    purposes[p].send_button));
	/* The try is used up before the comparison: parallel guesses must not
	 * all run against the same count. */
	int taken = application_otp_take_attempt(c->d, app->id, OTP_MAX_TRIES);
	if (taken < 0)
		return UC_ERROR;
	const char *stored = taken == 0 ? application_otp_hash(c->d, c->a, app->id) : NULL;
	if (stored == NULL)
		return no_code(c, p);
	if (otp_hash(p, app->id, given, hash) != 0)
		return UC_ERROR;
	int same = strlen(stored) == 64 && sodium_memcmp(stored, hash, 64) == 0;
	enum uc_rc rc = UC_OK;
	if (!same)
		rc = wrong_code(c, p, cur.otp_attempts + 1);
	else if (application_otp_consume(c->d, app->id, hash) != 0)
		rc = no_code(c, p); /* a parallel request used it first */
	sodium_memzero(hash, sizeof hash);
	return rc;
}
