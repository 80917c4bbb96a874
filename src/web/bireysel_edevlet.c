/* "e-Devlet Kapısı ile giriş" and the PIN page of NES Bireysel (issue 14).
 *
 *   GET  /bireysel/edevlet          the logged-in holder is sent to the
 *                                   provider (state, nonce and PKCE verifier
 *                                   kept in the session, used once)
 *   GET  /bireysel/edevlet/donus    the callback: state checked, the code
 *                                   exchanged, the ID token verified
 *                                   (identity/oidc.h) and its T.C. Kimlik
 *                                   No compared with the holder's
 *   GET  /bireysel/pin              what to do; after e-Devlet sign-in and
 *                                   for a delivered card, the forms below
 *   POST /bireysel/pin              islem=SET_PIN|UNBLOCK: a one-time
 *                                   authorization, shown once
 *   POST /api/v1/kart/pin           `eimza card set-pin`: yetki + kart_seri
 *                                   for the PIN (JSON), see app/cardpin.h
 *   GET  /bireysel/pin/onay.txt     renewals: a one-time text to sign with
 *   POST /bireysel/pin/imza         the holder's current certificate (a
 *                                   detached CMS, checked like an e-onay
 *                                   signature), instead of e-Devlet
 *
 * An e-Devlet sign-in (or that signature) counts for the PIN page for
 * EDEVLET_FRESH seconds. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/cardpin.h"
#include "domain/guidance.h"
#include "identity/oidc.h"
#include "pki/pki.h"
#include "pki/pinseal.h"
#include "store/audit.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/config.h"
#include "util/json.h"
#include "util/log.h"
#include "web/bireysel.h"
#include "web/web.h"

#define EDEVLET_FRESH 600
#define EDEVLET_SECRET_MAX 512

static const char *const edevlet_failed =
	"e-Devlet Kapısı ile giriş doğrulanamadı. Lütfen tekrar deneyin.";

/* The relying party from config; replies and returns -1 when it is off or
 * broken. secret and redirect are the caller's buffers. */
static int rp_or_reply(req *r, struct oidc_rp *rp, char *secret, char *redirect)
{
	char err[256] = "";
	int rc = oidc_rp_from_config(rp, secret, EDEVLET_SECRET_MAX, redirect, OIDC_URL_MAX, err,
				     sizeof err);
	if (rc == 0)
		return 0;
	if (rc < 0)
		log_error("edevlet: %s", err);
	reply_error(r, 503, "e-Devlet Kapısı ile giriş şu anda kullanılamıyor.");
	return -1;
}

void bireysel_edevlet_get(req *r)
{
	db *d;
	struct application app;
	struct oidc_rp rp;
	struct oidc_endpoints e;
	char secret[EDEVLET_SECRET_MAX], redirect[OIDC_URL_MAX], err[256] = "";
	char state[OIDC_TOKEN_LEN + 1], nonce[OIDC_TOKEN_LEN + 1], verifier[OIDC_TOKEN_LEN + 1];
	char challenge[OIDC_TOKEN_LEN + 1], *url = arena_alloc(req_arena(r), 4096);
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	if (rp_or_reply(r, &rp, secret, redirect) != 0)
		return;
	sodium_memzero(secret, sizeof secret); /* not needed before the callback */
	if (oidc_discover(&rp, &e, err, sizeof err) != 0) {
		log_error("edevlet: discovery failed: %s", err);
		reply_error(r, 502, "e-Devlet Kapısı'na şu anda ulaşılamıyor.");
		return;
	}
	if (url == NULL || oidc_random_token(state) != 0 || oidc_random_token(nonce) != 0 ||
	    oidc_random_token(verifier) != 0 || oidc_pkce_challenge(verifier, challenge) != 0 ||
	    oidc_authorize_url(&rp, &e, state, nonce, challenge, url, 4096) != 0 ||
	    session_set(r, "bireysel_oidc_state", state) != 0 ||
	    session_set(r, "bireysel_oidc_nonce", nonce) != 0 ||
	    session_set(r, "bireysel_oidc_verifier", verifier) != 0) {
		reply_error(r, 500, edevlet_failed);
		return;
	}
	reply_redirect(r, url);
}

