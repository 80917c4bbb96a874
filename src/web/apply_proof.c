/* The portal's proof pages (issue 11): the portal's login proves only
 * registry data, so whatever reaches the certificate, an application made
 * in another session or its contact data asks for more, on one page shape:
 *
 *   /basvuru/kayip    Kayıp/Çalıntı: the holder's proof suspends the
 *                     certificate at once (app/lost.h); without it the
 *                     applicant goes on and the authority's approval
 *                     revokes it;
 *   /basvuru/dogrula  the maker's proof opens an application made in
 *                     another session (its SMS step, signing, PDF);
 *   /basvuru/iptal    the maker's proof cancels the open application.
 *
 * Each offers the Güvenlik Sözcüğü (islem=sozcuk) or a code sent to the
 * number on record (islem=gonder, then islem=kod with sms_kodu); the rules
 * are app/proof.h. Plain forms: everything works without JavaScript. */
#include <string.h>

#include "app/apply.h"
#include "app/lost.h"
#include "app/proof.h"
#include "web/apply.h"
#include "web/web.h"

struct proof_page {
	const char *path, *code_key, *title, *intro, *submit;
	enum proof_kind kind;
	const char *number_hint;
	const char *skip_label, *skip_text; /* the way on without a proof, or NULL */
	/* After a proof: acts and replies (how: for the audit record). */
	void (*done)(req *r, struct uc_ctx *c, struct application *app, const char *how);
};

/* The session key of the application this session made or proved itself
 * the maker of (web/apply.h: apply_session_owns). */
#define OWN_KEY "basvuru_no"

int apply_session_owns(req *r, const struct application *app)
{
	const char *no = session_get(r, OWN_KEY);
	return no != NULL && strcmp(no, app->number) == 0;
}

void apply_session_take(req *r, const struct application *app)
{
	session_set(r, OWN_KEY, app->number);
}

static void hold_done(req *r, struct uc_ctx *c, struct application *app, const char *how)
{
	enum uc_rc rc = lost_hold(c, app, how);
	if (rc != UC_OK) {
		web_reply_uc(r, c, rc);
		return;
	}
	reply_redirect(r, apply_next_step(app));
}

static void owner_done(req *r, struct uc_ctx *c, struct application *app, const char *how)
{
	(void)c;
	(void)how;
	apply_session_take(r, app);
	reply_redirect(r, app_state_is_open(app->state) ? apply_next_step(app) : "/basvuru/durum");
}

static void cancel_done(req *r, struct uc_ctx *c, struct application *app, const char *how)
{
	(void)how;
	enum uc_rc rc = apply_cancel(c, app);
	if (rc != UC_OK) {
		web_reply_uc(r, c, rc);
		return;
	}
	reply_redirect(r, "/basvuru/durum");
}

#define HOLDER_NUMBER \
	"Kod, sertifikanıza kayıtlı cep telefonu numarasına gönderilir (NES Bireysel " \
	"İşlemler'deki İletişim Bilgilerim); bu başvuruda yazdığınız numaraya değil."
#define MAKER_NUMBER \
	"Kod, kayıtlı cep telefonu numaranıza gönderilir: sertifikanız varsa sertifikanıza " \
	"kayıtlı numaraya, yoksa bu başvurunun formunda yazılan numaraya."

static const struct proof_page page_lost = {
	"/basvuru/kayip",
	"kod_kayip",
	"Kayıp/Çalıntı: Sertifikayı Askıya Alma",
	"Kayıp ya da çalıntı sertifikanızın şimdi askıya alınmasını istiyorsanız sertifika "
	"sahibi olduğunuzu doğrulayın: önceki başvurunuzdaki güvenlik sözcüğü ya da kayıtlı "
	"cep telefonunuza gönderilecek kod ile. Askıdaki sertifika ile imza atılamaz; "
	"sertifika, başvurunuz kurum yetkilinizce onaylandığında iptal edilir.",
	"Askıya Al",
	PROOF_HOLDER,
	HOLDER_NUMBER,
	"Askıya almadan devam et",
	"Doğrulama yapmazsanız sertifikanız kurum yetkilinizin onayına kadar geçerli kalır; "
	"başvurunuz onaylandığında iptal edilir.",
	hold_done,
};

static const struct proof_page page_owner = {
	"/basvuru/dogrula",
	"kod_dogrula",
	"Başvuru Sahibi Doğrulaması",
	"Bu başvuru başka bir oturumda yapıldı. Başvuruya devam etmek ya da başvuru formunu "
	"görmek için bu başvurunun güvenlik sözcüğünü girin ya da kayıtlı cep telefonunuza "
	"gönderilecek kodu kullanın.",
	"Doğrula",
	PROOF_MAKER,
	MAKER_NUMBER,
	NULL,
	NULL,
	owner_done,
};

static const struct proof_page page_cancel = {
	"/basvuru/iptal",
	"kod_iptal",
	"Başvuruyu İptal Et",
	"Başvurunuz iptal edilecek; bu işlem geri alınamaz. Onaylamak için bu başvurunun "
	"güvenlik sözcüğünü girin ya da kayıtlı cep telefonunuza gönderilecek kodu kullanın.",
	"Başvuruyu İptal Et",
	PROOF_MAKER,
	MAKER_NUMBER,
	NULL,
	NULL,
	cancel_done,
};

