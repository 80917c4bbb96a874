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

/* Fills `o` with human-readable values of `app` (strings in c->a): each
 * field of the form as form_display() shows its stored value by the form
 * table's print kind. */
static void fill_document(struct uc_ctx *c, const struct application *app,
			  struct pdf_application *o)
{
	char province[64] = "";
	char created[11], text[512];
	arena *a = c->a;
	store_province_name(c->d, (int)application_form_int(app, FF_IL), province, sizeof province);
	date_format_tr(app->created_at, created);
	memset(o, 0, sizeof *o);
	o->app_number = app->number;
	o->created = arena_strdup(a, created);
	o->ca_name = config_get("ca.name");
	o->postal_address = config_get("contact.postal_address");
	o->tckn = app->tckn;
	o->first_name = app->ad;
	o->last_name = app->soyad;
	o->birth_place = app->dogum_yeri;
	o->birth_date = tr_date(a, app->dogum_tarihi);
	o->staff_no = app->sicil_no;
	o->institution = app->kurum_adi;
	for (int f = 0; f < FF__MAX; f++) {
		const char *v = form_display((enum form_field)f, app->form, province, text,
					     sizeof text);
		/* text and province live on this stack frame. */
		o->field[f] = v == text || v == province ? arena_strdup(a, v) : v;
	}
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