/* Equal, in time independent of where they differ. */
static int same_token(const char *a, const char *b)
{
	return a != NULL && b != NULL && strlen(a) == OIDC_TOKEN_LEN &&
	       strlen(b) == OIDC_TOKEN_LEN && sodium_memcmp(a, b, OIDC_TOKEN_LEN) == 0;
}

static void audit_signin(req *r, const struct application *app, const char *action,
			 const char *detail)
{
	struct uc_ctx c;
	if (bireysel_uc_ctx(r, &c, app) == NULL || uc_begin(&c) != UC_OK)
		return;
	int bad = audit_append(c.d,
			       &(struct audit_entry){
				       .actor = c.actor,
				       .client_ip = c.client_ip,
				       .object = arena_printf(c.a, "application:%s", app->number),
				       .action = action,
				       .detail = detail});
	uc_end(&c, bad ? UC_ERROR : UC_OK);
}

void bireysel_edevlet_return(req *r)
{
	db *d;
	struct application app;
	struct oidc_rp rp;
	struct oidc_endpoints e;
	char secret[EDEVLET_SECRET_MAX], redirect[OIDC_URL_MAX], err[256] = "", tckn[12];
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	const char *state = session_get(r, "bireysel_oidc_state");
	const char *nonce = session_get(r, "bireysel_oidc_nonce");
	const char *verifier = session_get(r, "bireysel_oidc_verifier");
	/* One callback per redirect: a replayed or forged one finds nothing. */
	session_set(r, "bireysel_oidc_state", NULL);
	session_set(r, "bireysel_oidc_nonce", NULL);
	session_set(r, "bireysel_oidc_verifier", NULL);
	const char *code = req_field(r, "code"), *got_state = req_field(r, "state");
	if (!same_token(state, got_state) || nonce == NULL || verifier == NULL) {
		log_warn("edevlet: callback with a state this session did not send");
		reply_error(r, 400, edevlet_failed);
		return;
	}
	if (req_field(r, "error") != NULL || code == NULL || code[0] == '\0') {
		reply_error(r, 403, "e-Devlet Kapısı ile giriş tamamlanmadı.");
		return;
	}
	if (rp_or_reply(r, &rp, secret, redirect) != 0)
		return;
	/* RFC 9207: a provider that names itself must name the right one. */
	const char *iss = req_field(r, "iss");
	enum oidc_result res = OIDC_REFUSED;
	if (iss != NULL && strcmp(iss, rp.issuer) != 0)
		snprintf(err, sizeof err, "callback iss %s is not the configured issuer", iss);
	else if (oidc_discover(&rp, &e, err, sizeof err) != 0)
		res = OIDC_UNREACHABLE;
	else
		res = oidc_finish(&rp, &e, code, verifier, nonce, clock_now(), tckn, err,
				  sizeof err);
	sodium_memzero(secret, sizeof secret);
	if (res != OIDC_OK) {
		log_warn("edevlet: sign-in of application %s refused (%s): %s", app.number,
			 oidc_result_names[res], err);
		audit_signin(r, &app, "edevlet_signin_refused", oidc_result_names[res]);
		reply_error(r, res == OIDC_UNREACHABLE ? 502 : 403, edevlet_failed);
		return;
	}
	if (strcmp(tckn, app.tckn) != 0) {
		log_warn("edevlet: application %s: the e-Devlet account is another person's",
			 app.number);
		audit_signin(r, &app, "edevlet_signin_refused", "T.C. Kimlik No farklı");
		reply_error(r, 403,
			    "e-Devlet Kapısı'nda giriş yapılan kişi, sertifika sahibi değil. "
			    "Kendi e-Devlet hesabınızla giriş yapın.");
		return;
	}
	audit_signin(r, &app, "edevlet_signin", NULL);
	session_rotate(r); /* a privilege change: new id, same data */
	session_set(r, "bireysel_edevlet",
		    arena_printf(req_arena(r), "%s:%lld", app.tckn, (long long)clock_now()));
	session_set(r, "bireysel_flash", "e-Devlet Kapısı ile kimliğiniz doğrulandı.");
	reply_redirect(r, "/bireysel/pin");
}

/* True when this session signed in with e-Devlet as the holder within
 * EDEVLET_FRESH seconds. */
