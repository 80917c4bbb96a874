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
#include "web/web.h"

struct form_page {
	req *r;
	tpl *t;
	const char *sel_il, *sel_ilce, *sel_reason, *sel_years;
};

static void add_options(tpl *t, const char *list, const struct form_option *o, const char *selected)
{
	for (; o->value != NULL; o++) {
		tpl *item = tpl_add(t, list);
		tpl_set(item, "value", o->value);
		tpl_set(item, "label", o->label);
		if (selected && strcmp(selected, o->value) == 0)
			tpl_set(item, "selected", "1");
	}
}

static void add_province(void *ctx, int plate, const char *name)
{
	struct form_page *p = ctx;
	tpl *item = tpl_add(p->t, "provinces");
	char v[4];
	snprintf(v, sizeof v, "%02d", plate);
	tpl_set(item, "value", v);
	tpl_set(item, "label", name);
	if (p->sel_il && strtol(p->sel_il, NULL, 10) == plate)
		tpl_set(item, "selected", "1");
}

static void add_district(void *ctx, const char *name)
{
	struct form_page *p = ctx;
	tpl *item = tpl_add(p->t, "districts");
	tpl_set(item, "value", name);
	tpl_set(item, "label", name);
	if (p->sel_ilce && strcmp(p->sel_ilce, name) == 0)
		tpl_set(item, "selected", "1");
}

static void add_reasons(tpl *t, unsigned allowed, const char *selected)
{
	for (int i = 0; i < REASON__MAX; i++) {
		if (!(allowed & (1u << i)))
			continue;
		tpl *item = tpl_add(t, "reasons");
		tpl_set(item, "value", app_reason_name(i));
		tpl_set(item, "label", app_reason_label_tr(i));
		if ((selected && strcmp(selected, app_reason_name(i)) == 0) ||
		    (!selected && allowed == (1u << i)))
			tpl_set(item, "selected", "1");
	}
	if (allowed & (1u << REASON_ILK))
		tpl_set(t, "first_application", "1");
}

static void add_years(tpl *t, const char *selected)
{
	for (int y = 3; y >= 1; y--) {
		tpl *item = tpl_add(t, "years");
		tpl_setf(item, "value", "%d", y);
		tpl_setf(item, "label", "%d Yıl", y);
		if (selected ? strtol(selected, NULL, 10) == y : y == 3)
			tpl_set(item, "selected", "1");
	}
}

/* The reasons this person may choose now (app/apply_submit.c). */
static unsigned allowed_reasons(req *r, const char *tckn)
{
	struct uc_ctx c;
	web_uc_ctx(r, &c, NULL, NULL);
	return apply_allowed_reasons(&c, tckn);
}

/* Renders the form. `values` are the submitted ones (NULL: first visit,
 * defaults from the personnel record). */
static void render_form(req *r, db *d, int status, const struct applicant *who,
			const struct personnel_record *pr, unsigned allowed, tpl *t, int submitted)
{
	struct form_page p = {.r = r, .t = t};
	const struct form_field_def *ft = form_field_table();
	/* The value each select box with a fixed option list shows selected. */
	const char *chosen[FF__MAX] = {[FF_BILGI_KANALI] = "IKISI"};
	tpl_set(t, "title", "Başvuru Formu");
	tpl_set_int(t, "step", 2);
	tpl_set(t, "script", "form.js");
	tpl_set(t, "tckn", who->tckn);
	tpl_set(t, "ad", who->ad);
	tpl_set(t, "soyad", who->soyad);
	tpl_set(t, "dogum_yeri", who->dogum_yeri);
	int y, m, dd;
	if (date_parse(who->dogum_tarihi, &y, &m, &dd) == 0)
		tpl_setf(t, "dogum_tarihi", "%02d.%02d.%04d", dd, m, y);
	tpl_set(t, "sicil_no", who->sicil_no);
	tpl_set(t, "kurum_adi", pr->kurum_adi);

	if (submitted) {
		/* What was typed goes back into the boxes, under the field's name
		 * (the select boxes read theirs below); a secret never does. */
		for (int i = 0; i < FF__MAX; i++) {
			if (ft[i].input == FORM_INPUT_SECRET)
				continue;
			tpl_set(t, ft[i].name, req_field(r, ft[i].name));
			chosen[i] = req_field(r, ft[i].name);
		}
		p.sel_il = req_field(r, "il");
		p.sel_ilce = req_field(r, "ilce");
		p.sel_reason = req_field(r, "basvuru_nedeni");
		p.sel_years = req_field(r, "sertifika_suresi");
	} else {
		tpl_set(t, "birim", pr->birim);
		tpl_set(t, "unvan", pr->unvan);
		tpl_set(t, "adres", pr->adres);
		tpl_set(t, "posta_kodu", pr->posta_kodu);
		p.sel_il = pr->il_kodu;
		p.sel_ilce = pr->ilce;
	}
	add_reasons(t, allowed, p.sel_reason);
	add_years(t, p.sel_years);
	/* A select box with a fixed list (the table's options) lists them as
	 * "<name>_options". */
	for (int i = 0; i < FF__MAX; i++)
		if (ft[i].options != NULL)
			add_options(t, arena_printf(req_arena(r), "%s_options", ft[i].name),
				    ft[i].options, chosen[i]);
	store_provinces(d, add_province, &p);
	long plate = p.sel_il ? strtol(p.sel_il, NULL, 10) : 0;
	if (plate >= 1 && plate <= 81)
		store_districts(d, (int)plate, add_district, &p);
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
	render_form(r, d, 200, &who, &pr, allowed_reasons(r, who.tckn), tpl_new(r), 0);
}

/* Puts each field's message beside it and the summary on top. */
static void set_errors(req *r, tpl *t, const struct form_errors *err, const char *summary)
{
	for (int f = 0; f < FF__MAX; f++)
		if (err->msg[f] != NULL)
			tpl_set(t, arena_printf(req_arena(r), "%s_error", form_field_name(f)),
				err->msg[f]);
	tpl_set(t, "error", summary);
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
		render_form(r, d, 200, &who, &pr, allowed_reasons(r, who.tckn), t, 1);
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
		reply_redirect(r, "/basvuru/sms");
		return;
	}
	if (rc == UC_INVALID) {
		set_errors(r, t, &err, c.message);
		render_form(r, d, 400, &who, &pr, in.allowed_reasons, t, 1);
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
