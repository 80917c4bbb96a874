/* The institution's endorsement through a one-time link (see endorse.h). */
#include "app/endorse.h"

#include <sodium.h>
#include <string.h>

#include "domain/date.h"
#include "domain/text.h"
#include "notify/outbox.h"
#include "store/audit.h"
#include "store/application.h"
#include "store/endorsement.h"
#include "util/config.h"
#include "util/log.h"
#include "util/secret.h"

#define TOKEN_BYTES 32
#define TOKEN_HEX (2 * TOKEN_BYTES)
#define DAYS_DEFAULT 14
#define DAYS_MAX 90
#define NAME_MAX_CHARS 100

#define MSG_FORGED \
	"Bu onay bağlantısı geçerli değil. Bağlantıyı e-postadaki gibi eksiksiz açtığınızdan " \
	"emin olun."
#define MSG_USED \
	"Bu onay bağlantısı daha önce kullanıldı; her bağlantı yalnızca bir kez kullanılabilir."
#define MSG_EXPIRED \
	"Bu onay bağlantısının süresi doldu. Personelinizin başvurusu için kurum yetkilisine " \
	"resmi e-posta adresinizden yazabilirsiniz."
#define MSG_NOT_WAITING "Bu başvuru artık kurum onayı beklemiyor; onay kaydedilmedi."

static const char *request_phrase(enum app_reason reason)
{
	switch (reason) {
	case REASON_YENILEME: return "e-imza yenileme onayı";
	case REASON_KAYIP_CALINTI: return "kayıp/çalıntı nedeniyle yeni e-imza sertifikası onayı";
	case REASON_DIGER: return "ek e-imza sertifikası onayı";
	default: return "e-imza ilk başvuru onayı";
	}
}

const char *endorse_sample_text(arena *a, const struct application *app)
{
	return arena_printf(
		a,
		"Sayın Yetkili,\n\n"
		"31/05/2018 tarih, 10686682 sayılı Milli Eğitim Bakanlığı Bilgi ve Sistem Güvenliği "
		"Yönergesi ve 14/12/2015 tarihli Milli Eğitim Bakanlığı Bilgi İşlem Dairesi "
		"Başkanlığı Bilgi Güvenliği Politikasında belirtilen hususlar gereğince, aşağıdaki "
		"talep formunda bilgileri bulunan ilgili için %s yapılabilmesi hususunda "
		"bilgilerinize arz ederim.\n\n"
		"Başvuru No: %s\nT.C. Kimlik No: %s\nAdı Soyadı: %s %s\nUnvanı: %s\n"
		"Kurumu: %s (%s)\n\n"
		"Okul / Kurum İdarecisinin Adı ve Soyadı\nUnvanı\n",
		request_phrase(app->reason), app->number, app->tckn, app->ad, app->soyad,
		app->form[FF_UNVAN] ? app->form[FF_UNVAN] : "", app->kurum_adi, app->kurum_kodu);
}

/* endorsement.days within 1..DAYS_MAX, else the default. */
static int64_t link_days(void)
{
	int64_t days = config_get_int("endorsement.days");
	return days >= 1 && days <= DAYS_MAX ? days : DAYS_DEFAULT;
}

/* The stored form of a token; -1 when it is not 64 lower-case hex digits
 * (checked before hashing, so junk never reaches the database). */
