/* E-mail confirmation of applications (see email_confirm.h). */
#include "app/email_confirm.h"

#include <sodium.h>
#include <string.h>

#include "notify/outbox.h"
#include "store/audit.h"
#include "store/email_proof.h"
#include "util/config.h"
#include "util/log.h"

/* SHA-256 of the token text, lower-case hex. */
static void token_hash(const char *token, char out[EMAIL_PROOF_HASH_HEX + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, EMAIL_PROOF_HASH_HEX + 1, h, sizeof h);
}

static int token_well_formed(const char *t)
{
	return t != NULL && strlen(t) == EMAIL_CONFIRM_TOKEN_HEX &&
	       strspn(t, "0123456789abcdef") == EMAIL_CONFIRM_TOKEN_HEX;
}

int email_confirm_queue(struct uc_ctx *c, const struct application *app)
{
	const char *email = app->form[FF_EPOSTA];
	unsigned char raw[EMAIL_CONFIRM_TOKEN_HEX / 2];
	char token[EMAIL_CONFIRM_TOKEN_HEX + 1], hash[EMAIL_PROOF_HASH_HEX + 1], link[1024];
	struct notify_vars vars = {0};
	if (email == NULL || email[0] == '\0')
		return 0;
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, sizeof token, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	token_hash(token, hash);
	notify_vars_set(&vars, "name", arena_printf(c->a, "%s %s", app->ad, app->soyad));
	notify_vars_set(&vars, "application_no", app->number);
	notify_vars_set(&vars, "hours", arena_printf(c->a, "%d", EMAIL_CONFIRM_HOURS));
	/* The link holds the token: on the stack, wiped, never in the arena. */
	int n = snprintf(link, sizeof link, "%s/basvuru/eposta-onay?t=%s",
			 config_get("server.base_url"), token);
	notify_vars_set(&vars, "link", link);
	int rc = n < 0 || (size_t)n >= sizeof link ||
				 email_proof_insert(c->d, hash, app->id, email, c->now,
						    c->now + EMAIL_CONFIRM_HOURS * 3600LL) != 0 ||
				 outbox_enqueue_template(c->d, NOTIFY_EMAIL, email, "email_confirm",
							 &vars, app->number) != 0
			 ? -1
			 : 0;
	sodium_memzero(token, sizeof token);
	sodium_memzero(link, sizeof link);
	return rc;
}

/* Inside the transaction: the token's use and its audit record. */
static enum uc_rc use(struct uc_ctx *c, const char *hash, const char **number, const char **email)
{
	int64_t id = 0;
	char addr[EMAIL_PROOF_EMAIL_MAX + 1];
	struct application app;
	int rc = email_proof_use(c->d, hash, c->now, &id, addr);
	if (rc != 0)
		return rc > 0 ? uc_fail(c, UC_NOT_FOUND, NULL,
					"Bu doğrulama bağlantısı geçersiz, kullanılmış ya da "
					"süresi dolmuş.")
			      : UC_ERROR;
	if (application_load(c->d, c->a, id, &app) != 0)
		return UC_ERROR;
	c->actor = arena_printf(c->a, "basvuru:%s", app.tckn);
	if (audit_append(c->d, &(struct audit_entry){.actor = c->actor,
						     .client_ip = c->client_ip,
						     .object = uc_application_object(c, &app),
						     .action = "email_confirmed",
						     .detail = addr}) != 0)
		return UC_ERROR;
	*number = app.number;
	*email = arena_printf(c->a, "%s", addr);
	log_info("%s email_confirmed %s", c->actor, app.number);
	return UC_OK;
}

enum uc_rc email_confirm_use(struct uc_ctx *c, const char *token, const char **number,
			     const char **email)
{
	char hash[EMAIL_PROOF_HASH_HEX + 1];
	if (!token_well_formed(token))
		return uc_fail(
			c, UC_NOT_FOUND, NULL,
			"Bu doğrulama bağlantısı geçersiz, kullanılmış ya da süresi dolmuş.");
	token_hash(token, hash);
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	rc = use(c, hash, number, email);
	if (rc == UC_ERROR)
		log_error("email confirmation failed: %s", db_errmsg(c->d));
	return uc_end(c, rc);
}

const char *email_confirm_for_cert(db *d, const struct application *app)
{
	const char *email = app->form[FF_EPOSTA];
	if (email == NULL || email[0] == '\0')
		return NULL;
	int proven = email_proof_proven(d, app->id, email);
	if (proven < 0)
		log_error("email proof of %s unreadable: %s", app->number, db_errmsg(d));
	return proven == 1 ? email : NULL;
}
