/* GET /basvuru/eposta-onay?t=TOKEN: the applicant opens the link mailed to
 * the form's e-mail address (app/email_confirm.h). It needs no session: the
 * token is the proof. A page either way; the token is never echoed. */
#include "app/email_confirm.h"
#include "web/apply.h"

void apply_email_confirm(req *r)
{
	db *d = web_db_or_reply(r);
	if (d == NULL)
		return;
	struct uc_ctx c;
	const char *number = NULL, *email = NULL;
	uc_ctx_init(&c, d, req_arena(r), "basvuru:eposta-onay", NULL, req_client_ip(r));
	enum uc_rc rc = email_confirm_use(&c, req_field(r, "t"), &number, &email);
	if (rc == UC_NOT_FOUND) {
		reply_error(r, 404, c.message);
		return;
	}
	if (rc != UC_OK) {
		reply_error(r, 500,
			    "E-posta adresiniz şu anda doğrulanamadı; daha sonra yeniden "
			    "deneyin.");
		return;
	}
	tpl *t = tpl_new(r);
	tpl_set(t, "title", "E-posta Adresi Doğrulandı");
	tpl_set(t, "application_no", number);
	tpl_set(t, "email", email);
	reply_header(r, "Cache-Control", "no-store");
	reply_page(r, 200, "basvuru_eposta.html", t);
}
