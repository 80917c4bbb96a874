/* Card production and its queue (see card.h). */
#include "app/card.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/operator.h"
#include "pki/card_pins.h"
#include "pki/card_token.h"
#include "pki/pinseal.h"
#include "pki/pki.h"
#include "store/audit.h"
#include "store/card.h"
#include "store/cardpin.h"
#include "util/config.h"
#include "util/log.h"

struct production {
	struct card_token *token;
	struct card_token_info info;
	unsigned char key[CARD_KEY_LEN];
	char so_pin[CARD_SO_PIN_DIGITS + 1];
	char transport_pin[CARD_TRANSPORT_PIN_DIGITS + 1];
	char label[33];
	int initialized; /* the card holds our PINs: a failure blanks it */
};

static void production_wipe(struct production *p)
{
	card_token_close(p->token);
	sodium_memzero(p, sizeof *p);
}

static enum uc_rc invalid(struct uc_ctx *c, const char *what, const char *err)
{
	return uc_fail(c, UC_INVALID, NULL,
		       arena_printf(c->a, "%s%s%s", what, err[0] ? ": " : "", err));
}

/* The card is one we may initialise: blank (never initialised, or made
 * blank by us: its sealed SO PIN opens into old_so), not produced. */
static enum uc_rc card_usable(struct uc_ctx *c, struct production *p, char *old_so, size_t n,
			      int *has_old)
{
	struct card_row row;
	*has_old = 0;
	if (!p->info.initialized)
		return UC_OK;
	int f = card_load(c->d, c->a, p->info.serial, &row);
	if (f < 0)
		return UC_ERROR;
	if (f == 0 && row.status == CARD_PRODUCED)
		return uc_fail(c, UC_CONFLICT, NULL,
			       arena_printf(c->a,
					    "Bu kart (seri %s) zaten üretilmiş; ikinci kez "
					    "üretilemez.",
					    p->info.serial));
	if (f == 1 ||
	    card_pin_open(p->key, "so", p->info.serial, row.so_pin_sealed, old_so, n) != 0)
		return uc_fail(c, UC_CONFLICT, NULL,
			       arena_printf(c->a,
					    "Bu kart (seri %s) başlatılmış ve SM'nin kaydında "
					    "yok; boş bir kart takınız.",
					    p->info.serial));
	*has_old = 1;
	return UC_OK;
}

/* The PINs once more, sealed to the signer's PIN key (pki/pinseal.h), for
 * the holder's PIN setting: the web process hands them out only through the
 * signer's OPEN_PIN after an e-Devlet sign-in (docs/SECURITY.md "PIN
 * setting"); the card-key copy above stays with production (a blank card's
 * SO PIN). 0, 1 (the application has a card already), -1. */
static int record_for_holder(struct uc_ctx *c, const struct application *app,
			     const struct production *p)
{
	unsigned char t[PKI_PINSEAL_MAX], so[PKI_PINSEAL_MAX];
	size_t tl = 0, sl = 0;
	char err[256] = "";
	const char *dir = config_get("ca.dir");
	if (pki_pinseal_seal(dir, p->transport_pin, t, &tl, err, sizeof err) != 0 ||
	    pki_pinseal_seal(dir, p->so_pin, so, &sl, err, sizeof err) != 0) {
		log_error("%s: card %s: PINs not sealed for the holder: %s", c->actor,
			  p->info.serial, err);
		return -1;
	}
	return cardpin_store(c->d, app->id, p->info.serial, t, tl, so, sl, c->now);
}

/* Inside the production's transaction, the certificate issued: onto the
 * card, then the card's row and the audit record. */
static enum uc_rc finish(struct uc_ctx *c, const struct application *app, const char *serial,
			 void *arg)
{
	struct production *p = arg;
	char err[256] = "", so[CARD_SEALED_MAX], tr[CARD_SEALED_MAX];
	size_t len = 0;
	unsigned char *der = pki_cert_der(c->d, serial, &len);
	if (der == NULL)
		return UC_ERROR;
	int w = card_token_store_cert(p->token, der, len, p->label, err, sizeof err);
	free(der);
	if (w != 0)
		return invalid(c, "Sertifika karta yazılamadı", err);
	if (card_pin_seal(p->key, "so", p->info.serial, p->so_pin, so) != 0 ||
	    card_pin_seal(p->key, "transport", p->info.serial, p->transport_pin, tr) != 0)
		return UC_ERROR;
	int r = card_record_produced(c->d, p->info.serial, app->id, serial, so, tr, c->actor,
				     c->now);
	if (r == 1 || (r == 0 && (r = record_for_holder(c, app, p)) == 1))
		return uc_fail(c, UC_CONFLICT, NULL, "Bu kart zaten üretilmiş.");
	if (r != 0 || card_job_remove(c->d, app->id) != 0 ||
	    audit_append(c->d, &(struct audit_entry){
				       .actor = c->actor,
				       .client_ip = c->client_ip,
				       .object = uc_application_object(c, app),
				       .action = "card_produced",
				       .before = app_state_name(app->state),
				       .after = app_state_name(app->state),
				       .detail = arena_printf(c->a, "kart %s, sertifika %s",
							      p->info.serial, serial)}) != 0) {
		log_error("%s: card %s: %s", c->actor, p->info.serial, db_errmsg(c->d));
		return UC_ERROR;
	}
	return UC_OK;
}

/* A failed production: the card made blank again, its SO PIN sealed for a
 * later production (its own transaction; the failed one rolled back). */