static int edevlet_fresh(req *r, const struct application *app)
{
	const char *v = session_get(r, "bireysel_edevlet");
	size_t n = strlen(app->tckn);
	if (v == NULL || strncmp(v, app->tckn, n) != 0 || v[n] != ':')
		return 0;
	long long at = 0;
	if (sscanf(v + n + 1, "%lld", &at) != 1)
		return 0;
	int64_t now = clock_now();
	return at <= now && now - at <= EDEVLET_FRESH;
}

/* The holder record is a renewal: its card's PIN may also be authorized
 * by a signature with the holder's current certificate. */
static int is_renewal(const struct application *app)
{
	return app->reason == REASON_YENILEME;
}

/* The text a renewing holder signs: names the application and holds a
 * one-time value kept in the session (arena string, or NULL). */
static const char *challenge_text(req *r, const struct application *app, int create)
{
	char fresh[OIDC_TOKEN_LEN + 1];
	const char *v = session_get(r, "bireysel_pin_challenge");
	if (v == NULL && create) {
		if (oidc_random_token(fresh) != 0 ||
		    session_set(r, "bireysel_pin_challenge", fresh) != 0)
			return NULL;
		v = arena_strdup(req_arena(r), fresh);
	}
	if (v == NULL)
		return NULL;
	return arena_printf(req_arena(r),
			    "eimza PIN yetkisi\nBaşvuru No: %s\nT.C. Kimlik No: %s\n"
			    "Tek kullanımlık değer: %s\n",
			    app->number, app->tckn, v);
}

void bireysel_pin_challenge_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	if (!is_renewal(&app) || app.state != APP_DELIVERED) {
		reply_error(r, 404, "Bu işlem yalnızca teslim edilmiş yenileme kartları içindir.");
		return;
	}
	const char *text = challenge_text(r, &app, 1);
	if (text == NULL) {
		reply_error(r, 500, "İşlem yapılamadı. Lütfen tekrar deneyin.");
		return;
	}
	reply_header(r, "Content-Disposition", "attachment; filename=\"pin-onay.txt\"");
	reply_header(r, "Cache-Control", "no-store");
	reply_bytes(r, 200, "text/plain; charset=utf-8", text, strlen(text));
}

void bireysel_pin_signature_post(req *r)
{
	db *d;
	struct application app;
	struct pki_eapproval_report rep;
	char msg[512] = "";
	size_t len = 0;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	const char *text = challenge_text(r, &app, 0);
	const void *p7s = req_file(r, "imza", &len, NULL);
	/* One signature per text: a second try needs a new download. */
	session_set(r, "bireysel_pin_challenge", NULL);
	if (!is_renewal(&app) || app.state != APP_DELIVERED || text == NULL || p7s == NULL) {
		reply_error(r, 400,
			    "Önce onay metnini indirip geçerli e-imzanızla imzalayın ve imza "
			    "dosyasını (.p7s) yükleyin.");
		return;
	}
	if (pki_verify_eapproval(d, p7s, len, text, strlen(text), app.tckn, clock_now(), &rep, msg,
				 sizeof msg) != 0) {
		audit_signin(r, &app, "pin_signature_refused", msg);
		reply_error(r, 403, msg[0] ? msg : "İmza doğrulanamadı.");
		return;
	}
	audit_signin(r, &app, "pin_signature_signin",
		     arena_printf(req_arena(r), "sertifika %s", rep.serial_hex));
	session_rotate(r);
	session_set(r, "bireysel_edevlet",
		    arena_printf(req_arena(r), "%s:%lld", app.tckn, (long long)clock_now()));
	session_set(r, "bireysel_flash", "Geçerli e-imzanızla kimliğiniz doğrulandı.");
	reply_redirect(r, "/bireysel/pin");
}