static int token_hash(const char *token, char out[65])
{
	if (token == NULL || strlen(token) != TOKEN_HEX)
		return -1;
	for (const char *p = token; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return -1;
	return secret_keyed_hash_hex(SECRET_ENDORSEMENT, token, TOKEN_HEX, out);
}

enum uc_rc endorse_offer(struct uc_ctx *c, const struct application *app)
{
	const char *email = "";
	if (endorsement_institution_email(c->d, c->a, app->kurum_kodu, &email) < 0) {
		log_error("%s: reading institution %s failed: %s", c->actor, app->kurum_kodu,
			  db_errmsg(c->d));
		return UC_ERROR;
	}
	if (*email == '\0') {
		log_warn("endorse: institution %s has no official address; %s not offered",
			 app->kurum_kodu, app->number);
		return UC_OK;
	}
	unsigned char raw[TOKEN_BYTES];
	char token[TOKEN_HEX + 1], hash[65], until[11];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, sizeof token, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	int64_t expires = c->now + link_days() * 86400;
	enum uc_rc rc = UC_ERROR;
	if (token_hash(token, hash) != 0) {
		log_error("endorse: no server secret; %s not offered", app->number);
		goto out;
	}
	if (endorsement_insert(c->d, app->id, hash, email, c->now, expires) != 0) {
		log_error("%s: storing the endorsement link of %s failed: %s", c->actor,
			  app->number, db_errmsg(c->d));
		goto out;
	}
	date_format_tr(expires, until);
	struct notify_vars vars = {0};
	notify_vars_set(&vars, "application_no", app->number);
	notify_vars_set(&vars, "name", arena_printf(c->a, "%s %s", app->ad, app->soyad));
	notify_vars_set(&vars, "institution", app->kurum_adi);
	notify_vars_set(&vars, "sample", endorse_sample_text(c->a, app));
	notify_vars_set(&vars, "link",
			arena_printf(c->a, "%s/kurum-onayi?t=%s", config_get("server.base_url"),
				     token));
	notify_vars_set(&vars, "expiry_date", arena_strdup(c->a, until));
	if (outbox_enqueue_template(c->d, NOTIFY_EMAIL, email, "institution_endorsement", &vars,
				    app->number) != 0)
		goto out;
	rc = UC_OK;
out:
	sodium_memzero(token, sizeof token);
	return rc;
}

/* Inside or outside a transaction: the link and its application, checked.
 * On UC_OK *e and *app are filled. */
static enum uc_rc load_link(struct uc_ctx *c, const char *token, struct endorsement *e,
			    struct application *app)
{
	char hash[65];
	if (token_hash(token, hash) != 0)
		return uc_fail(c, UC_NOT_FOUND, NULL, MSG_FORGED);
	int rc = endorsement_find(c->d, c->a, hash, e);
	if (rc == 1)
		return uc_fail(c, UC_NOT_FOUND, NULL, MSG_FORGED);
	if (rc == 0)
		rc = application_load(c->d, c->a, e->application_id, app);
	if (rc != 0) {
		log_error("endorse: reading a link failed: %s", db_errmsg(c->d));
		return UC_ERROR;
	}
	if (e->used_at != 0)
		return uc_fail(c, UC_CONFLICT, NULL, MSG_USED);
	if (c->now >= e->expires_at)
		return uc_fail(c, UC_CONFLICT, NULL, MSG_EXPIRED);
	if (app->state != APP_AWAITING_APPROVAL || !(app->flags & APP_NEEDS_APPROVAL))
		return uc_fail(c, UC_CONFLICT, NULL, MSG_NOT_WAITING);
	return UC_OK;
}

static void fill_view(const struct endorsement *e, const struct application *app,
		      struct endorse_view *v, arena *a)
{
	v->number = app->number;
	v->name = arena_printf(a, "%s %s", app->ad, app->soyad);
	v->title = app->form[FF_UNVAN] ? app->form[FF_UNVAN] : "";
	v->institution = app->kurum_adi;
	v->email = e->email;
	v->expires_at = e->expires_at;
}

enum uc_rc endorse_check(struct uc_ctx *c, const char *token, struct endorse_view *v)
{
	struct endorsement e;
	struct application app;
	memset(v, 0, sizeof *v);
	enum uc_rc rc = load_link(c, token, &e, &app);
	if (rc == UC_OK)
		fill_view(&e, &app, v, c->a);
	return rc;
}

/* Trims and bounds a typed name or title into an arena copy; NULL when it
 * is empty, too short or too long, or not clean text. */
static const char *clean_name(struct uc_ctx *c, const char *in)
{
	char out[4 * NAME_MAX_CHARS + 1];
	if (in == NULL || text_clean(in, out, sizeof out, NAME_MAX_CHARS) != 0 || strlen(out) < 2)
		return NULL;
	return arena_strdup(c->a, out);
}

enum uc_rc endorse_record(struct uc_ctx *c, const char *token, const char *name, const char *title,
			  struct endorse_view *v)
{
	struct endorsement e;
	struct application app;
	memset(v, 0, sizeof *v);
	const char *n = clean_name(c, name), *t = clean_name(c, title);
	enum uc_rc rc = uc_begin(c);
	if (rc == UC_OK)
		rc = load_link(c, token, &e, &app);
	if (rc == UC_OK)
		fill_view(&e, &app, v, c->a);
	if (rc == UC_OK && n == NULL)
		rc = uc_fail(c, UC_INVALID, "ad_soyad",
			     "Okul / kurum idarecisinin adını ve soyadını yazınız.");
	else if (rc == UC_OK && t == NULL)
		rc = uc_fail(c, UC_INVALID, "unvan", "Unvanınızı yazınız.");
	if (rc != UC_OK)
		return uc_end(c, rc);
	const char *actor = arena_printf(c->a, "kurum:%s", e.email);
	const char *note = arena_printf(c->a,
					"Kurum onayı alındı: %s, %s (%s adresinden; yalnızca bu "
					"e-posta kutusuna erişimi kanıtlar)",
					n, t, e.email);
	int urc = endorsement_use(c->d, e.id, n, t, c->client_ip, c->now);
	if (urc == 1)
		rc = uc_fail(c, UC_CONFLICT, NULL, MSG_USED);
	else if (urc != 0 ||
		 application_event_add(c->d, app.id, c->now,
				       arena_printf(c->a, "%s (%s)", n, app.kurum_adi),
				       app_state_name(app.state), app_state_name(app.state),
				       note) != 0 ||
		 audit_append(c->d, &(struct audit_entry){.actor = actor,
							  .client_ip = c->client_ip,
							  .object = uc_application_object(c, &app),
							  .action = "institution_endorsed",
							  .detail = note}) != 0) {
		log_error("%s: recording the endorsement of %s failed: %s", actor, app.number,
			  db_errmsg(c->d));
		rc = UC_ERROR;
	}
	rc = uc_end(c, rc);
	if (rc == UC_OK)
		log_info("%s institution_endorsed %s", actor, app.number);
	return rc;
}

int endorse_received(struct uc_ctx *c, int64_t application_id)
{
	return endorsement_received(c->d, application_id);
}

int endorse_offered(struct uc_ctx *c, int64_t application_id)
{
	return endorsement_offered(c->d, application_id);
}
