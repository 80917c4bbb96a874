/* The documents of an application: the wet-signature PDF (Başvuru Formu +
 * Sertifika Sahibi Taahhütnamesi) and the canonical text an e-onay signs.
 * Both are built from the same values, so they never disagree. */
#include "app/apply.h"
#include "util/log.h"
#include "web/apply.h"
#include "web/web.h"

/* The logged-in applicant's newest application, if this session owns it;
 * otherwise a reply. */
static int load_own(req *r, db **d, struct application *app)
{
	struct applicant who;
	if (apply_applicant_or_redirect(r, &who) != 0)
		return -1;
	if ((*d = web_db_or_reply(r)) == NULL)
		return -1;
	int rc = application_load_latest_for_tckn(*d, req_arena(r), who.tckn, app);
	if (rc != 0) {
		reply_error(r, rc < 0 ? 500 : 404,
			    rc < 0 ? "Başvurunuz okunamadı." : "Başvurunuz bulunamadı.");
		return -1;
	}
	/* The documents hold the form's contact data: only for the session
	 * that made the application or proved itself its maker. */
	if (!apply_session_owns(r, app)) {
		reply_redirect(r, "/basvuru/dogrula");
		return -1;
	}
	return 0;
}

void apply_document(req *r)
{
	db *d;
	struct application app;
	if (load_own(r, &d, &app) != 0)
		return;
	struct uc_ctx c;
	web_uc_ctx(r, &c, NULL, NULL);
	size_t len = 0;
	const char *doc = apply_doc_text(&c, &app, &len);
	if (doc == NULL) {
		reply_error(r, 500, "Başvuru belgesi oluşturulamadı.");
		return;
	}
	reply_header(r, "Content-Disposition",
		     arena_printf(req_arena(r), "attachment; filename=\"basvuru-%s.txt\"",
				  app.number));
	reply_bytes(r, 200, "text/plain; charset=utf-8", doc, len);
}

void apply_form_pdf(req *r)
{
	db *d;
	struct application app;
	if (load_own(r, &d, &app) != 0)
		return;
	struct uc_ctx c;
	web_uc_ctx(r, &c, NULL, NULL);
	size_t len = 0;
	const char *pdf = apply_doc_pdf(&c, &app, &len);
	if (pdf == NULL) {
		log_error("apply: PDF for %s failed", app.number);
		reply_error(r, 500, "Başvuru formu (PDF) oluşturulamadı.");
		return;
	}
	reply_header(r, "Content-Disposition",
		     arena_printf(req_arena(r), "inline; filename=\"basvuru-formu-%s.pdf\"",
				  app.number));
	reply_bytes(r, 200, "application/pdf", pdf, len);
}
