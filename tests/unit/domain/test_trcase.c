/* Table-driven tests of domain/trcase.h: Turkish case, name keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/trcase.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* I + COMBINING DOT ABOVE (decomposed İ), c + COMBINING CEDILLA etc. */
#define DEC_I "I\xcc\x87"
#define DEC_i "i\xcc\x87"
#define DEC_c "c\xcc\xa7"
#define DEC_C "C\xcc\xa7"
#define DEC_s "s\xcc\xa7"
#define DEC_g "g\xcc\x86"
#define DEC_o "o\xcc\x88"
#define DEC_U "U\xcc\x88"
#define DEC_a_circ "a\xcc\x82"

static const struct {
	const char *in, *upper, *lower;
} case_cases[] = {
	{"ışık", "IŞIK", "ışık"},
	{"istanbul", "İSTANBUL", "istanbul"},
	{"IŞIK", "IŞIK", "ışık"},
	{"DİYARBAKIR", "DİYARBAKIR", "diyarbakır"},
	{"çğöşü", "ÇĞÖŞÜ", "çğöşü"},
	{"ÇĞÖŞÜ", "ÇĞÖŞÜ", "çğöşü"},
	{"âîû", "ÂÎÛ", "âîû"},
	{"Hakkâri", "HAKKÂRİ", "hakkâri"},
	{"Zoé", "ZOÉ", "zoé"},
	{"abc xyz 123", "ABC XYZ 123", "abc xyz 123"},
	{DEC_I "stanbul", "I\xcc\x87STANBUL", "istanbul"},
	{"日本", "日本", "日本"},
	{"", "", ""},
};

static void test_trcase_upper_lower(void **state)
{
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(case_cases); i++) {
		assert_int_equal(trcase_upper(case_cases[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, case_cases[i].upper);
		assert_int_equal(trcase_lower(case_cases[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, case_cases[i].lower);
	}
}

static const struct {
	const char *in;
	size_t outlen;
	int rc;
} bad_cases[] = {
	{"abc\xff", 64, -1},	      /* invalid byte */
	{"\xc3", 64, -1},	      /* truncated sequence */
	{"\xc0\xaf", 64, -1},	      /* overlong '/' */
	{"\xed\xa0\x80", 64, -1},     /* surrogate */
	{"\xf4\x90\x80\x80", 64, -1}, /* above U+10FFFF */
	{"iiii", 8, -1},	      /* İİİİ needs 9 bytes */
	{"iii", 8, 0},		      /* İİİ: 6 bytes + NUL */
	{"abc", 0, -1},
};

static void test_trcase_errors(void **state)
{
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(bad_cases); i++) {
		if (trcase_upper(bad_cases[i].in, out, bad_cases[i].outlen) != bad_cases[i].rc)
			fail_msg("upper case %zu", i);
		if (bad_cases[i].rc < 0 &&
		    trcase_name_key(bad_cases[i].in, out, bad_cases[i].outlen) != -1)
			fail_msg("name_key case %zu", i);
	}
	assert_int_equal(trcase_upper(NULL, out, sizeof(out)), -1);
}

static const struct {
	const char *in, *key;
} key_cases[] = {
	{"  ayşe   nur ", "AYŞE NUR"},
	{"\tAyşe\n\r Nur\xc2\xa0", "AYŞE NUR"},
	{DEC_I "SMA" DEC_I "L", "İSMAİL"},
	{DEC_i "smail", "İSMAİL"}, /* default lower-casing of İSMAİL */
	{DEC_c "a" DEC_g "r" DEC_i, "ÇAĞRİ"},
	{DEC_c "a" DEC_g "rı", "ÇAĞRI"},
	{DEC_C "A" DEC_g "LAR", "ÇAĞLAR"},
	{"Barı" DEC_s, "BARIŞ"},
	{"Bari" DEC_s, "BARİŞ"},
	{"G" DEC_o "k" DEC_U "l", "GÖKÜL"},
	{"K" DEC_a_circ "mil", "KÂMİL"},
	/* ı + dot above (found by fuzz_domain): the key of a key is the key. */
	{"\xc4\xb1\xcc\x87smail", "İSMAİL"},
	{"\xc4\xb1\xcc\x82", "Î"},
	{"İSMAİL", "İSMAİL"},
	{"   ", ""},
	{"", ""},
};

static void test_trcase_name_key(void **state)
{
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < N(key_cases); i++) {
		assert_int_equal(trcase_name_key(key_cases[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, key_cases[i].key);
		char again[64];
		assert_int_equal(trcase_name_key(out, again, sizeof(again)), 0);
		assert_string_equal(again, out);
	}
	assert_int_equal(trcase_name_key("Ali\x01Veli", out, sizeof(out)), -1);
	assert_int_equal(trcase_name_key("Ali\x7fVeli", out, sizeof(out)), -1);
}

static const struct {
	const char *a, *b;
	int equal, loose;
} eq_cases[] = {
	{"ismail", "İSMAİL", 1, 1},
	{"ışık", "IŞIK", 1, 1},
	{"Işık", "İşik", 0, 0},
	{"  ayşe   nur ", "AYŞE NUR", 1, 1},
	{"ISMAIL", "İSMAİL", 0, 0},
	{"isik", "IŞIK", 0, 0},
	{DEC_I "SMA" DEC_I "L", "ismail", 1, 1},
	{"Hakkâri", "HAKKARİ", 0, 1},
	{"Hakkâri", "HAKKÂRİ", 1, 1},
	{"Kâmil", "kamil", 0, 1},
	{"Mîr", "MİR", 0, 1},
	{"Ûmit", "UMİT", 0, 1},
	{"Ayşe", "Ayşen", 0, 0},
	{"Ayşe Nur", "AyşeNur", 0, 0},
	{"abc\xff", "ABC\xff", 0, 0},
	{"", "", 1, 1},
};

static void test_trcase_name_equal(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(eq_cases); i++) {
		if (trcase_name_equal(eq_cases[i].a, eq_cases[i].b) != eq_cases[i].equal)
			fail_msg("equal(\"%s\", \"%s\")", eq_cases[i].a, eq_cases[i].b);
		if (trcase_name_equal(eq_cases[i].b, eq_cases[i].a) != eq_cases[i].equal)
			fail_msg("equal symmetric (\"%s\", \"%s\")", eq_cases[i].a, eq_cases[i].b);
		if (trcase_name_equal_loose(eq_cases[i].a, eq_cases[i].b) != eq_cases[i].loose)
			fail_msg("loose(\"%s\", \"%s\")", eq_cases[i].a, eq_cases[i].b);
	}
	assert_int_equal(trcase_name_equal(NULL, "A"), 0);
	assert_int_equal(trcase_name_equal_loose("A", NULL), 0);
}

static void test_trcase_long_name(void **state)
{
	char a[700], b[1400];
	size_t i;

	(void)state;
	/* 600 'i' -> 1200 bytes of İ: over the 1023-byte key limit */
	for (i = 0; i < 600; i++)
		a[i] = 'i';
	a[600] = '\0';
	for (i = 0; i < 600; i++)
		memcpy(b + 2 * i, "\xc4\xb0", 2);
	b[1200] = '\0';
	assert_int_equal(trcase_name_equal(a, b), 0);
	a[400] = '\0';
	b[800] = '\0';
	assert_int_equal(trcase_name_equal(a, b), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trcase_upper_lower), cmocka_unit_test(test_trcase_errors),
		cmocka_unit_test(test_trcase_name_key),	   cmocka_unit_test(test_trcase_name_equal),
		cmocka_unit_test(test_trcase_long_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
