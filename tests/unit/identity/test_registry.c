/* Local registry backend, personnel lookup and backend selection, against a
 * migrated SQLite database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "identity/personnel.h"
#include "identity/registry.h"
#include "kps_stub_proc.h"
#include "tmpdb.h"

static const char *const seed[] = {
	"INSERT INTO registry (tckn, ad, soyad, dogum_yeri, dogum_tarihi, updated_at) VALUES "
	"('10000000146', 'İSMAİL', 'IŞIK', 'ZONGULDAK', '1980-05-17', 0)",
	"INSERT INTO registry (tckn, ad, soyad, dogum_yeri, dogum_tarihi, updated_at) VALUES "
	"('12345678950', 'AHMET ALİ', 'ÇELİK', 'KÂHTA', '1975-03-04', 0)",
	"INSERT INTO registry (tckn, ad, soyad, dogum_yeri, dogum_tarihi, updated_at) VALUES "
	"('23456789138', 'Şükrü', 'Öğüt', 'Iğdır', '1990-07-08', 0)",
	"INSERT INTO institutions (kurum_kodu, kurum_adi, il_kodu, ilce, adres, posta_kodu, "
	"resmi_eposta, yetki_birimi, updated_at) VALUES ('758472', 'Ereğli Anadolu Lisesi', 67, "
	"'Ereğli', 'Müftü Mah. Okul Sok. No:1', '67300', 'eregli@meb.gov.tr', "
	"'ZONGULDAK-MEM', 0)",
	"INSERT INTO institutions (kurum_kodu, kurum_adi, il_kodu, ilce, adres, posta_kodu, "
	"resmi_eposta, yetki_birimi, updated_at) VALUES ('100200', 'Çankaya İlkokulu', 6, "
	"'Çankaya', 'Atatürk Bulvarı 1', '06690', 'cankaya@meb.gov.tr', 'ANKARA-MEM', 0)",
	"INSERT INTO authority_units (code, name, eposta) VALUES ('ZONGULDAK-MEM', "
	"'Zonguldak İl Milli Eğitim Müdürlüğü', 'zonguldak@meb.gov.tr')",
	"INSERT INTO personnel (tckn, sicil_no, kurum_kodu, unvan, birim, updated_at) VALUES "
	"('10000000146', '123456', '758472', 'Öğretmen', 'Müdürlük', 0)",
	"INSERT INTO personnel (tckn, sicil_no, kurum_kodu, unvan, updated_at) VALUES "
	"('23456789138', 'A-77', '100200', 'Müdür Yardımcısı', 0)",
};

static int setup(void **state)
{
	static struct tmpdb t;
	if (tmpdb_create(&t) != 0)
		return -1;
	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++) {
		if (db_exec(t.d, seed[i]) != DB_OK) {
			fprintf(stderr, "seed %zu: %s\n", i, db_errmsg(t.d));
			tmpdb_destroy(&t);
			return -1;
		}
	}
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	stub_stop(); /* in case a failed assertion left it running */
	tmpdb_destroy(*state);
	return 0;
}

struct verify_row {
	const char *tckn, *ad, *soyad, *yeri, *tarih;
	enum registry_result want;
};

static const char *const names[] = {"match", "no_match", "unavailable"};

static void run_rows(db *d, const struct verify_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct registry_query q = {rows[i].tckn, rows[i].ad, rows[i].soyad, rows[i].yeri,
					   rows[i].tarih};
		enum registry_result got = registry_verify(d, &q);
		if (got != rows[i].want)
			fail_msg("row %zu (%s %s): got %s want %s", i, rows[i].ad, rows[i].soyad,
				 names[got], names[rows[i].want]);
	}
}

