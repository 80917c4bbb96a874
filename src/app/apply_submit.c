/* Step 2 (Adım 2): "Form Onayla" stores the application as FORM_CONFIRMED. */
#include <sodium.h>
#include <string.h>

#include "app/apply.h"
#include "app/email_confirm.h"
#include "app/onrecord.h"
#include "app/txn.h"
#include "domain/date.h"
#include "domain/renewal.h"
#include "store/audit.h"
#include "store/certificate.h"
#include "store/store.h"
#include "util/config.h"
#include "util/log.h"

#define MAX_CERTS 16

unsigned apply_allowed_reasons(struct uc_ctx *c, const char *tckn)
{
	struct cert_summary certs[MAX_CERTS];
	int n = certificate_history(c->d, tckn, certs, MAX_CERTS);
	return renewal_allowed_reasons(certs, n > 0 ? (size_t)n : 0, c->now);
}

static int district_ok(void *ctx, int plate, const char *ilce)
{
	return store_district_exists(ctx, plate, ilce);
}

/* The fee of a reason in kuruş: the configured table (fees.*, a bad or
 * missing value counts as 0) looked up by the domain rule. */
static long fee_for(enum app_reason reason)
{
	static const char *const keys[REASON__MAX] = {"fees.first", "fees.renewal",
						      "fees.lost_stolen", "fees.other"};
	long table[REASON__MAX];
	for (int i = 0; i < REASON__MAX; i++)
		if (fee_parse_tl(config_get(keys[i]), &table[i]) != 0)
			table[i] = 0;
	long kurus = fee_for_reason(reason, table);
	return kurus > 0 ? kurus : 0;
}

/* Every new application on a T.C. Kimlik No is told at once to the contacts
 * on record (app/onrecord.h): the portal's login proves only registry data,
 * so this is how a holder learns of an application made in their name. */
static int notify_record(struct uc_ctx *c, const struct application *app)
{
	struct notify_vars vars = {0};
	char when[17];
	date_format_tr_time(c->now, when);
	notify_vars_set(&vars, "application_no", app->number);
	notify_vars_set(&vars, "reason", app_reason_label_tr(app->reason));
	notify_vars_set(&vars, "date", when);
	return onrecord_notify(c, app->tckn, "tckn_new_application", &vars);
}

/* Inserts the row, its audit record and the notice to the contacts on
 * record; the caller's transaction is open. */
static enum uc_rc insert(struct uc_ctx *c, const struct applicant *who,
			 const struct personnel_record *pr, const struct app_form_clean *f,
			 const char *word_hash, struct application *out)
{
	const char *replaces = NULL;
	if (f->reason != REASON_ILK &&
	    certificate_current_serial(c->d, c->a, who->tckn, c->now, &replaces) < 0)
		return UC_ERROR;
	struct application_new a = {
		.tckn = who->tckn,
		.ad = who->ad,
		.soyad = who->soyad,
		.dogum_yeri = who->dogum_yeri,
		.dogum_tarihi = who->dogum_tarihi,
		.sicil_no = who->sicil_no,
		.kurum_kodu = pr->kurum_kodu,
		.kurum_adi = pr->kurum_adi,
		.yetki_birimi = pr->yetki_birimi,
		.security_word_hash = word_hash,
		.fee_kurus = fee_for(f->reason),
		.replaces_serial = replaces,
	};
	/* Every field is stored as the form's check normalised it. */
	for (int i = 0; i < FF__MAX; i++)
		a.form[i] = f->value[i];
	int64_t id;
	char number[24];
	if (application_insert(c->d, &a, c->now, &id, number) != 0 ||
	    application_load(c->d, c->a, id, out) != 0)
		return UC_ERROR;
	if (audit_append(c->d, &(struct audit_entry){.actor = c->actor,
						     .client_ip = c->client_ip,
						     .object = uc_application_object(c, out),
						     .action = "form_confirmed",
						     .after = app_state_name(APP_FORM_CONFIRMED),
						     .detail = app_reason_name(out->reason)}) != 0)
		return UC_ERROR;
	if (notify_record(c, out) != 0 || email_confirm_queue(c, out) != 0)
		return UC_ERROR;
	log_info("%s form_confirmed %s", c->actor, out->number);
	return UC_OK;
}

/* The transaction: one open application per person, the reason still
 * allowed, then the row. */
static enum uc_rc store(struct uc_ctx *c, const struct applicant *who,
			const struct personnel_record *pr, const struct app_form_clean *f,
			const char *word_hash, struct application *out)
{
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	/* Two nodes must not both find no open application and both insert. */
	if (db_lock(c->d, arena_printf(c->a, "application-of:%s", who->tckn)) != DB_OK)
		return uc_end(c, UC_ERROR);
	struct application current;
	int found = application_load_open_for_tckn(c->d, c->a, who->tckn, &current);
	if (found < 0)
		rc = UC_ERROR;
	else if (found == 0)
		rc = uc_fail(c, UC_CONFLICT, NULL,
			     "Devam eden bir başvurunuz var; yeni başvuru yapılamaz.");
	else if (!(apply_allowed_reasons(c, who->tckn) & (1u << f->reason)))
		rc = uc_fail(c, UC_CONFLICT, "basvuru_nedeni",
			     "Başvuru nedeni bu arada değişti; formu yeniden gönderin.");
	else
		rc = insert(c, who, pr, f, word_hash, out);
	if (rc == UC_ERROR)
		log_error("%s: storing application failed: %s", c->actor, db_errmsg(c->d));
	return uc_end(c, rc);
}

enum uc_rc apply_submit(struct uc_ctx *c, const struct applicant *who,
			const struct personnel_record *pr, struct app_form *in,
			struct form_errors *err, struct application *out)
{
	struct app_form_clean *f = arena_alloc(c->a, sizeof *f);
	if (f == NULL)
		return UC_ERROR;
	in->allowed_reasons = apply_allowed_reasons(c, who->tckn);
	in->district_ok = district_ok;
	in->district_ctx = c->d;
	in->ad = who->ad;
	in->soyad = who->soyad;
	in->tckn = who->tckn;
	if (form_validate(in, err, f) > 0)
		return uc_fail(c, UC_INVALID, NULL, "Formda düzeltilmesi gereken alanlar var.");
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, f->guvenlik_sozcugu, strlen(f->guvenlik_sozcugu),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return uc_fail(c, UC_UNAVAILABLE, NULL,
			       "Sunucu şu anda yoğun; lütfen tekrar deneyin.");
	enum uc_rc rc;
	int attempt = 0;
	do
		rc = store(c, who, pr, f, hash, out);
	while (uc_again(c, rc, &attempt));
	sodium_memzero(hash, sizeof hash);
	return rc;
}
