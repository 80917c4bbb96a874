/* The holder's card PIN: authorization and exchange (cardpin.h). */
#include "app/cardpin.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "pki/pinseal.h"
#include "pki/signer.h"
#include "store/audit.h"
#include "util/config.h"
#include "util/log.h"

static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* 32: 5 bits each */

int pin_code_normalize(const char *in, char out[PIN_CODE_LEN + 1])
{
	size_t n = 0;
	for (const char *p = in; p != NULL && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		char ch = (char)toupper((unsigned char)*p);
		if (n == PIN_CODE_LEN || ch == '\0' || strchr(code_alphabet, ch) == NULL)
			return -1;
		out[n++] = ch;
	}
	out[n] = '\0';
	return n == PIN_CODE_LEN ? 0 : -1;
}

static void code_hash(const char *code, char hex[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)code, strlen(code), NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

static int code_minutes(void)
{
	int64_t m = config_get_int("card.pin_code_minutes");
	return m >= 1 && m <= 60 ? (int)m : 10;
}

static int audit(struct uc_ctx *c, const char *number, const char *action, const char *detail)
{
	return audit_append(c->d, &(struct audit_entry){
					  .actor = c->actor,
					  .client_ip = c->client_ip,
					  .object = arena_printf(c->a, "application:%s", number),
					  .action = action,
					  .detail = detail});
}

enum uc_rc uc_pin_authorize(struct uc_ctx *c, const struct application *holder,
			    enum pin_purpose purpose, char shown[PIN_CODE_SHOWN + 1])
{
	char code[PIN_CODE_LEN + 1], hex[65];
	const char *serial = NULL;
	const unsigned char *sealed = NULL;
	size_t len = 0;
	if (holder->state != APP_DELIVERED)
		return uc_fail(c, UC_CONFLICT, NULL,
			       "PIN işlemleri kartınız size teslim edildikten sonra yapılabilir.");
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	int have = cardpin_load(c->d, c->a, holder->id, purpose, &serial, &sealed, &len);
	if (have == 1) {
		rc = uc_fail(c, UC_CONFLICT, NULL,
			     "Kartınızın kaydı bulunamadı. Lütfen Sertifika Hizmet Sağlayıcı ile "
			     "iletişime geçin.");
		goto out;
	}
	for (int i = 0; i < PIN_CODE_LEN; i++)
		code[i] = code_alphabet[randombytes_uniform(sizeof code_alphabet - 1)];
	code[PIN_CODE_LEN] = '\0';
	code_hash(code, hex);
	int minutes = code_minutes();
	if (have != 0 ||
	    pinauth_insert(c->d, holder->id, purpose, hex, c->now, c->now + 60 * minutes) != 0 ||
	    audit(c, holder->number, "pin_authorization",
		  arena_printf(c->a, "%s, %d dakika geçerli", pin_purpose_names[purpose],
			       minutes)) != 0) {
		log_error("%s: storing a PIN authorization failed: %s", c->actor, db_errmsg(c->d));
		rc = UC_ERROR;
		goto out;
	}
	snprintf(shown, PIN_CODE_SHOWN + 1, "%.4s-%.4s-%.4s-%.4s", code, code + 4, code + 8,
		 code + 12);
out:
	sodium_memzero(code, sizeof code);
	return uc_end(c, rc);
}

enum uc_rc uc_pin_exchange(struct uc_ctx *c, const char *code, const char *token_serial,
			   enum pin_purpose *purpose, char *pin, size_t pinlen)
{
	static const char *const refused =
		"Yetki kodu geçersiz, kullanılmış ya da süresi dolmuş; veya bu kart için değil.";
	char norm[PIN_CODE_LEN + 1], hex[65], err[256] = "";
	int64_t app_id = 0;
	const char *serial = NULL;
	const unsigned char *sealed = NULL;
	unsigned char *opened = NULL;
	size_t len = 0, olen = 0;
	if (pin_code_normalize(code, norm) != 0)
		return uc_fail(c, UC_FORBIDDEN, "yetki", refused);
	code_hash(norm, hex);
	sodium_memzero(norm, sizeof norm);
	enum uc_rc rc = uc_begin(c);
	if (rc != UC_OK)
		return rc;
	int found = pinauth_consume(c->d, hex, c->now, &app_id, purpose);
	if (found == 1) {
		rc = uc_fail(c, UC_FORBIDDEN, "yetki", refused);
		goto out;
	}
	struct application app;
	if (found != 0 || application_load(c->d, c->a, app_id, &app) != 0 ||
	    cardpin_load(c->d, c->a, app_id, *purpose, &serial, &sealed, &len) != 0) {
		log_error("%s: PIN exchange: reading the authorization or card failed: %s",
			  c->actor, db_errmsg(c->d));
		rc = UC_ERROR;
		goto out;
	}
	int same = token_serial != NULL && strcmp(serial, token_serial) == 0;
	if (audit(c, app.number, same ? "pin_released" : "pin_release_refused",
		  arena_printf(c->a, "%s, kart %s", pin_purpose_names[*purpose],
			       same ? serial : "farklı")) != 0) {
		rc = UC_ERROR;
		goto out;
	}
	if (!same) {
		/* The authorization is spent either way: commit, then refuse. */
		rc = uc_end(c, UC_OK);
		return rc == UC_OK ? uc_fail(c, UC_FORBIDDEN, "kart_seri", refused) : rc;
	}
	if (signer_sign(SIGNER_OPEN_PIN, sealed, len, &opened, &olen, err, sizeof err) != 0 ||
	    olen + 1 > pinlen || !pki_pin_plausible((const char *)opened, olen)) {
		log_error("%s: PIN exchange: the signer did not open the PIN: %s", c->actor,
			  err[0] ? err : "bad answer");
		rc = UC_ERROR;
		goto out;
	}
	memcpy(pin, opened, olen);
	pin[olen] = '\0';
out:
	if (opened != NULL) {
		sodium_memzero(opened, olen);
		free(opened);
	}
	return uc_end(c, rc);
}