/* Every kind of mismatch gives the same REG_NO_MATCH. */
static void test_local_table(void **state)
{
	static const struct verify_row rows[] = {
		{"10000000146", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-17", REG_MATCH},
		{"10000000146", "ismail", "ışık", "zonguldak", "1980-05-17", REG_MATCH},
		{"10000000146", "İsmail", "Işık", "Zonguldak", "1980-05-17", REG_MATCH},
		{"10000000146", "  ismail ", " ışık", "zonguldak ", "1980-05-17", REG_MATCH},
		{"12345678950", "ahmet   ali", "çelik", "kâhta", "1975-03-04", REG_MATCH},
		{"12345678950", "Ahmet Ali", "Çelik", "Kahta", "1975-03-04", REG_MATCH},
		{"23456789138", "ŞÜKRÜ", "ÖĞÜT", "IĞDIR", "1990-07-08", REG_MATCH},
		{"23456789138", "şükrü", "öğüt", "ığdır", "1990-07-08", REG_MATCH},
		/* i and ı are different letters */
		{"10000000146", "ISMAIL", "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"10000000146", "ismail", "işik", "zonguldak", "1980-05-17", REG_NO_MATCH},
		{"10000000146", "ismail", "isik", "zonguldak", "1980-05-17", REG_NO_MATCH},
		{"23456789138", "sukru", "ogut", "igdir", "1990-07-08", REG_NO_MATCH},
		{"12345678950", "ahmet", "çelik", "kâhta", "1975-03-04", REG_NO_MATCH},
		/* wrong birth place, wrong date, unknown or malformed number */
		{"10000000146", "İSMAİL", "IŞIK", "EREĞLİ", "1980-05-17", REG_NO_MATCH},
		{"10000000146", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-18", REG_NO_MATCH},
		{"10000000146", "İSMAİL", "IŞIK", "ZONGULDAK", "17.05.1980", REG_NO_MATCH},
		{"10000000146", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-5-17", REG_NO_MATCH},
		{"34567891238", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"10000000147", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"1000000014", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		/* hostile input */
		{"10000000146", "' OR 1=1 --", "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"10000000146' OR '1'='1", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-17",
		 REG_NO_MATCH},
		{"10000000146", "İSMAİL\n", "IŞIK\x01", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"10000000146", "İSMAİL\xff", "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"10000000146", NULL, "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"10000000146", "İSMAİL", "IŞIK", NULL, "1980-05-17", REG_NO_MATCH},
		{"10000000146", "İSMAİL", "IŞIK", "ZONGULDAK", NULL, REG_NO_MATCH},
		{NULL, "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
	};
	assert_int_equal(config_set("registry.backend", "local"), 0);
	run_rows(((struct tmpdb *)*state)->d, rows, sizeof rows / sizeof rows[0]);
	assert_int_equal(registry_verify(((struct tmpdb *)*state)->d, NULL), REG_NO_MATCH);
}

/* kps: no personnel record -> no match without asking KPS; with one, KPS is
 * asked (here a closed port, so the answer is "unavailable"). */
static void test_kps_needs_personnel(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	struct registry_query known = {"10000000146", "İSMAİL", "IŞIK", "ZONGULDAK", "1980-05-17"};
	struct registry_query stranger = {"12345678950", "AHMET ALİ", "ÇELİK", "KÂHTA",
					  "1975-03-04"};
	assert_int_equal(config_set("registry.backend", "kps"), 0);
	assert_int_equal(config_set("registry.kps_url", "http://127.0.0.1:1/x"), 0);
	assert_int_equal(config_set("registry.kps_timeout", "2"), 0);
	assert_int_equal(registry_verify(d, &stranger), REG_NO_MATCH);
	assert_int_equal(registry_verify(d, &known), REG_UNAVAILABLE);
	assert_int_equal(config_set("registry.backend", "mernis"), 0);
	assert_int_equal(registry_verify(d, &known), REG_UNAVAILABLE);
	assert_int_equal(config_set("registry.backend", "local"), 0);
	assert_int_equal(registry_verify(d, &known), REG_MATCH);
}

/* kps end to end, against the stub: KPS says true for both people, but
 * only the one with a personnel record gets in; Doğum Yeri is not checked. */
static void test_kps_with_stub(void **state)
{
	static const struct verify_row rows[] = {
		{"10000000146", "ismail", "ışık", "herhangi", "1980-01-31", REG_MATCH},
		{"10000000146", "İSMAİL", "IŞIK", "ZONGULDAK", "1981-05-17", REG_NO_MATCH},
		{"10000000146", "ISMAIL", "ISIK", "ZONGULDAK", "1980-05-17", REG_NO_MATCH},
		{"12345678950", "AHMET ALİ", "ÇELİK", "KÂHTA", "1975-03-04", REG_NO_MATCH},
	};
	assert_int_equal(stub_start(NULL), 0);
	assert_int_equal(config_set("registry.backend", "kps"), 0);
	run_rows(((struct tmpdb *)*state)->d, rows, sizeof rows / sizeof rows[0]);
	stub_stop();
	assert_int_equal(config_set("registry.backend", "local"), 0);
}

static void test_personnel(void **state)
{
	db *d = ((struct tmpdb *)*state)->d;
	struct personnel_record p;

	assert_int_equal(personnel_lookup(d, "10000000146", "123456", &p), 0);
	assert_string_equal(p.kurum_kodu, "758472");
	assert_string_equal(p.kurum_adi, "Ereğli Anadolu Lisesi");
	assert_string_equal(p.il_kodu, "67");
	assert_string_equal(p.ilce, "Ereğli");
	assert_string_equal(p.adres, "Müftü Mah. Okul Sok. No:1");
	assert_string_equal(p.posta_kodu, "67300");
	assert_string_equal(p.resmi_eposta, "eregli@meb.gov.tr");
	assert_string_equal(p.yetki_birimi, "ZONGULDAK-MEM");
	assert_string_equal(p.unvan, "Öğretmen");
	assert_string_equal(p.birim, "Müdürlük");
	assert_string_equal(p.yetki_birimi_adi, "Zonguldak İl Milli Eğitim Müdürlüğü");
	assert_string_equal(p.yetki_eposta, "zonguldak@meb.gov.tr");
	/* a plate code below 10 keeps its leading zero; no authority unit row */
	assert_int_equal(personnel_lookup(d, "23456789138", "A-77", &p), 0);
	assert_string_equal(p.il_kodu, "06");
	assert_string_equal(p.kurum_adi, "Çankaya İlkokulu");
	assert_string_equal(p.birim, "");
	assert_string_equal(p.yetki_birimi, "ANKARA-MEM");
	assert_string_equal(p.yetki_birimi_adi, "");
	assert_int_equal(personnel_lookup(d, "10000000146", " 123456 ", &p), 0);

	static const char *const bad[][2] = {
		{"10000000146", "123457"},
		{"10000000146", ""},
		{"10000000146", "   "},
		{"12345678950", "123456"},
		{"10000000146", "123456' OR '1'='1"},
		{NULL, "123456"},
		{"10000000146", NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&p, 'x', sizeof p);
		if (personnel_lookup(d, bad[i][0], bad[i][1], &p) != -1)
			fail_msg("row %zu found", i);
		assert_string_equal(p.kurum_adi, "");
	}
	assert_int_equal(personnel_exists(d, "10000000146"), 1);
	assert_int_equal(personnel_exists(d, "12345678950"), 0);
	assert_int_equal(personnel_exists(d, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_table),
		cmocka_unit_test(test_kps_needs_personnel),
		cmocka_unit_test(test_kps_with_stub),
		cmocka_unit_test(test_personnel),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
