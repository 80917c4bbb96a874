/* Table-driven tests of domain/form.h: each field valid and invalid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/form.h"
#include "domain/trcase.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define E_REQ "Bu alan zorunludur."
#define E_CHARS "Geçersiz karakter içeriyor."
#define E_REASON "Geçerli bir başvuru nedeni seçiniz."
#define E_REASON_NA "Bu başvuru nedeni sizin için uygun değildir."
#define E_CARD "Geçerli bir kart okuyucu tipi seçiniz."
#define E_YEARS "Sertifika süresi 1, 2 veya 3 yıl olmalıdır."
#define E_WEAK "Güvenlik sözcüğü 8-64 karakter olmalı, en az bir harf ve bir rakam içermelidir."
#define E_NAME "Güvenlik sözcüğü adınızı, soyadınızı veya T.C. Kimlik No'nuzu içermemelidir."
#define E_SAME "Güvenlik sözcükleri birbiriyle aynı değil."
#define E_100 "En fazla 100 karakter girilebilir."
#define E_300 "En fazla 300 karakter girilebilir."
#define E_50 "En fazla 50 karakter girilebilir."
#define E_PK5 "Posta kodu 5 haneli olmalıdır."
#define E_PKIL "Posta kodunun ilk iki hanesi seçilen ilin plaka kodu olmalıdır."
#define E_PK "Geçerli bir posta kodu giriniz."
#define E_IL "Geçerli bir il seçiniz."
#define E_ILCE "Seçilen ile ait geçerli bir ilçe seçiniz."
#define E_MAIL "Geçerli bir e-posta adresi giriniz."
#define E_ISTEL "İş telefonu alan koduyla birlikte 10 haneli olmalıdır (ör. 0372 123 45 67)."
#define E_DAHILI "Dahili numara en fazla 6 rakamdan oluşmalıdır."
#define E_CEP "Cep telefonu 5 ile başlayan 10 haneli olmalıdır (ör. 0532 123 45 67)."
#define E_EVTEL "Ev telefonu alan koduyla birlikte 10 haneli olmalıdır (ör. 0372 123 45 67)."
#define E_OP "Geçerli bir mobil operatör seçiniz."
#define E_CH "Geçerli bir bilgi kanalı seçiniz."

static int district_ok(void *ctx, int plate, const char *ilce)
{
	static const struct {
		int plate;
		const char *name;
	} d[] = {{67, "Merkez"}, {67, "Ereğli"}, {67, "Çaycuma"}, {34, "Kadıköy"}};
	size_t i;

	(void)ctx;
	for (i = 0; i < N(d); i++) {
		if (d[i].plate == plate && trcase_name_equal(d[i].name, ilce))
			return 1;
	}
	return 0;
}

static struct app_form base_form(void)
{
	struct app_form f = {
		.raw[FF_BASVURU_NEDENI] = "ILK",
		.raw[FF_KART_OKUYUCU] = "MINI",
		.raw[FF_SERTIFIKA_SURESI] = "3",
		.raw[FF_GUVENLIK_SOZCUGU] = "kirmizi elma 42",
		.raw[FF_GUVENLIK_SOZCUGU_TEKRAR] = "kirmizi elma 42",
		.raw[FF_BIRIM] = "Bilgi İşlem Şubesi",
		.raw[FF_UNVAN] = "Şef",
		.raw[FF_ADRES] = "Milli Egemenlik Cad. No: 1",
		.raw[FF_POSTA_KODU] = "67100",
		.raw[FF_IL] = "67",
		.raw[FF_ILCE] = "Merkez",
		.raw[FF_EPOSTA] = "ayse.yilmaz@meb.gov.tr",
		.raw[FF_IS_TEL] = "0372 123 45 67",
		.raw[FF_DAHILI] = "",
		.raw[FF_CEP_TEL] = "0532 123 45 67",
		.raw[FF_EV_TEL] = NULL,
		.raw[FF_OPERATOR] = "TURKCELL",
		.raw[FF_BILGI_KANALI] = "IKISI",
		.allowed_reasons = 1u << REASON_ILK,
		.district_ok = district_ok,
		.district_ctx = NULL,
		.ad = "Ayşe Nur",
		.soyad = "Yılmaz",
		.tckn = "10000000146",
	};
	return f;
}

static void test_form_valid(void **state)
{
	struct app_form f = base_form();
	struct form_errors err;
	struct app_form_clean c;

	(void)state;
	assert_int_equal(form_validate(&f, &err, &c), 0);
	assert_int_equal(err.count, 0);
	assert_int_equal(c.reason, REASON_ILK);
	assert_string_equal(c.value[FF_KART_OKUYUCU], "MINI");
	assert_int_equal(c.years, 3);
	assert_ptr_equal(c.guvenlik_sozcugu, f.raw[FF_GUVENLIK_SOZCUGU]);
	assert_string_equal(c.value[FF_BIRIM], "Bilgi İşlem Şubesi");
	assert_string_equal(c.value[FF_POSTA_KODU], "67100");
	assert_int_equal(c.il, 67);
	assert_string_equal(c.value[FF_ILCE], "Merkez");
	assert_string_equal(c.value[FF_EPOSTA], "ayse.yilmaz@meb.gov.tr");
	assert_string_equal(c.value[FF_IS_TEL], "3721234567");
	assert_null(c.value[FF_DAHILI]);
	assert_string_equal(c.value[FF_CEP_TEL], "5321234567");
	assert_null(c.value[FF_EV_TEL]);
	assert_string_equal(c.value[FF_OPERATOR], "TURKCELL");
	assert_string_equal(c.value[FF_BILGI_KANALI], "IKISI");
	assert_int_equal(c.channels, CHANNEL_EPOSTA | CHANNEL_SMS);
}

/* Sets one field of f by its enum. */
static void set_field(struct app_form *f, enum form_field field, const char *v)
{
	const char **slot[FF__MAX] = {
		[FF_BASVURU_NEDENI] = &f->raw[FF_BASVURU_NEDENI],
		[FF_KART_OKUYUCU] = &f->raw[FF_KART_OKUYUCU],
		[FF_SERTIFIKA_SURESI] = &f->raw[FF_SERTIFIKA_SURESI],
		[FF_GUVENLIK_SOZCUGU] = &f->raw[FF_GUVENLIK_SOZCUGU],
		[FF_GUVENLIK_SOZCUGU_TEKRAR] = &f->raw[FF_GUVENLIK_SOZCUGU_TEKRAR],
		[FF_BIRIM] = &f->raw[FF_BIRIM],
		[FF_UNVAN] = &f->raw[FF_UNVAN],
		[FF_ADRES] = &f->raw[FF_ADRES],
		[FF_POSTA_KODU] = &f->raw[FF_POSTA_KODU],
		[FF_IL] = &f->raw[FF_IL],
		[FF_ILCE] = &f->raw[FF_ILCE],
		[FF_EPOSTA] = &f->raw[FF_EPOSTA],
		[FF_IS_TEL] = &f->raw[FF_IS_TEL],
		[FF_DAHILI] = &f->raw[FF_DAHILI],
		[FF_CEP_TEL] = &f->raw[FF_CEP_TEL],
		[FF_EV_TEL] = &f->raw[FF_EV_TEL],
		[FF_OPERATOR] = &f->raw[FF_OPERATOR],
		[FF_BILGI_KANALI] = &f->raw[FF_BILGI_KANALI],
	};

	*slot[field] = v;
}

