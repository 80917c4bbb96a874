/* The documents of an application: the wet-signature PDF (Başvuru Formu +
 * Sertifika Sahibi Taahhütnamesi) and the canonical text an e-onay signs.
 * Both are built from the same values, so they never disagree. */
#include <stdio.h>
#include <string.h>

#include "doc/appdoc.h"
#include "doc/pdf.h"
#include "domain/application.h"
#include "domain/date.h"
#include "domain/form.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/config.h"
#include "util/log.h"
#include "web/apply.h"

static const char *tr_date(req *r, const char *iso)
{
	int y, m, d;
	if (iso == NULL || date_parse(iso, &y, &m, &d) != 0)
		return iso;
	return arena_printf(req_arena(r), "%02d.%02d.%04d", d, m, y);
}

static const char *phone_text(req *r, const char *digits10)
{
	if (digits10 == NULL || strlen(digits10) != 10)
		return digits10;
	return arena_printf(req_arena(r), "0 (%.3s) %.3s %.2s %.2s", digits10, digits10 + 3,
			    digits10 + 6, digits10 + 8);
}

/* Fills `a` with human-readable values of `app` (arena strings). */
static void fill_document(req *r, db *d, const struct application *app,
			  struct pdf_application *a)
{
	char province[64] = "";
	char created[11];
	store_province_name(d, (int)app->il, province, sizeof province);
	date_format_tr(app->created_at, created);
	memset(a, 0, sizeof *a);
	a->app_number = app->number;
	a->created = arena_strdup(req_arena(r), created);
	a->ca_name = config_get("ca.name");
	a->postal_address = config_get("contact.postal_address");
	a->reason = app_reason_label_tr(app->reason);
	a->reader_type = app->card_reader
		? form_option_label(form_card_reader_options(), app->card_reader) : NULL;
	a->validity = arena_printf(req_arena(r), "%lld Yıl", (long long)app->years);
	a->tckn = app->tckn;
	a->first_name = app->ad;
	a->last_name = app->soyad;
	a->birth_place = app->dogum_yeri;
	a->birth_date = tr_date(r, app->dogum_tarihi);
	a->staff_no = app->sicil_no;
	a->institution = app->kurum_adi;
	a->unit = app->birim;
	a->title = app->unvan;
	a->address = app->adres;
	a->postal_code = app->posta_kodu;
	a->province = arena_strdup(req_arena(r), province);
	a->district = app->ilce;
	a->email = app->eposta;
	a->work_phone = phone_text(r, app->is_tel);
	a->work_ext = app->dahili;
	a->mobile = phone_text(r, app->cep_tel);
	a->home_phone = phone_text(r, app->ev_tel);
	a->operator_name = form_option_label(form_operator_options(), app->operator_name);
	a->channel = form_option_label(form_channel_options(), form_channel_name(app->channels));
}

/* Renders with `render` into an arena copy; NULL on failure. */
static const char *render_to_arena(req *r, int (*render)(const struct pdf_application *, buf *),
				   const struct pdf_application *a, size_t *len)
{
	buf b;
	buf_init(&b, 8u << 20);
	char *copy = NULL;
	if (render(a, &b) == 0 && !b.err) {
		copy = arena_alloc(req_arena(r), b.len + 1);
		if (copy != NULL) {
			memcpy(copy, b.data, b.len);
			*len = b.len;
		}
	}
	buf_free(&b);
	return copy;
}

const char *apply_document_text(req *r, db *d, const struct application *app, size_t *len)
{
	struct pdf_application a;
	fill_document(r, d, app, &a);
	return render_to_arena(r, appdoc_render, &a, len);
}

/* The logged-in applicant's newest application, or a reply. */
static int load_own(req *r, db **d, struct application *app)
{
	struct applicant who;
	if (apply_applicant_or_redirect(r, &who) != 0)
		return -1;
	if ((*d = apply_db_or_reply(r)) == NULL)
		return -1;
	int rc = application_load_latest_for_tckn(*d, req_arena(r), who.tckn, app);
	if (rc != 0) {
		reply_error(r, rc < 0 ? 500 : 404, rc < 0 ? "Başvurunuz okunamadı."
							  : "Başvurunuz bulunamadı.");
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
	size_t len = 0;
	const char *doc = apply_document_text(r, d, &app, &len);
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
	struct pdf_application a;
	fill_document(r, d, &app, &a);
	size_t len = 0;
	const char *pdf = render_to_arena(r, pdf_application_form, &a, &len);
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
