/* Step 2 (Adım 2): the application form. Identity and Kurum Sicil No come
 * from the login and are read-only; Kurum Adı comes from the personnel
 * records. "Form Onayla" stores the application as FORM_CONFIRMED. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/apply.h"
#include "domain/application.h"
#include "domain/date.h"
#include "domain/form.h"
#include "identity/personnel.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/json.h"
#include "web/apply.h"
#include "web/error_summary.h"
#include "web/form_fields.h"
#include "web/web.h"

/* What the province and district callbacks add to: the select boxes' items
 * and the values they show selected. */
struct form_page {
	tpl *il, *ilce;
	const char *sel_il, *sel_ilce;
};

static void add_province(void *ctx, int plate, const char *name)
{
	struct form_page *p = ctx;
	char v[4];
	snprintf(v, sizeof v, "%02d", plate);
	form_fields_option(p->il, v, name, p->sel_il && strtol(p->sel_il, NULL, 10) == plate);
}

static void add_district(void *ctx, const char *name)
{
	struct form_page *p = ctx;
	form_fields_option(p->ilce, name, name, p->sel_ilce && strcmp(p->sel_ilce, name) == 0);
}

/* The reasons allowed; the one chosen (or the only one) selected. */
static void add_reasons(tpl *item, unsigned allowed, const char *selected)
{
	for (int i = 0; i < REASON__MAX; i++) {
		if (!(allowed & (1u << i)))
			continue;
		form_fields_option(item, app_reason_name(i), app_reason_label_tr(i),
				   (selected && strcmp(selected, app_reason_name(i)) == 0) ||
					   (!selected && allowed == (1u << i)));
	}
}

/* 3, 2 and 1 years; the one chosen (3 by default) selected. */
static void add_years(tpl *item, const char *selected)
{
	for (int y = 3; y >= 1; y--) {
		char v[4], label[16];
		snprintf(v, sizeof v, "%d", y);
		snprintf(label, sizeof label, "%d Yıl", y);
		form_fields_option(item, v, label,
				   selected ? strtol(selected, NULL, 10) == y : y == 3);
	}
}

/* The reasons this person may choose now (app/apply_submit.c). */
static unsigned allowed_reasons(req *r, const char *tckn)
{
	struct uc_ctx c;
	web_uc_ctx(r, &c, NULL, NULL);
	return apply_allowed_reasons(&c, tckn);
}

/* The identity block on top of the page: read-only, from the login and
 * the personnel record. */
static void set_identity(tpl *t, const struct applicant *who, const struct personnel_record *pr)
{
	int y, m, dd;
	tpl_set(t, "tckn", who->tckn);
	tpl_set(t, "ad", who->ad);
	tpl_set(t, "soyad", who->soyad);
	tpl_set(t, "dogum_yeri", who->dogum_yeri);
	if (date_parse(who->dogum_tarihi, &y, &m, &dd) == 0)
		tpl_setf(t, "dogum_tarihi", "%02d.%02d.%04d", dd, m, y);
	tpl_set(t, "sicil_no", who->sicil_no);
	tpl_set(t, "kurum_adi", pr->kurum_adi);
}

/* What the fields show: what was submitted (a secret is never shown
 * again), or on the first visit the personnel record's defaults. */
static void set_values(req *r, const struct personnel_record *pr, int submitted,
		       struct form_fields_in *in)
{
	if (submitted) {
		for (int i = 0; i < FF__MAX; i++)
			in->value[i] = req_field(r, form_field_name((enum form_field)i));
		return;
	}
	in->value[FF_BIRIM] = pr->birim;
	in->value[FF_UNVAN] = pr->unvan;
	in->value[FF_ADRES] = pr->adres;
	in->value[FF_POSTA_KODU] = pr->posta_kodu;
	in->value[FF_IL] = pr->il_kodu;
	in->value[FF_ILCE] = pr->ilce;
	in->value[FF_BILGI_KANALI] = "IKISI";
}

/* The select boxes whose options do not come from the form table: the
 * reasons, the years, the provinces and the districts of the chosen one. */
static void add_code_options(db *d, tpl *items[FF__MAX], const struct form_fields_in *in,
			     unsigned allowed)
{
	struct form_page p = {.il = items[FF_IL],
			      .ilce = items[FF_ILCE],
			      .sel_il = in->value[FF_IL],
			      .sel_ilce = in->value[FF_ILCE]};
	add_reasons(items[FF_BASVURU_NEDENI], allowed, in->value[FF_BASVURU_NEDENI]);
	add_years(items[FF_SERTIFIKA_SURESI], in->value[FF_SERTIFIKA_SURESI]);
	store_provinces(d, add_province, &p);
	long plate = p.sel_il ? strtol(p.sel_il, NULL, 10) : 0;
	if (plate >= 1 && plate <= 81)
		store_districts(d, (int)plate, add_district, &p);
}

/* Renders the form with the fields of the form table (web/form_fields.c).
 * submitted: the boxes show what was posted, else the defaults; err
 * (NULL: none) puts each field's message beside it. */