/* The application a page is about, or a reply: the open one for
 * /basvuru/kayip (only while a hold is possible) and /basvuru/iptal, the
 * newest one for /basvuru/dogrula. */
static int load_for(req *r, const struct proof_page *p, struct applicant *who,
		    struct application *app)
{
	db *d;
	if (p != &page_owner)
		return apply_load_open_or_reply(r, &d, who, app, 0, "/basvuru/form");
	if (apply_applicant_or_redirect(r, who) != 0 || (d = web_db_or_reply(r)) == NULL)
		return -1;
	int rc = application_load_latest_for_tckn(d, req_arena(r), who->tckn, app);
	if (rc != 0) {
		if (rc > 0)
			reply_redirect(r, "/basvuru/form");
		else
			reply_error(r, 500, "Başvurunuz okunamadı.");
		return -1;
	}
	return 0;
}

/* The page; with c, c->message goes to the summary on top and beside the
 * form `where` ("sozcuk", "gonder", "kod") it answers. */
static void render(req *r, int status, const struct proof_page *p, const struct application *app,
		   const struct uc_ctx *c, const char *where)
{
	tpl *t = tpl_new(r);
	tpl_set(t, "title", p->title);
	tpl_set(t, "heading", p->title);
	tpl_set(t, "action", p->path);
	tpl_set(t, "number", app->number);
	tpl_set(t, "intro", p->intro);
	tpl_set(t, "submit", p->submit);
	tpl_set(t, "number_hint", p->number_hint);
	if (p->skip_label != NULL) {
		tpl_set(t, "skip_url", apply_next_step(app));
		tpl_set(t, "skip_label", p->skip_label);
		tpl_set(t, "skip_text", p->skip_text);
	}
	if (p == &page_cancel)
		tpl_set(t, "back_url", "/basvuru/durum");
	if (session_get(r, p->code_key) != NULL)
		tpl_set(t, "code_sent", "1");
	if (c != NULL && c->message != NULL) {
		tpl_set(t, "error", c->message);
		if (strcmp(where, "sozcuk") == 0)
			tpl_set(t, "word_error", c->message);
		else if (strcmp(where, "kod") == 0)
			tpl_set(t, "code_error", c->message);
		else
			tpl_set(t, "send_error", c->message);
	}
	reply_page(r, status, "basvuru_kanit.html", t);
}

static void proof_get(req *r, const struct proof_page *p)
{
	struct applicant who;
	struct application app;
	if (load_for(r, p, &who, &app) != 0)
		return;
	struct uc_ctx c;
	web_uc_ctx(r, &c, apply_actor(r, &who), "Başvuru sahibi");
	if (p == &page_lost && !lost_may_hold(&c, &app)) {
		reply_redirect(r, apply_next_step(&app));
		return;
	}
	render(r, 200, p, &app, NULL, NULL);
}

static void proof_post(req *r, const struct proof_page *p)
{
	struct applicant who;
	struct application app;
	if (load_for(r, p, &who, &app) != 0)
		return;
	struct uc_ctx c;
	web_uc_ctx(r, &c, apply_actor(r, &who), "Başvuru sahibi");
	if (p == &page_lost && !lost_may_hold(&c, &app)) {
		reply_redirect(r, apply_next_step(&app));
		return;
	}
	const char *action = req_field(r, "islem");
	enum uc_rc rc;
	if (action != NULL && strcmp(action, "sozcuk") == 0) {
		rc = proof_word(&c, &app, p->kind, req_field(r, "guvenlik_sozcugu"));
		if (rc == UC_OK) {
			p->done(r, &c, &app, "güvenlik sözcüğü");
			return;
		}
	} else if (action != NULL && strcmp(action, "gonder") == 0) {
		int first = session_get(r, p->code_key) == NULL;
		rc = proof_send_code(&c, &app, p->kind, first);
		if (rc == UC_OK) {
			session_set(r, p->code_key, "1");
			reply_redirect(r, p->path);
			return;
		}
	} else if (action != NULL && strcmp(action, "kod") == 0) {
		rc = proof_code(&c, &app, p->kind, req_field(r, "sms_kodu"));
		if (rc == UC_OK) {
			p->done(r, &c, &app, "kayıtlı cep telefonu");
			return;
		}
	} else {
		/* The status page's "Başvuruyu iptal et" button lands here. */
		render(r, 200, p, &app, NULL, NULL);
		return;
	}
	if (rc == UC_INVALID || rc == UC_LIMITED || rc == UC_NOT_FOUND)
		render(r, web_uc_status(rc), p, &app, &c, action);
	else
		web_reply_uc(r, &c, rc);
}

void apply_lost_get(req *r)
{
	proof_get(r, &page_lost);
}

void apply_lost_post(req *r)
{
	proof_post(r, &page_lost);
}

void apply_owner_get(req *r)
{
	proof_get(r, &page_owner);
}

void apply_owner_post(req *r)
{
	proof_post(r, &page_owner);
}

void apply_cancel_get(req *r)
{
	proof_get(r, &page_cancel);
}

void apply_cancel_post(req *r)
{
	proof_post(r, &page_cancel);
}