static tpl *pin_page(req *r, const struct application *app)
{
	tpl *t = bireysel_tpl(r, app, "PIN İşlemleri", "pin");
	/* The same words as the delivery message (domain/guidance.h). */
	tpl_set(t, "edevlet_pin", guidance_edevlet_pin());
	const char *iss = config_get("edevlet.issuer");
	tpl_set(t, "edevlet_on", iss != NULL && iss[0] ? "1" : "0");
	int fresh = edevlet_fresh(r, app);
	tpl_set(t, "edevlet_ok", fresh ? "1" : "0");
	tpl_set(t, "delivered", app->state == APP_DELIVERED ? "1" : "0");
	tpl_set(t, "can_authorize", fresh && app->state == APP_DELIVERED ? "1" : "0");
	tpl_set(t, "renewal", is_renewal(app) && !fresh ? "1" : "0");
	tpl_set_int(t, "code_minutes", config_get_int("card.pin_code_minutes"));
	return t;
}

void bireysel_pin_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	reply_page(r, 200, "bireysel_pin.html", pin_page(r, &app));
}

void bireysel_pin_post(req *r)
{
	db *d;
	struct application app;
	struct uc_ctx c;
	char shown[PIN_CODE_SHOWN + 1];
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	int purpose = pin_purpose_parse(req_field(r, "islem"));
	if (purpose < 0) {
		reply_error(r, 400, "Geçersiz işlem.");
		return;
	}
	if (!edevlet_fresh(r, &app)) {
		session_set(r, "bireysel_flash",
			    "Önce e-Devlet Kapısı ile giriş yapmanız gerekir.");
		reply_redirect(r, "/bireysel/pin");
		return;
	}
	if (bireysel_uc_ctx(r, &c, &app) == NULL) {
		web_reply_uc(r, &c, UC_UNAVAILABLE);
		return;
	}
	enum uc_rc rc = uc_pin_authorize(&c, &app, (enum pin_purpose)purpose, shown);
	if (rc != UC_OK) {
		web_reply_uc(r, &c, rc);
		return;
	}
	/* One authorization per e-Devlet sign-in. */
	session_set(r, "bireysel_edevlet", NULL);
	tpl *t = pin_page(r, &app);
	tpl_set(t, "can_authorize", "0");
	tpl_set(t, "code", arena_strdup(req_arena(r), shown));
	tpl_set(t, "unblock", purpose == PIN_PURPOSE_UNBLOCK ? "1" : "0");
	reply_header(r, "Cache-Control", "no-store");
	reply_page(r, 200, "bireysel_pin.html", t);
	sodium_memzero(shown, sizeof shown);
}

/* A JSON answer {"hata": message} or {"pin": ..., "islem": ...}. */
static void reply_json(req *r, int status, const char *key, const char *value, const char *purpose)
{
	buf b;
	buf_init(&b, 4096);
	buf_puts(&b, "{\"");
	buf_puts(&b, key);
	buf_puts(&b, "\": ");
	json_append_string(&b, value);
	if (purpose != NULL) {
		buf_puts(&b, ", \"islem\": ");
		json_append_string(&b, purpose);
	}
	buf_puts(&b, "}\n");
	char *copy = b.err ? NULL : arena_alloc(req_arena(r), b.len + 1);
	if (copy != NULL) {
		memcpy(copy, b.data, b.len);
		copy[b.len] = '\0';
	}
	if (b.data != NULL)
		sodium_memzero(b.data, b.len);
	buf_free(&b);
	reply_header(r, "Cache-Control", "no-store");
	if (copy == NULL)
		reply_error(r, 500, "İç hata.");
	else
		reply_bytes(r, status, "application/json; charset=utf-8", copy, strlen(copy));
}

void kart_pin_api_post(req *r)
{
	struct uc_ctx c;
	char pin[PKI_PIN_MAX + 1];
	enum pin_purpose purpose = PIN_PURPOSE_SET;
	if (web_uc_ctx(r, &c, "kart:set-pin", "Kart PIN aracı") == NULL) {
		reply_json(r, 503, "hata", "Hizmet şu anda kullanılamıyor.", NULL);
		return;
	}
	enum uc_rc rc = uc_pin_exchange(&c, req_field(r, "yetki"), req_field(r, "kart_seri"),
					&purpose, pin, sizeof pin);
	if (rc == UC_OK)
		reply_json(r, 200, "pin", pin, pin_purpose_names[purpose]);
	else
		reply_json(r, web_uc_status(rc), "hata",
			   c.message != NULL ? c.message : "İşlem yapılamadı.", NULL);
	sodium_memzero(pin, sizeof pin);
}