static void make_blank(struct uc_ctx *c, struct production *p, struct card_result *out)
{
	char err[256] = "", so_now[40] = "", sealed[CARD_SEALED_MAX];
	if (!p->initialized)
		return;
	if (card_token_blank(p->token, so_now, sizeof so_now, err, sizeof err) != 0) {
		log_error("%s: card %s could not be made blank: %s", c->actor, p->info.serial, err);
		return;
	}
	out->token_blank = 1;
	int r = card_pin_seal(p->key, "so", p->info.serial, so_now, sealed);
	sodium_memzero(so_now, sizeof so_now);
	if (r != 0 || db_begin(c->d) != DB_OK)
		goto fail;
	if (card_record_blank(c->d, p->info.serial, sealed, c->now) != 0) {
		db_rollback(c->d);
		goto fail;
	}
	if (db_commit(c->d) == DB_OK) {
		log_info("%s: card %s made blank after a failed production", c->actor,
			 p->info.serial);
		return;
	}
fail:
	log_error("%s: blank card %s: its SO PIN was not recorded: %s", c->actor, p->info.serial,
		  db_errmsg(c->d));
}

/* Initialises the card and generates the key; returns the request signed
 * on the card (caller frees) or NULL (c->message). */
static unsigned char *prepare(struct uc_ctx *c, struct application *app, struct production *p,
			      const struct card_opts *o, size_t *csr_len, enum uc_rc *rc)
{
	char err[256] = "", old_so[40] = "";
	int has_old = 0;
	unsigned char *csr = NULL;
	*rc = card_usable(c, p, old_so, sizeof old_so, &has_old);
	if (*rc != UC_OK)
		return NULL;
	card_random_digits(p->so_pin, sizeof p->so_pin, CARD_SO_PIN_DIGITS);
	card_random_digits(p->transport_pin, sizeof p->transport_pin, CARD_TRANSPORT_PIN_DIGITS);
	snprintf(p->label, sizeof p->label, "E-IMZA %s", app->number);
	int r = card_token_init(p->token, has_old ? old_so : NULL, p->so_pin, p->transport_pin,
				p->label, &p->info, err, sizeof err);
	sodium_memzero(old_so, sizeof old_so);
	p->initialized = 1; /* even a half-done C_InitToken is undone */
	if (r != 0 || p->info.serial[0] == '\0') {
		*rc = invalid(c, "Kart başlatılamadı", err);
		return NULL;
	}
	EVP_PKEY *pub = card_token_generate(p->token, o->key_type, err, sizeof err);
	if (pub == NULL) {
		*rc = invalid(c, "Kartta anahtar üretilemedi", err);
		return NULL;
	}
	r = card_token_csr(p->token, pub, app->number, &csr, csr_len, err, sizeof err);
	EVP_PKEY_free(pub);
	if (r != 0)
		*rc = invalid(c, "Kartta sertifika isteği imzalanamadı", err);
	return r == 0 ? csr : NULL;
}

enum uc_rc card_produce(struct uc_ctx *c, struct application *app, const struct card_opts *o,
			struct card_result *out)
{
	struct production p = {0};
	char err[256] = "", keypath[4096];
	size_t csr_len = 0;
	unsigned char *csr = NULL;
	enum uc_rc rc;
	memset(out, 0, sizeof *out);
	if (app->state != APP_APPROVED)
		return uc_fail(c, UC_CONFLICT, NULL, "Bu başvuru kart üretimi beklemiyor.");
	int had = card_produced_for(c->d, app->id);
	if (had != 0)
		return had < 0 ? UC_ERROR
			       : uc_fail(c, UC_CONFLICT, NULL,
					 "Bu başvurunun kartı zaten üretildi.");
	if (card_key_path(keypath, sizeof keypath) != 0 ||
	    card_key_load(keypath, 1, p.key, err, sizeof err) != 0)
		return invalid(c, "Kart anahtarı", err);
	if (card_token_open(o->module, o->slot, &p.token, &p.info, err, sizeof err) != 0) {
		rc = invalid(c, "Kart açılamadı", err);
		goto out;
	}
	csr = prepare(c, app, &p, o, &csr_len, &rc);
	if (csr == NULL)
		goto out;
	struct op_card card = {csr, csr_len, finish, &p};
	rc = operator_produce_card(c, app, &card, out->cert_serial);
out:
	snprintf(out->token_serial, sizeof out->token_serial, "%s", p.info.serial);
	if (rc != UC_OK)
		make_blank(c, &p, out);
	if (rc == UC_OK)
		log_info("%s: card %s produced for %s (certificate %s)", c->actor, p.info.serial,
			 app->number, out->cert_serial);
	else
		log_warn("%s: card production for %s failed: %s", c->actor, app->number,
			 c->message ? c->message : uc_rc_name(rc));
	free(csr);
	production_wipe(&p);
	return rc;
}

enum uc_rc card_queue(struct uc_ctx *c, struct application *app)
{
	if (app->state != APP_APPROVED)
		return uc_fail(c, UC_CONFLICT, NULL, "Bu başvuru kart üretimi beklemiyor.");
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	int r = card_job_add(c->d, app->id, c->actor, c->now);
	if (r == 1)
		rc = uc_fail(c, UC_CONFLICT, NULL, "Bu başvurunun kartı zaten üretim kuyruğunda.");
	else if (r != 0 ||
		 audit_append(c->d, &(struct audit_entry){
					    .actor = c->actor,
					    .client_ip = c->client_ip,
					    .object = uc_application_object(c, app),
					    .action = "card_production_queued",
					    .before = app_state_name(app->state),
					    .after = app_state_name(app->state),
					    .detail = "Kart üretimi kuyruğa alındı"}) != 0) {
		log_error("%s: card job for %s: %s", c->actor, app->number, db_errmsg(c->d));
		rc = UC_ERROR;
	}
	return uc_end(c, rc);
}

int card_is_queued(struct uc_ctx *c, const struct application *app)
{
	return card_job_queued(c->d, app->id);
}