static char long101[102 * 2], long100[101 * 2], long301[302], long300[301], long51[52];

/* One field changed from the valid base form; msg NULL means it passes.
 * Word changes are applied to both the word and its confirmation. */
static const struct {
	enum form_field field;
	const char *value;
	const char *msg;
} field_cases[] = {
	{FF_BASVURU_NEDENI, NULL, E_REQ},
	{FF_BASVURU_NEDENI, "  ", E_REQ},
	{FF_BASVURU_NEDENI, "ilk", E_REASON},
	{FF_BASVURU_NEDENI, "YENI", E_REASON},
	{FF_BASVURU_NEDENI, "YENILEME", E_REASON_NA},
	{FF_BASVURU_NEDENI, "DIGER", E_REASON_NA},
	{FF_BASVURU_NEDENI, " ILK ", NULL},
	{FF_KART_OKUYUCU, NULL, E_REQ},
	{FF_KART_OKUYUCU, "", E_REQ},
	{FF_KART_OKUYUCU, "STANDART", NULL},
	{FF_KART_OKUYUCU, "USB_TOKEN", NULL},
	{FF_KART_OKUYUCU, "mini", E_CARD},
	{FF_KART_OKUYUCU, "MINIX", E_CARD},
	{FF_SERTIFIKA_SURESI, NULL, E_REQ},
	{FF_SERTIFIKA_SURESI, "1", NULL},
	{FF_SERTIFIKA_SURESI, "2", NULL},
	{FF_SERTIFIKA_SURESI, "0", E_YEARS},
	{FF_SERTIFIKA_SURESI, "4", E_YEARS},
	{FF_SERTIFIKA_SURESI, "03", E_YEARS},
	{FF_SERTIFIKA_SURESI, "3 yıl", E_YEARS},
	{FF_SERTIFIKA_SURESI, "-1", E_YEARS},
	{FF_GUVENLIK_SOZCUGU, NULL, E_REQ},
	{FF_GUVENLIK_SOZCUGU, "abc123", E_WEAK},   /* 6 characters */
	{FF_GUVENLIK_SOZCUGU, "abcdefgh", E_WEAK}, /* no digit */
	{FF_GUVENLIK_SOZCUGU, "12345678", E_WEAK}, /* no letter */
	{FF_GUVENLIK_SOZCUGU, "çğıöşü12", NULL},   /* 8 characters, 14 bytes */
	{FF_GUVENLIK_SOZCUGU, "çğıöşü1", E_WEAK},
	{FF_GUVENLIK_SOZCUGU,
	 "abc\x01"
	 "12345",
	 E_CHARS},
	{FF_GUVENLIK_SOZCUGU,
	 "abc\xff"
	 "12345",
	 E_CHARS},
	{FF_GUVENLIK_SOZCUGU, "aysenur99", E_NAME}, /* contains NUR */
	{FF_GUVENLIK_SOZCUGU, "ayse1234x", NULL},   /* AYSE is not AYŞE */
	{FF_GUVENLIK_SOZCUGU, "xxAliyy12", NULL},
	{FF_GUVENLIK_SOZCUGU, "AYŞE1234x", E_NAME},
	{FF_GUVENLIK_SOZCUGU, "xxnurxx12", E_NAME},
	{FF_GUVENLIK_SOZCUGU, "yılmaz2024", E_NAME},
	{FF_GUVENLIK_SOZCUGU, "YILMAZ2024", E_NAME},
	{FF_GUVENLIK_SOZCUGU, "a10000000146", E_NAME},
	{FF_GUVENLIK_SOZCUGU_TEKRAR, "kirmizi elma 43", E_SAME},
	{FF_GUVENLIK_SOZCUGU_TEKRAR, "", E_REQ},
	{FF_GUVENLIK_SOZCUGU_TEKRAR, "Kirmizi elma 42", E_SAME},
	{FF_BIRIM, NULL, E_REQ},
	{FF_BIRIM, " \t ", E_REQ},
	{FF_BIRIM, long100, NULL},
	{FF_BIRIM, long101, E_100},
	{FF_BIRIM, "Bilgi\x07İşlem", E_CHARS},
	{FF_BIRIM, "Bilgi\xc3İşlem", E_CHARS},
	{FF_BIRIM, "<script>alert(1)</script>", NULL},
	{FF_BIRIM, "'; DROP TABLE x; --", NULL},
	{FF_UNVAN, "", E_REQ},
	{FF_UNVAN, long101, E_100},
	{FF_UNVAN, "Müdür Yardımcısı", NULL},
	{FF_ADRES, "", E_REQ},
	{FF_ADRES, long300, NULL},
	{FF_ADRES, long301, E_300},
	{FF_ADRES, "Satır 1\r\nSatır 2", NULL},
	{FF_POSTA_KODU, "", E_REQ},
	{FF_POSTA_KODU, "6710", E_PK5},
	{FF_POSTA_KODU, "671000", E_PK5},
	{FF_POSTA_KODU, "67a00", E_PK5},
	{FF_POSTA_KODU, "34000", E_PKIL},
	{FF_POSTA_KODU, "00100", E_PKIL},
	{FF_POSTA_KODU, " 67100 ", NULL},
	{FF_POSTA_KODU, "67 100", E_PK5},
	{FF_IL, "", E_REQ},
	{FF_IL, "0", E_IL},
	{FF_IL, "82", E_IL},
	{FF_IL, "Zonguldak", E_IL},
	{FF_IL, "167", E_IL},
	{FF_ILCE, "", E_REQ},
	{FF_ILCE, "Kadıköy", E_ILCE},
	{FF_ILCE, "EREĞLİ", NULL},
	{FF_ILCE, " çaycuma ", NULL},
	{FF_ILCE, long51, E_50},
	{FF_EPOSTA, "", E_REQ},
	{FF_EPOSTA, "ayse", E_MAIL},
	{FF_EPOSTA, "ayse@meb", E_MAIL},
	{FF_EPOSTA, "ay se@meb.gov.tr", E_MAIL},
	{FF_EPOSTA, " ayse@meb.gov.tr ", NULL},
	{FF_IS_TEL, "", E_REQ},
	{FF_IS_TEL, "0532 123 45 67", NULL},
	{FF_IS_TEL, "+90 312 123 45 67", NULL},
	{FF_IS_TEL, "123 45 67", E_ISTEL},
	{FF_IS_TEL, "0850 123 45 67", E_ISTEL},
	{FF_DAHILI, NULL, NULL},
	{FF_DAHILI, "123456", NULL},
	{FF_DAHILI, "1234567", E_DAHILI},
	{FF_DAHILI, "12a", E_DAHILI},
	{FF_DAHILI, "-1", E_DAHILI},
	{FF_CEP_TEL, "", E_REQ},
	{FF_CEP_TEL, "+905321234567", NULL},
	{FF_CEP_TEL, "0372 123 45 67", E_CEP},
	{FF_CEP_TEL, "0532 123 45 6", E_CEP},
	{FF_CEP_TEL, "0532-ABC", E_CEP},
	{FF_EV_TEL, "", NULL},
	{FF_EV_TEL, "0372 765 43 21", NULL},
	{FF_EV_TEL, "0542 765 43 21", NULL},
	{FF_EV_TEL, "765 43 21", E_EVTEL},
	{FF_OPERATOR, "", E_REQ},
	{FF_OPERATOR, "VODAFONE", NULL},
	{FF_OPERATOR, "TURK_TELEKOM", NULL},
	{FF_OPERATOR, "Turkcell", E_OP},
	{FF_OPERATOR, "AVEA", E_OP},
	{FF_BILGI_KANALI, "", E_REQ},
	{FF_BILGI_KANALI, "EPOSTA", NULL},
	{FF_BILGI_KANALI, "SMS", NULL},
	{FF_BILGI_KANALI, "FAKS", E_CH},
};

