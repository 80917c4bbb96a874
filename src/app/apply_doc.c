/* The documents of an application: the wet-signature PDF (Başvuru Formu +
 * Sertifika Sahibi Taahhütnamesi) and the canonical text an e-onay signs.
 * Both are built from the same values, so they never disagree. */
#include <string.h>

#include "app/apply.h"
#include "doc/appdoc.h"
#include "doc/pdf.h"
#include "domain/date.h"
#include "domain/form.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/config.h"

static const char *tr_date(arena *a, const char *iso)
{
	int y, m, d;
	if (iso == NULL || date_parse(iso, &y, &m, &d) != 0)
		return iso;
	return arena_printf(a, "%02d.%02d.%04d", d, m, y);
}

static const char *phone_text(arena *a, const char *digits10)
{
	if (digits10 == NULL || strlen(digits10) != 10)
		return digits10;
	return arena_printf(a, "0 (%.3s) %.3s %.2s %.2s", digits10, digits10 + 3, digits10 + 6,
			    digits10 + 8);
}

/* Fills `o` with human-readable values of `app` (strings in c->a). */
static void fill_document(struct uc_ctx *c, const struct application *app,
			  struct pdf_application *o)
{
	char province[64] = "";
	char created[11];
	arena *a = c->a;
	store_province_name(c->d, (int)app->il, province, sizeof province);
	date_format_tr(app->created_at, created);
	memset(o, 0, sizeof *o);
	o->app_number = app->number;
	o->created = arena_strdup(a, created);
	o->ca_name = config_get("ca.name");
	o->postal_address = config_get("contact.postal_address");
	o->reason = app_reason_label_tr(app->reason);
	o->reader_type = app->card_reader
		? form_option_label(form_card_reader_options(), app->card_reader) : NULL;
	o->validity = arena_printf(a, "%lld Yıl", (long long)app->years);
	o->tckn = app->tckn;
	o->first_name = app->ad;
	o->last_name = app->soyad;
	o->birth_place = app->dogum_yeri;
	o->birth_date = tr_date(a, app->dogum_tarihi);
	o->staff_no = app->sicil_no;
	o->institution = app->kurum_adi;
	o->unit = app->birim;
	o->title = app->unvan;
	o->address = app->adres;
	o->postal_code = app->posta_kodu;
	o->province = arena_strdup(a, province);
	o->district = app->ilce;
	o->email = app->eposta;
	o->work_phone = phone_text(a, app->is_tel);
	o->work_ext = app->dahili;
	o->mobile = phone_text(a, app->cep_tel);
	o->home_phone = phone_text(a, app->ev_tel);
	o->operator_name = form_option_label(form_operator_options(), app->operator_name);
	o->channel = form_option_label(form_channel_options(), form_channel_name(app->channels));
}

/* Renders app with `render` into an arena copy; NULL on failure. */
static const char *render(struct uc_ctx *c, const struct application *app,
			  int (*fn)(const struct pdf_application *, buf *), size_t *len)
{
	struct pdf_application o;
	fill_document(c, app, &o);
	buf b;
	buf_init(&b, 8u << 20);
	char *copy = NULL;
	if (fn(&o, &b) == 0 && !b.err) {
		copy = arena_alloc(c->a, b.len + 1);
		if (copy != NULL) {
			memcpy(copy, b.data, b.len);
			*len = b.len;
		}
	}
	buf_free(&b);
	return copy;
}

const char *apply_doc_text(struct uc_ctx *c, const struct application *app, size_t *len)
{
	return render(c, app, appdoc_render, len);
}

const char *apply_doc_pdf(struct uc_ctx *c, const struct application *app, size_t *len)
{
	return render(c, app, pdf_application_form, len);
}
