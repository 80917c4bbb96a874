/* NES Bireysel: "Kurye Takip" (the holder's shipments), "İletişim
 * Bilgilerim" (e-posta, cep telefonu, bilgi kanalı on the holder record; a
 * new mobile number takes effect only after a code sent to it is entered)
 * and the PIN explanation page. */
#include <string.h>

#include "app/holder.h"
#include "app/otp.h"
#include "domain/form.h"
#include "domain/date.h"
#include "domain/phone.h"
#include "store/holder.h"
#include "store/shipment.h"
#include "web/bireysel.h"
#include "web/web.h"

/* ---- Kurye Takip ---- */

struct courier_ctx {
	req *r;
	tpl *t;
	int n;
};

static void add_shipment(void *arg, const struct shipment_summary *s)
{
	struct courier_ctx *x = arg;
	x->n++;
	arena *a = req_arena(x->r);
	tpl *row = tpl_add(x->t, "shipments");
	char when[17];
	date_format_tr_time(s->shipped_at, when);
	tpl_set(row, "tracking_no", s->tracking_no);
	tpl_set(row, "url",
		arena_printf(a, "/kurye-takip?takip_no=%s", http_url_encode(a, s->tracking_no)));
	tpl_set(row, "courier", s->courier);
	tpl_set(row, "status", ship_status_label_tr(s->status));
	tpl_set(row, "shipped", when);
	tpl_set(row, "application_no", s->application_no);
}

void bireysel_courier_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	tpl *t = bireysel_tpl(r, &app, "Kurye Takip", "courier");
	struct courier_ctx x = {r, t, 0};
	if (shipment_list_for_tckn(d, app.tckn, add_shipment, &x) != 0) {
		reply_error(r, 500, "Gönderileriniz okunamadı.");
		return;
	}
	tpl_set_int(t, "has_shipments", x.n);
	reply_page(r, 200, "bireysel_kurye.html", t);
}

/* ---- İletişim Bilgilerim ---- */

static void render_contact(req *r, int status, const struct application *app,
			   const struct holder_contact *shown, const char *error, int code_sent)
{
	tpl *t = bireysel_tpl(r, app, "İletişim Bilgilerim", "contact");
	char masked[32];
	tpl_set(t, "eposta", shown->eposta);
	tpl_set(t, "cep_tel", shown->cep_tel);
	for (const struct form_option *c = form_channel_options(); c->value != NULL; c++) {
		tpl *o = tpl_add(t, "channels");
		tpl_set(o, "code", c->value);
		tpl_set(o, "label", c->label);
		if (shown->bilgi_kanali != NULL && strcmp(shown->bilgi_kanali, c->value) == 0)
			tpl_set(o, "selected", "1");
	}
	tpl_set(t, "error", error);
	if (code_sent) {
		const char *pending = session_get(r, "bireysel_new_tel");
		phone_mask(pending != NULL ? pending : "", masked);
		tpl_set(t, "code_sent", "1");
		tpl_set(t, "new_masked", masked);
	}
	reply_page(r, status, "bireysel_iletisim.html", t);
}

static void clear_pending(req *r)
{
	session_set(r, "bireysel_new_eposta", NULL);
	session_set(r, "bireysel_new_tel", NULL);
	session_set(r, "bireysel_new_kanal", NULL);
}

void bireysel_contact_get(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	clear_pending(r);
	struct holder_contact cur = {app.form[FF_EPOSTA], app.form[FF_CEP_TEL],
				     form_channel_name(app.channels)};
	render_contact(r, 200, &app, &cur, NULL, 0);
}

/* The result of a change: back to the page with the flash, or the error
 * page. The pending new details are dropped either way. */
static void contact_done(req *r, const struct uc_ctx *c, enum uc_rc rc)
{
	clear_pending(r);
	if (rc != UC_OK) {
		web_reply_uc(r, c, rc);
		return;
	}
	session_set(r, "bireysel_flash", "İletişim bilgileriniz güncellendi.");
	reply_redirect(r, "/bireysel/iletisim");
}

void bireysel_contact_post(req *r)
{
	db *d;
	struct application app;
	struct holder_contact typed = {req_field(r, "eposta"), req_field(r, "cep_tel"),
				       req_field(r, "bilgi_kanali")};
	struct holder_contact c;
	struct uc_ctx uc;
	char tel[11];
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	bireysel_uc_ctx(r, &uc, &app);
	if (holder_contact_check(&uc, &typed, &c, tel) != UC_OK) {
		render_contact(r, 400, &app, &typed, uc.message, 0);
		return;
	}
	if (strcmp(c.cep_tel, app.form[FF_CEP_TEL]) == 0) {
		contact_done(r, &uc, holder_contact_change(&uc, &app, &c, NULL));
		return;
	}
	/* A new number: it must receive a code first. */
	session_set(r, "bireysel_new_eposta", c.eposta);
	session_set(r, "bireysel_new_tel", c.cep_tel);
	session_set(r, "bireysel_new_kanal", c.bilgi_kanali);
	enum uc_rc rc = otp_send(&uc, &app, OTP_CONTACT_CHANGE, c.cep_tel, 1);
	if (rc != UC_OK && rc != UC_LIMITED) {
		web_reply_uc(r, &uc, rc);
		return;
	}
	render_contact(r, rc == UC_OK ? 200 : 400, &app, &c, uc.message, 1);
}

void bireysel_contact_sms_post(req *r)
{
	db *d;
	struct application app;
	if (bireysel_holder_or_redirect(r, &d, &app) != 0)
		return;
	struct holder_contact c = {session_get(r, "bireysel_new_eposta"),
				   session_get(r, "bireysel_new_tel"),
				   session_get(r, "bireysel_new_kanal")};
	if (c.eposta == NULL || c.cep_tel == NULL || c.bilgi_kanali == NULL) {
		reply_redirect(r, "/bireysel/iletisim");
		return;
	}
	struct uc_ctx uc;
	const char *action = req_field(r, "islem");
	int resend = action != NULL && strcmp(action, "gonder") == 0;
	enum uc_rc rc;
	bireysel_uc_ctx(r, &uc, &app);
	if (resend)
		rc = otp_send(&uc, &app, OTP_CONTACT_CHANGE, c.cep_tel, 0);
	else
		rc = holder_contact_change(&uc, &app, &c, req_field(r, "sms_kodu"));
	if (rc == UC_OK && !resend) {
		contact_done(r, &uc, rc);
		return;
	}
	if (rc != UC_OK && rc != UC_INVALID && rc != UC_LIMITED) {
		contact_done(r, &uc, rc);
		return;
	}
	render_contact(r, rc == UC_OK ? 200 : 400, &app, &c, uc.message, 1);
}
