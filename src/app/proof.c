/* Proof of being the holder or the maker of an application (see proof.h). */
#include "app/proof.h"

#include <string.h>

#include "app/otp.h"
#include "app/signin.h"
#include "store/holder.h"
#include "util/log.h"

#define MSG_WRONG_WORD "Güvenlik sözcüğü doğrulanamadı."
#define MSG_NO_HOLDER \
	"Adınıza kayıtlı bir sertifika sahibi kaydı bulunamadı; bu doğrulama yapılamaz."

static const enum otp_purpose purpose[PROOF__MAX] = {
	[PROOF_HOLDER] = OTP_HOLD_PROOF,
	[PROOF_MAKER] = OTP_APP_PROOF,
};

/* The holder record of app's person: 0 found, 1 none, -1 error (logged). */
static int load_holder(struct uc_ctx *c, const struct application *app, struct application *holder,
		       const char **hash)
{
	int rc = holder_load(c->d, c->a, app->tckn, holder, hash);
	if (rc < 0)
		log_error("%s: reading the holder record failed: %s", c->actor, db_errmsg(c->d));
	return rc;
}

enum uc_rc proof_number(struct uc_ctx *c, const struct application *app, enum proof_kind k,
			const char **mobile10)
{
	struct application holder;
	int rc = load_holder(c, app, &holder, NULL);
	if (rc < 0)
		return UC_ERROR;
	if (rc == 0) {
		*mobile10 = holder.form[FF_CEP_TEL];
		return UC_OK;
	}
	if (k == PROOF_HOLDER)
		return uc_fail(c, UC_NOT_FOUND, NULL, MSG_NO_HOLDER);
	*mobile10 = app->form[FF_CEP_TEL];
	return UC_OK;
}

/* 1 when word matches one of the hashes that count for k. Every call runs
 * at least one Argon2id check (a dummy one without a hash), so an answer
 * takes the same time whether a record exists or not. */
static int word_matches(struct uc_ctx *c, const struct application *app, enum proof_kind k,
			const char *word, int *err)
{
	struct application holder;
	const char *holder_hash = NULL, *own_hash = NULL;
	int rc = load_holder(c, app, &holder, &holder_hash);
	*err = rc < 0;
	if (rc != 0)
		holder_hash = NULL;
	if (k == PROOF_MAKER) {
		own_hash = application_security_word_hash(c->d, c->a, app->id);
		if (own_hash != NULL && signin_secret_ok(own_hash, word))
			return 1;
	}
	if (holder_hash == NULL && own_hash != NULL)
		return 0;
	return signin_secret_ok(holder_hash, word);
}

enum uc_rc proof_word(struct uc_ctx *c, const struct application *app, enum proof_kind k,
		      const char *word)
{
	struct signin_keys keys;
	signin_holder_keys(c->a, c->client_ip, app->tckn, &keys);
	enum uc_rc rc = signin_check_lock(c, &keys);
	if (rc != UC_OK)
		return rc;
	if (word == NULL || *word == '\0')
		return uc_fail(c, UC_INVALID, "guvenlik_sozcugu", "Güvenlik Sözcüğünü giriniz.");
	int err = 0;
	if (word_matches(c, app, k, word, &err)) {
		signin_succeeded(c, &keys);
		return UC_OK;
	}
	if (err)
		return UC_ERROR;
	signin_failed(c, &keys, 1);
	log_info("%s: security word proof failed for %s", c->actor, app->number);
	return uc_fail(c, UC_INVALID, "guvenlik_sozcugu", MSG_WRONG_WORD);
}

enum uc_rc proof_send_code(struct uc_ctx *c, const struct application *app, enum proof_kind k,
			   int first)
{
	const char *mobile10 = NULL;
	enum uc_rc rc = proof_number(c, app, k, &mobile10);
	if (rc != UC_OK)
		return rc;
	return otp_send(c, app, purpose[k], mobile10, first);
}

enum uc_rc proof_code(struct uc_ctx *c, const struct application *app, enum proof_kind k,
		      const char *code)
{
	return otp_check(c, app, purpose[k], code);
}