static void fill_long(void)
{
	size_t i;

	/* 101 / 100 x "ş" (2 bytes each): limits count characters, not bytes */
	for (i = 0; i < 101; i++)
		memcpy(long101 + 2 * i, "\xc5\x9f", 2);
	for (i = 0; i < 100; i++)
		memcpy(long100 + 2 * i, "\xc5\x9f", 2);
	memset(long301, 'a', 301);
	memset(long300, 'a', 300);
	memset(long51, 'b', 51);
}

static void test_form_fields(void **state)
{
	struct form_errors err;
	struct app_form_clean c;
	struct app_form f;
	size_t i;
	int n, k;

	(void)state;
	fill_long();
	for (i = 0; i < N(field_cases); i++) {
		f = base_form();
		set_field(&f, field_cases[i].field, field_cases[i].value);
		if (field_cases[i].field == FF_GUVENLIK_SOZCUGU)
			f.raw[FF_GUVENLIK_SOZCUGU_TEKRAR] = field_cases[i].value == NULL
								    ? "x"
								    : field_cases[i].value;
		n = form_validate(&f, &err, &c);
		if (field_cases[i].field == FF_GUVENLIK_SOZCUGU && field_cases[i].value == NULL) {
			/* the confirmation then differs too */
			assert_string_equal(err.msg[FF_GUVENLIK_SOZCUGU_TEKRAR], E_SAME);
			n--;
			err.msg[FF_GUVENLIK_SOZCUGU_TEKRAR] = NULL;
		}
		for (k = 0; k < FF__MAX; k++) {
			const char *want = k == (int)field_cases[i].field ? field_cases[i].msg
									  : NULL;
			const char *got = err.msg[k];

			if ((want == NULL) != (got == NULL) ||
			    (want != NULL && strcmp(want, got) != 0))
				fail_msg("case %zu (%s=\"%s\"): field %s: got \"%s\", want \"%s\"",
					 i, form_field_name(field_cases[i].field),
					 field_cases[i].value ? field_cases[i].value : "(null)",
					 form_field_name((enum form_field)k), got ? got : "(ok)",
					 want ? want : "(ok)");
		}
		assert_int_equal(n, field_cases[i].msg != NULL);
	}
}