static void render_form(req *r, db *d, int status, const struct applicant *who,
			const struct personnel_record *pr, unsigned allowed, tpl *t, int submitted,
			const struct form_errors *err)
{
	struct form_fields_in in = {.first_application = (allowed & (1u << REASON_ILK)) != 0};
	tpl *items[FF__MAX];
	tpl_set(t, "title", "Başvuru Formu");
	tpl_set_int(t, "step", 2);
	tpl_set(t, "script", "form.js");
	set_identity(t, who, pr);
	set_values(r, pr, submitted, &in);
	const struct form_field_def *ft = form_field_table();
	for (int i = 0; err != NULL && i < FF__MAX; i++) {
		in.error[i] = err->msg[i];
		if (err->msg[i] != NULL)
			error_summary_add(t, ft[i].name, ft[i].label);
	}
	form_fields_add(t, &in, items);
	add_code_options(d, items, &in, allowed);
	reply_page(r, status, "basvuru_form.html", t);
}

/* Loads what every form request needs; replies and returns -1 otherwise. */
static int form_context(req *r, db **d, struct applicant *who, struct personnel_record *pr)
{
	if (apply_applicant_or_redirect(r, who) != 0)
		return -1;
	if ((*d = web_db_or_reply(r)) == NULL)
		return -1;
	struct application app;
	int rc = apply_open_application_or_reply(r, *d, who, &app);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		/* One open application at a time: continue that one. */
		reply_redirect(r, apply_next_step(&app));
		return -1;
	}
	if (personnel_lookup(*d, who->tckn, who->sicil_no, pr) != 0) {
		reply_error(r, 403,
			    "Personel kaydınız bulunamadı. Kurumunuzdaki MEBBİS "
			    "yöneticileri ile iletişime geçiniz.");
		return -1;
	}
	return 0;
}

void apply_form_get(req *r)
{
	db *d;
	struct applicant who;
	struct personnel_record pr;
	if (form_context(r, &d, &who, &pr) != 0)
		return;
	render_form(r, d, 200, &who, &pr, allowed_reasons(r, who.tckn), tpl_new(r), 0, NULL);
}

void apply_form_post(req *r)
{
	db *d;
	struct applicant who;
	struct personnel_record pr;
	if (form_context(r, &d, &who, &pr) != 0)
		return;
	tpl *t = tpl_new(r);
	const char *action = req_field(r, "islem");
	if (action != NULL && strcmp(action, "ilce") == 0) {
		/* "İlçeleri listele" without JavaScript: same form, new districts. */
		render_form(r, d, 200, &who, &pr, allowed_reasons(r, who.tckn), t, 1, NULL);
		return;
	}
	struct app_form in = {0};
	for (int f = 0; f < FF__MAX; f++)
		in.raw[f] = req_field(r, form_field_name((enum form_field)f));
	struct form_errors err;
	struct application app;
	struct uc_ctx c;
	web_uc_ctx(r, &c, apply_actor(r, &who), "Başvuru sahibi");
	enum uc_rc rc = apply_submit(&c, &who, &pr, &in, &err, &app);
	if (rc == UC_OK) {
		apply_session_take(r, &app);
		reply_redirect(r, "/basvuru/sms");
		return;
	}
	if (rc == UC_INVALID) {
		tpl_set(t, "error", c.message); /* the summary on top */
		render_form(r, d, 400, &who, &pr, in.allowed_reasons, t, 1, &err);
		return;
	}
	if (rc == UC_UNAVAILABLE && c.message != NULL) {
		/* Not the database: hashing the security word found no memory. */
		reply_error(r, 503, c.message);
		return;
	}
	web_reply_uc(r, &c, rc);
}

struct json_ctx {
	buf *b;
	int first;
};

static void add_district_json(void *ctx, const char *name)
{
	struct json_ctx *j = ctx;
	if (!j->first)
		buf_putc(j->b, ',');
	j->first = 0;
	json_append_string(j->b, name);
}

/* GET /basvuru/ilceler?il=NN: the districts of a province as a JSON array
 * (for the form's İl/İlçe cascade with JavaScript). */
void apply_districts_json(req *r)
{
	const char *il = req_field(r, "il");
	long plate = il ? strtol(il, NULL, 10) : 0;
	if (plate < 1 || plate > 81) {
		reply_error(r, 400, "İl kodu 01 ile 81 arasında olmalıdır.");
		return;
	}
	db *d = web_db_or_reply(r);
	if (d == NULL)
		return;
	buf b;
	buf_init(&b, 64 * 1024);
	struct json_ctx j = {&b, 1};
	buf_putc(&b, '[');
	store_districts(d, (int)plate, add_district_json, &j);
	buf_putc(&b, ']');
	char *copy = b.err ? NULL : arena_strndup(req_arena(r), b.data, b.len);
	size_t len = b.len;
	buf_free(&b);
	if (copy == NULL) {
		reply_error(r, 500, "İlçe listesi oluşturulamadı.");
		return;
	}
	reply_header(r, "Cache-Control", "public, max-age=86400");
	reply_bytes(r, 200, "application/json; charset=utf-8", copy, len);
}
