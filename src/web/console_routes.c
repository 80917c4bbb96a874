/* The staff console's routes, the public courier tracking page and the
 * courier API, with the fields each one accepts. */
#include "web/console.h"

static const struct field_spec no_fields[] = {{NULL, 0, 0}};

static const struct field_spec login_fields[] = {
	{"kullanici_adi", FIELD_TEXT, 64},
	{"parola", FIELD_TEXT, 512},
	{"captcha", FIELD_TEXT, 16},
	{NULL, 0, 0},
};

/* A password is at most 128 characters: 512 bytes of UTF-8. */
static const struct field_spec password_fields[] = {
	{"mevcut_parola", FIELD_TEXT, 512},
	{"yeni_parola", FIELD_TEXT, 512},
	{"yeni_parola_tekrar", FIELD_TEXT, 512},
	{NULL, 0, 0},
};

static const struct field_spec totp_fields[] = {
	{"dogrulama_kodu", FIELD_TEXT, 16},
	{NULL, 0, 0},
};

static const struct field_spec queue_fields[] = {
	{"durum", FIELD_TOKEN, 32},    {"kurum", FIELD_TOKEN, 32}, {"neden", FIELD_TOKEN, 32},
	{"baslangic", FIELD_TEXT, 16}, {"bitis", FIELD_TEXT, 16},  {"ara", FIELD_TEXT, 100},
	{"sayfa", FIELD_DIGITS, 6},    {"bicim", FIELD_TOKEN, 8},  {NULL, 0, 0},
};

static const struct field_spec decide_fields[] = {
	{"id", FIELD_DIGITS, 18},
	{"karar", FIELD_TOKEN, 16},
	{"gerekce", FIELD_MULTILINE, 500},
	{NULL, 0, 0},
};

/* One checkbox per row of a queue page (QUEUE_PAGE = 25). */
#define SEL(n) \
	{ \
		"s" #n, FIELD_DIGITS, 18 \
	}
static const struct field_spec bulk_fields[] = {
	SEL(0),	 SEL(1),  SEL(2),  SEL(3),  SEL(4),  SEL(5),  SEL(6),  SEL(7),	     SEL(8),
	SEL(9),	 SEL(10), SEL(11), SEL(12), SEL(13), SEL(14), SEL(15), SEL(16),	     SEL(17),
	SEL(18), SEL(19), SEL(20), SEL(21), SEL(22), SEL(23), SEL(24), {NULL, 0, 0},
};

static const struct field_spec csv_fields[] = {
	{"bicim", FIELD_TOKEN, 8},
	{NULL, 0, 0},
};

static const struct field_spec operator_fields[] = {
	{"liste", FIELD_TOKEN, 16},
	{"bicim", FIELD_TOKEN, 8},
	{NULL, 0, 0},
};

static const struct field_spec paperwork_fields[] = {
	{"id", FIELD_DIGITS, 18},
	{"dys_no", FIELD_TEXT, 64},
	{"dys_tarihi", FIELD_TEXT, 16},
	{"posta_no", FIELD_TEXT, 64},
	{NULL, 0, 0},
};

static const struct field_spec payment_fields[] = {
	{"id", FIELD_DIGITS, 18},
	{"tutar", FIELD_TEXT, 16},
	{"makbuz_no", FIELD_TEXT, 64},
	{NULL, 0, 0},
};

static const struct field_spec issue_fields[] = {
	{"id", FIELD_DIGITS, 18},
	{"csr", FIELD_MULTILINE, 16384},
	{NULL, 0, 0},
};

static const struct field_spec ship_fields[] = {
	{"id", FIELD_DIGITS, 18},
	{"kurye", FIELD_TEXT, 100},
	{"takip_no", FIELD_TEXT, 64},
	{NULL, 0, 0},
};

static const struct field_spec id_fields[] = {
	{"id", FIELD_DIGITS, 18},
	{"not", FIELD_TEXT, 300},
	{NULL, 0, 0},
};

static const struct field_spec users_fields[] = {
	{"islem", FIELD_TOKEN, 16},
	{"kullanici", FIELD_DIGITS, 18},
	{"kullanici_adi", FIELD_TEXT, 64},
	{"rol", FIELD_TOKEN, 16},
	{"yetki_birimi", FIELD_TEXT, 64},
	{"parola", FIELD_TEXT, 512},
	{NULL, 0, 0},
};

static const struct field_spec audit_fields[] = {
	{"nesne", FIELD_TEXT, 100},
	{"aktor", FIELD_TEXT, 100},
	{"baslangic", FIELD_TEXT, 16},
	{"bitis", FIELD_TEXT, 16},
	{"sayfa", FIELD_DIGITS, 6},
	{"bicim", FIELD_TOKEN, 8},
	{NULL, 0, 0},
};

static const struct field_spec tracking_fields[] = {
	{"takip_no", FIELD_TEXT, 64},
	{NULL, 0, 0},
};

const struct route console_routes[] = {
	{"GET", "/konsol/giris", console_login_get, no_fields, 0, NULL},
	{"POST", "/konsol/giris", console_login_post, login_fields, 0, NULL},
	{"GET", "/konsol/dogrulama", console_totp_get, no_fields, 0, NULL},
	{"POST", "/konsol/dogrulama", console_totp_post, totp_fields, 0, NULL},
	{"POST", "/konsol/cikis", console_logout_post, no_fields, 0, NULL},
	{"GET", "/konsol/parola", console_password_get, no_fields, 0, NULL},
	{"POST", "/konsol/parola", console_password_post, password_fields, 0, NULL},
	{"GET", "/konsol", console_dashboard, no_fields, 0, NULL},
	{"GET", "/konsol/basvurular", console_queue, queue_fields, 0, NULL},
	{"POST", "/konsol/basvurular/onay", console_bulk_approve_post, bulk_fields, 0, NULL},
	{"GET", "/konsol/basvuru/", console_application_get, no_fields, ROUTE_PREFIX,
	 "/konsol/basvuru/:id"},
	{"POST", "/konsol/karar", console_decide_post, decide_fields, 0, NULL},
	{"GET", "/konsol/dolacaklar", console_expiring, csv_fields, 0, NULL},
	{"GET", "/konsol/operator", console_operator_get, operator_fields, 0, NULL},
	{"POST", "/konsol/evrak", console_paperwork_post, paperwork_fields, 0, NULL},
	{"POST", "/konsol/odeme", console_payment_post, payment_fields, 0, NULL},
	{"POST", "/konsol/uret", console_issue_post, issue_fields, 0, NULL},
	{"POST", "/konsol/kart-uret", console_card_queue_post, id_fields, 0, NULL},
	{"POST", "/konsol/kargo", console_ship_post, ship_fields, 0, NULL},
	{"POST", "/konsol/teslim", console_delivered_post, id_fields, 0, NULL},
	{"POST", "/konsol/iade", console_returned_post, id_fields, 0, NULL},
	{"GET", "/konsol/kullanicilar", console_users_get, no_fields, 0, NULL},
	{"POST", "/konsol/kullanicilar", console_users_post, users_fields, 0, NULL},
	{"GET", "/konsol/denetim", console_audit_get, audit_fields, 0, NULL},
	{"GET", "/kurye-takip", tracking_get, tracking_fields, 0, NULL},
	{"POST", "/api/v1/kurye/olay", tracking_api_post, NULL, ROUTE_RAW_BODY | ROUTE_NO_CSRF,
	 NULL},
	{NULL, NULL, NULL, NULL, 0, NULL},
};