/* Interactions between fields. */
static void test_form_cross(void **state)
{
	struct form_errors err;
	struct app_form_clean c;
	struct app_form f;

	(void)state;
	/* renewal: no card reader asked, anything given is ignored */
	f = base_form();
	f.allowed_reasons = (1u << REASON_YENILEME) | (1u << REASON_KAYIP_CALINTI) |
			    (1u << REASON_DIGER);
	f.raw[FF_BASVURU_NEDENI] = "YENILEME";
	f.raw[FF_KART_OKUYUCU] = NULL;
	assert_int_equal(form_validate(&f, &err, &c), 0);
	assert_null(c.value[FF_KART_OKUYUCU]);
	assert_int_equal(c.reason, REASON_YENILEME);
	f.raw[FF_BASVURU_NEDENI] = "ILK";
	assert_int_equal(form_validate(&f, &err, &c), 1);
	assert_string_equal(err.msg[FF_BASVURU_NEDENI], E_REASON_NA);
	assert_null(err.msg[FF_KART_OKUYUCU]); /* reason invalid: not asked */

	/* il changed: posta kodu and ilce no longer fit */
	f = base_form();
	f.raw[FF_IL] = "34";
	assert_int_equal(form_validate(&f, &err, &c), 2);
	assert_string_equal(err.msg[FF_POSTA_KODU], E_PKIL);
	assert_string_equal(err.msg[FF_ILCE], E_ILCE);
	f.raw[FF_POSTA_KODU] = "34710";
	f.raw[FF_ILCE] = "Kadıköy";
	assert_int_equal(form_validate(&f, &err, &c), 0);
	assert_int_equal(c.il, 34);

	/* invalid il: posta kodu judged alone, ilce not checked */
	f = base_form();
	f.raw[FF_IL] = "99";
	assert_int_equal(form_validate(&f, &err, &c), 1);
	assert_string_equal(err.msg[FF_IL], E_IL);
	f.raw[FF_POSTA_KODU] = "99100";
	assert_int_equal(form_validate(&f, &err, &c), 2);
	assert_string_equal(err.msg[FF_POSTA_KODU], E_PK);

	/* no district callback: any non-empty ilce */
	f = base_form();
	f.district_ok = NULL;
	f.raw[FF_ILCE] = "Herhangi";
	assert_int_equal(form_validate(&f, &err, &c), 0);

	/* whitespace collapsed in text fields */
	f = base_form();
	f.raw[FF_ADRES] = "  Milli   Egemenlik\r\n Cad.  ";
	assert_int_equal(form_validate(&f, &err, &c), 0);
	assert_string_equal(c.value[FF_ADRES], "Milli Egemenlik Cad.");

	/* everything missing: every required field reports */
	memset(&f, 0, sizeof(f));
	f.allowed_reasons = 1u << REASON_ILK;
	assert_int_equal(form_validate(&f, &err, &c), 15);
	assert_string_equal(err.msg[FF_CEP_TEL], E_REQ);
	assert_null(err.msg[FF_DAHILI]);
	assert_null(err.msg[FF_EV_TEL]);
	assert_null(err.msg[FF_KART_OKUYUCU]);
}

static void test_form_options(void **state)
{
	const struct form_option *o;
	int n;

	(void)state;
	for (n = 0, o = form_card_reader_options(); o->value != NULL; o++)
		n++;
	assert_int_equal(n, 3);
	assert_string_equal(form_option_label(form_card_reader_options(), "MINI"),
			    "Mini Kart Okuyucu");
	assert_string_equal(form_option_label(form_operator_options(), "TURK_TELEKOM"),
			    "Türk Telekom");
	assert_string_equal(form_option_label(form_channel_options(), "IKISI"), "E-posta ve SMS");
	assert_null(form_option_label(form_operator_options(), "AVEA"));
	assert_null(form_option_label(form_operator_options(), NULL));
	assert_string_equal(form_field_name(FF_GUVENLIK_SOZCUGU_TEKRAR), "guvenlik_sozcugu_tekrar");
	assert_string_equal(form_field_name(FF__MAX), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_valid),
		cmocka_unit_test(test_form_fields),
		cmocka_unit_test(test_form_cross),
		cmocka_unit_test(test_form_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
