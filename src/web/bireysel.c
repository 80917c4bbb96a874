/* NES Bireysel: routes, the fields each accepts, and the pieces shared by
 * bireysel_login.c, bireysel_certs.c and bireysel_contact.c (the holder's
 * session, the holder's record, SMS codes). */
#include "store/holder.h"
#include "util/log.h"
#include "web/bireysel.h"
#include "web/web.h"

int bireysel_holder_load(db *d, arena *ar, const char *tckn, struct application *app,
			 const char **hash)
{
	int rc = holder_load(d, ar, tckn, app, hash);
	if (rc < 0)
		log_error("bireysel: loading the holder record failed: %s", db_errmsg(d));
	return rc;
}

int bireysel_session_holder_or_reply(req *r, const char *key, db **d, struct application *app)
{
	const char *tckn = session_get(r, key);
	if (tckn == NULL)
		return 1;
	if ((*d = web_db_or_reply(r)) == NULL)
		return -1;
	int rc = bireysel_holder_load(*d, req_arena(r), tckn, app, NULL);
	if (rc < 0) {
		reply_error(r, 500, "Kayıtlarınız okunamadı. Lütfen tekrar deneyin.");
		return -1;
	}
	return rc;
}

int bireysel_holder_or_redirect(req *r, db **d, struct application *app)
{
	int rc = bireysel_session_holder_or_reply(r, "bireysel_tckn", d, app);
	if (rc < 0)
		return -1;
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

tpl *bireysel_tpl(req *r, const struct application *app, const char *title, const char *current)
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

db *bireysel_uc_ctx(req *r, struct uc_ctx *c, const struct application *app)
{
	return web_uc_ctx(r, c, bireysel_actor(r, app), "Sertifika sahibi");
}

/* ---- routes ---- */

static const struct field_spec login_fields[] = {
	{"captcha", FIELD_TEXT, 16},
	{"tckn", FIELD_TEXT, 32},
	{"guvenlik_sozcugu", FIELD_TEXT, 256},
	{"islem", FIELD_TOKEN, 16},
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

/* The provider's callback (OpenID Connect Core 3.1.2.5/3.1.2.6, RFC 9207). */
static const struct field_spec edevlet_return_fields[] = {
	{"code", FIELD_TEXT, 2048},
	{"state", FIELD_TEXT, 128},
	{"iss", FIELD_TEXT, 512},
	{"session_state", FIELD_TEXT, 512},
	{"error", FIELD_TEXT, 128},
	{"error_description", FIELD_TEXT, 1024},
	{NULL, 0, 0},
};

static const struct field_spec pin_fields[] = {
	{"islem", FIELD_TOKEN, 16},
	{NULL, 0, 0},
};

static const struct field_spec pin_signature_fields[] = {
	{"imza", FIELD_FILE, 64 * 1024},
	{NULL, 0, 0},
};

static const struct field_spec kart_pin_fields[] = {
	{"yetki", FIELD_TEXT, 64},
	{"kart_seri", FIELD_TEXT, 64},
	{NULL, 0, 0},
};

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
	{"POST", "/bireysel/pin", bireysel_pin_post, pin_fields, 0, NULL},
	{"GET", "/bireysel/pin/onay.txt", bireysel_pin_challenge_get, no_fields, 0, NULL},
	{"POST", "/bireysel/pin/imza", bireysel_pin_signature_post, pin_signature_fields, 0, NULL},
	{"GET", "/bireysel/edevlet", bireysel_edevlet_get, no_fields, 0, NULL},
	{"GET", "/bireysel/edevlet/donus", bireysel_edevlet_return, edevlet_return_fields, 0, NULL},
	{"POST", "/api/v1/kart/pin", kart_pin_api_post, kart_pin_fields, ROUTE_NO_CSRF, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
