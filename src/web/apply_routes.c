/* The applicant portal's routes and the fields each one accepts. */
#include "web/apply.h"

static const struct field_spec login_fields[] = {
	{"captcha", FIELD_TEXT, 16},
	{"tckn", FIELD_TEXT, 32},
	{"ad", FIELD_TEXT, 100},
	{"soyad", FIELD_TEXT, 100},
	{"dogum_yeri", FIELD_TEXT, 100},
	{"dogum_tarihi", FIELD_TEXT, 32},
	{"sicil_no", FIELD_TEXT, 32},
	{NULL, 0, 0},
};

/* Bounds here are the edge; the domain rules (domain/form.c) are tighter
 * and give the Turkish message beside the field. */
static const struct field_spec form_fields[] = {
	{"islem", FIELD_TOKEN, 16},
	{"basvuru_nedeni", FIELD_TOKEN, 32},
	{"kart_okuyucu", FIELD_TOKEN, 32},
	{"sertifika_suresi", FIELD_TEXT, 8},
	{"guvenlik_sozcugu", FIELD_TEXT, 256},
	{"guvenlik_sozcugu_tekrar", FIELD_TEXT, 256},
	{"birim", FIELD_TEXT, 500},
	{"unvan", FIELD_TEXT, 500},
	{"adres", FIELD_MULTILINE, 1500},
	{"posta_kodu", FIELD_TEXT, 16},
	{"il", FIELD_TEXT, 8},
	{"ilce", FIELD_TEXT, 200},
	{"eposta", FIELD_TEXT, 300},
	{"is_tel", FIELD_TEXT, 32},
	{"dahili", FIELD_TEXT, 16},
	{"cep_tel", FIELD_TEXT, 32},
	{"ev_tel", FIELD_TEXT, 32},
	{"operator", FIELD_TOKEN, 32},
	{"bilgi_kanali", FIELD_TOKEN, 16},
	{NULL, 0, 0},
};

static const struct field_spec sms_fields[] = {
	{"islem", FIELD_TOKEN, 16},
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

const struct route apply_routes[] = {
	{"GET", "/basvuru", apply_login_get, captcha_fields, 0, NULL},
	{"POST", "/basvuru", apply_login_post, login_fields, 0, NULL},
	{"GET", "/basvuru/cikis", apply_logout, no_fields, 0, NULL},
	{"GET", "/captcha.png", apply_captcha_png, captcha_fields, 0, NULL},
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
	{"POST", "/basvuru/iptal", apply_cancel_post, no_fields, 0, NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
