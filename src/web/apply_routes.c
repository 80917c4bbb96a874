/* The applicant portal's routes and the fields each one accepts. */
#include "domain/form.h"
#include "web/apply.h"

static const struct field_spec login_fields[] = {
	{"captcha", FIELD_TEXT, 16},
	{"tckn", FIELD_TEXT, 32},
	{"ad", FIELD_TEXT, 100},
	{"soyad", FIELD_TEXT, 100},
	{"dogum_yeri", FIELD_TEXT, 100},
	{"dogum_tarihi", FIELD_TEXT, 32},
	{"sicil_no", FIELD_TEXT, 32},
	{"islem", FIELD_TOKEN, 16},
	{NULL, 0, 0},
};

/* "islem" (the no-JavaScript "İlçeleri listele" button) and then every field
 * of the form table (domain/form.c) with its edge kind and limit; filled by
 * apply_routes_init(). The bounds here are the edge; the domain checks are
 * tighter and give the Turkish message beside the field. */
static struct field_spec form_fields[FF__MAX + 2];

static enum field_kind edge_kind(enum form_input in)
{
	switch (in) {
	case FORM_INPUT_CHOICE: return FIELD_TOKEN;
	case FORM_INPUT_MULTILINE: return FIELD_MULTILINE;
	default: return FIELD_TEXT;
	}
}

void apply_routes_init(void)
{
	const struct form_field_def *t = form_field_table();
	size_t n = 0;
	form_fields[n++] = (struct field_spec){"islem", FIELD_TOKEN, 16};
	for (int i = 0; i < FF__MAX; i++)
		form_fields[n++] = (struct field_spec){t[i].name, edge_kind(t[i].input),
						       t[i].edge_max};
	form_fields[n] = (struct field_spec){NULL, 0, 0};
}

static const struct field_spec sms_fields[] = {
	{"islem", FIELD_TOKEN, 16},
	{"sms_kodu", FIELD_TEXT, 16},
	{NULL, 0, 0},
};

static const struct field_spec proof_fields[] = {
	{"islem", FIELD_TOKEN, 16},
	{"guvenlik_sozcugu", FIELD_TEXT, 256},
	{"sms_kodu", FIELD_TEXT, 16},
	{NULL, 0, 0},
};

static const struct field_spec sign_fields[] = {
	{"imza_yontemi", FIELD_TOKEN, 16},
	{"imza", FIELD_FILE, 64 * 1024},
	{NULL, 0, 0},
};

static const struct field_spec captcha_fields[] = {
	{"n", FIELD_DIGITS, 12},
	{NULL, 0, 0},
};

static const struct field_spec districts_fields[] = {
	{"il", FIELD_DIGITS, 2},
	{NULL, 0, 0},
};

static const struct field_spec no_fields[] = {{NULL, 0, 0}};

static const struct field_spec email_confirm_fields[] = {
	{"t", FIELD_TOKEN, 64},
	{NULL, 0, 0},
};

const struct route apply_routes[] = {
	{"GET", "/basvuru", apply_login_get, captcha_fields, 0, NULL},
	{"POST", "/basvuru", apply_login_post, login_fields, 0, NULL},
	{"GET", "/basvuru/cikis", apply_logout, no_fields, 0, NULL},
	{"GET", "/captcha.png", apply_captcha_png, captcha_fields, 0, NULL},
	{"GET", "/basvuru/captcha.wav", apply_captcha_wav, captcha_fields, 0, NULL},
	{"GET", "/dev/captcha", apply_dev_captcha, no_fields, ROUTE_DEV, NULL},
	{"GET", "/basvuru/form", apply_form_get, no_fields, 0, NULL},
	{"POST", "/basvuru/form", apply_form_post, form_fields, 0, NULL},
	{"GET", "/basvuru/ilceler", apply_districts_json, districts_fields, 0, NULL},
	{"GET", "/basvuru/sms", apply_sms_get, no_fields, 0, NULL},
	{"POST", "/basvuru/sms", apply_sms_post, sms_fields, 0, NULL},
	{"GET", "/basvuru/imza", apply_sign_get, no_fields, 0, NULL},
	{"POST", "/basvuru/imza", apply_sign_post, sign_fields, 0, NULL},
	{"GET", "/basvuru/belge.txt", apply_document, no_fields, 0, NULL},
	{"GET", "/basvuru/form.pdf", apply_form_pdf, no_fields, 0, NULL},
	{"GET", "/basvuru/durum", apply_status_get, no_fields, 0, NULL},
	{"GET", "/basvuru/iptal", apply_cancel_get, no_fields, 0, NULL},
	{"POST", "/basvuru/iptal", apply_cancel_post, proof_fields, 0, NULL},
	{"GET", "/basvuru/kayip", apply_lost_get, no_fields, 0, NULL},
	{"POST", "/basvuru/kayip", apply_lost_post, proof_fields, 0, NULL},
	{"GET", "/basvuru/dogrula", apply_owner_get, no_fields, 0, NULL},
	{"POST", "/basvuru/dogrula", apply_owner_post, proof_fields, 0, NULL},
	{"GET", "/basvuru/eposta-onay", apply_email_confirm, email_confirm_fields, 0, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
