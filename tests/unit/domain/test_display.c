/* domain/display.h: phones, dates and actor names as the console shows
 * them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "domain/display.h"

static void test_phone(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"5321112233", "0532 111 22 33"},
		{"05321112233", "0532 111 22 33"},
		{"+905321112233", "0532 111 22 33"},
		{"+90 532 111 22 33", "0532 111 22 33"},
		{"0 (372) 251-10-20", "0372 251 10 20"},
		{"3722511020", "0372 251 10 20"},
		{"", ""},
		{"12345", "12345"},			    /* too short: as stored */
		{"0532 111 22 33 44", "0532 111 22 33 44"}, /* too long */
		{"0532abc", "0532abc"},
		{"0012345678", "0012345678"}, /* no area code starts with 0 */
	};
	char out[32];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		display_phone(rows[i].in, out, sizeof out);
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("row %zu '%s': '%s', want '%s'", i, rows[i].in, out, rows[i].want);
	}
	display_phone(NULL, out, sizeof out);
	assert_string_equal(out, "");
	display_phone("5321112233", out, 8); /* cut, terminated */
	assert_string_equal(out, "0532 11");
}

static void test_date(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"1985-04-12", "12.04.1985"}, {"2026-12-31", "31.12.2026"},
		{"12.04.1985", "12.04.1985"}, {"1985-4-12", "1985-4-12"},
		{"1985-04-1x", "1985-04-1x"}, {"", ""},
	};
	char out[16];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		display_date(rows[i].in, out, sizeof out);
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("row %zu '%s': '%s', want '%s'", i, rows[i].in, out, rows[i].want);
	}
}

static void test_actor(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"yetkili:ali.veli", "ali.veli (Kurum Yetkilisi)"},
		{"operator:op1", "op1 (SM Operatörü)"},
		{"admin:root", "root (Yönetici)"},
		{"basvuru:10000000146", "Başvuru sahibi (10000000146)"},
		{"bireysel:10000000146", "Sertifika sahibi (10000000146)"},
		{"cli:root", "Komut satırı (root)"},
		{"kurye:api", "Kurye servisi"},
		{"sistem:ca-cli", "Sistem"},
		{"basvuru:giris", "Başvuru girişi"},
		{"bireysel:giris", "NES Bireysel girişi"},
		{"konsol:giris", "Konsol girişi"},
		{"baska:x", "baska:x"},
		{"adsiz", "adsiz"},
		{"", ""},
	};
	char out[64];
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		display_actor(rows[i].in, out, sizeof out);
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("row %zu '%s': '%s', want '%s'", i, rows[i].in, out, rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_actor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
