/* The canonical application document: deterministic, complete, and shares
 * its rows and undertaking with the PDF. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/appdoc.h"
#include "doc/formdata.h"
#include "sample.h"

static char *render(const struct pdf_application *a)
{
	buf b;
	buf_init(&b, 1 << 20);
	assert_int_equal(appdoc_render(a, &b), 0);
	return buf_detach(&b, NULL);
}

static void test_deterministic(void **state)
{
	(void)state;
	struct pdf_application a = sample_application();
	char *x = render(&a), *y = render(&a);
	assert_string_equal(x, y);
	/* Any change of a field changes the document. */
	a.field[FF_BIRIM] = "Müdür Yardımcılığı ";
	char *z = render(&a);
	assert_string_not_equal(x, z);
	/* The postal address is not part of what is signed. */
	a = sample_application();
	a.postal_address = "Başka bir adres";
	char *w = render(&a);
	assert_string_equal(x, w);
	free(x);
	free(y);
	free(z);
	free(w);
}

static const char *const expected_lines[] = {
	APPDOC_MAGIC "\ne-İmza Nitelikli Elektronik Sertifika Başvuru Formu\n",
	"\nElektronik Sertifika Hizmet Sağlayıcısı: e-İmza Nitelikli Elektronik Sertifika Hizmet "
	"Sağlayıcısı\n",
	"\nBaşvuru No: 2025-004217\n",
	"\nBaşvuru Tarihi: 14.03.2025\n",
	"\n== Başvuru Bilgileri ==\nBaşvuru Nedeni: İlk Başvuru\n",
	"\nKart Okuyucu Tipi: Mini Kart Okuyucu\n",
	"\nSertifika Süresi: 3 Yıl\n",
	"\n== Kimlik Bilgileri ==\nT.C. Kimlik No: 10000000146\n",
	"\nAd: Ayşe Gülçin\n",
	"\nSoyad: Yılmaz Öztürk\n",
	"\nDoğum Yeri: İstanbul\n",
	"\nDoğum Tarihi: 02.09.1984\n",
	"\n== Kurum Bilgileri ==\nKurum Sicil No: 5731942\n",
	"\nKurum Adı: Zonguldak Ereğli Şehit Öğretmen İlkokulu\n",
	"\nÇalıştığı Birim: Müdür Yardımcılığı\n",
	"\nUnvan: Şef\n",
	"\nKurum/Birim Adresi: Müftü Mah. Çağlayan Sok. No: 12, Kdz. Ereğli\n",
	"\nPosta Kodu: 67300\n",
	"\nİl: Zonguldak\n",
	"\nİlçe: Ereğli\n",
	"\n== İletişim Bilgileri ==\nE-posta: ayse.yilmaz@example.org\n",
	"\nİş Telefonu: 0372 316 11 22 (Dahili: 214)\n",
	"\nCep Telefonu: 0532 123 45 67\n",
	"\nEv Telefonu: -\n",
	"\nMobil Operatör: Turkcell\n",
	"\nBilgi Kanalı: E-posta + SMS\n",
	"\n== Sertifika Sahibi Taahhütnamesi ==\n",
	"\nSertifika Sahibi: Ayşe Gülçin Yılmaz Öztürk\n",
};

static void test_contents(void **state)
{
	(void)state;
	struct pdf_application a = sample_application();
	char *doc = render(&a);
	assert_memory_equal(doc, APPDOC_MAGIC "\n", strlen(APPDOC_MAGIC) + 1);
	for (size_t i = 0; i < sizeof expected_lines / sizeof expected_lines[0]; i++)
		if (strstr(i == 0 ? doc : doc, expected_lines[i]) == NULL)
			fail_msg("missing: %s", expected_lines[i]);
	assert_non_null(strstr(doc, formdata_undertaking_intro));
	assert_non_null(strstr(doc, formdata_undertaking_closing));
	int n = 0;
	for (; formdata_undertaking_items[n] != NULL; n++) {
		char line[2048];
		snprintf(line, sizeof line, "\n%d. %s\n", n + 1, formdata_undertaking_items[n]);
		assert_non_null(strstr(doc, line));
	}
	assert_true(n >= 8);
	assert_null(strstr(doc, "PK 74"));
	assert_int_equal(doc[strlen(doc) - 1], '\n');
	assert_null(strchr(doc, '\r'));
	free(doc);
}

/* A value cannot add a line of its own to what the holder signs. */
static void test_controls(void **state)
{
	(void)state;
	struct pdf_application a = sample_application();
	a.field[FF_ILCE] = "Ereğli\nBaşvuru Nedeni: Yenileme\r\x1b[2J\x7f\xc2\x85x";
	char *doc = render(&a);
	assert_non_null(strstr(doc, "\nİlçe: Ereğli Başvuru Nedeni: Yenileme  [2J  x\n"));
	assert_null(strstr(doc, "\nBaşvuru Nedeni: Yenileme"));
	free(doc);
}

static void test_bad_input(void **state)
{
	(void)state;
	buf b;
	buf_init(&b, 1 << 20);
	struct pdf_application a = sample_application();
	a.first_name = "Ay\xfe";
	assert_int_equal(appdoc_render(&a, &b), -1);
	a = sample_application();
	a.last_name = "\xc4";
	assert_int_equal(appdoc_render(&a, &b), -1);
	assert_int_equal(appdoc_render(NULL, &b), -1);
	buf_free(&b);
	a = sample_application();
	assert_int_equal(appdoc_render(&a, NULL), -1);
	buf_init(&b, 64); /* too small: an error, not a truncated document */
	assert_int_equal(appdoc_render(&a, &b), -1);
	buf_free(&b);
	/* All-empty input renders, with "-" for each value. */
	struct pdf_application empty = {0};
	buf_init(&b, 1 << 20);
	assert_int_equal(appdoc_render(&empty, &b), 0);
	assert_non_null(strstr(b.data, "\nAd: -\n"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_contents),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
