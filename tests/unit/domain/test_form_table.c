/* The table of the form's fields (domain/form.c): one row per field in page
 * order, unique names and columns, the edge limits the route had before the
 * table, and the labels of templates/basvuru_form.html. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/form.h"

#ifndef FORM_TEMPLATE
#error "FORM_TEMPLATE (path of templates/basvuru_form.html) must be defined"
#endif

static void rows_in_page_order(void **state)
{
	const struct form_field_def *t = form_field_table();

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		assert_int_equal(t[i].id, i);
		assert_ptr_equal(form_field_def((enum form_field)i), &t[i]);
		assert_non_null(t[i].name);
		assert_non_null(t[i].label);
		assert_non_null(t[i].check);
		assert_true(t[i].edge_max > 0);
		assert_true((unsigned)t[i].input < FORM_INPUT__MAX);
		assert_true((unsigned)t[i].section < FORM_SECTION__MAX);
		assert_string_equal(form_field_name((enum form_field)i), t[i].name);
		/* Print sections never go back: the printed order is page order. */
		if (i > 0)
			assert_true(t[i].section >= t[i - 1].section);
	}
	assert_null(form_field_def(FF__MAX));
	assert_string_equal(form_field_name(FF__MAX), "?");
}

static void names_and_columns_unique(void **state)
{
	const struct form_field_def *t = form_field_table();

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		for (int j = i + 1; j < FF__MAX; j++) {
			assert_string_not_equal(t[i].name, t[j].name);
			if (t[i].column != NULL && t[j].column != NULL)
				assert_string_not_equal(t[i].column, t[j].column);
		}
	}
}

/* A secret is neither stored as typed nor printed nor exported. */
static void secrets_stay_secret(void **state)
{
	const struct form_field_def *t = form_field_table();
	int secrets = 0;

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		if (t[i].input != FORM_INPUT_SECRET)
			continue;
		secrets++;
		assert_null(t[i].column);
		assert_null(t[i].pdf_label);
		assert_null(t[i].csv_label);
	}
	assert_int_equal(secrets, 2);
}

/* The POST /basvuru/form field list as it was written by hand before the
 * table: same names, same limits, same edge character classes. */
static void edge_limits_unchanged(void **state)
{
	static const struct {
		enum form_field f;
		const char *name;
		size_t max;
		int token; /* 1: FIELD_TOKEN, 2: FIELD_MULTILINE, 0: FIELD_TEXT */
	} want[] = {
		{FF_BASVURU_NEDENI, "basvuru_nedeni", 32, 1},
		{FF_KART_OKUYUCU, "kart_okuyucu", 32, 1},
		{FF_SERTIFIKA_SURESI, "sertifika_suresi", 8, 0},
		{FF_GUVENLIK_SOZCUGU, "guvenlik_sozcugu", 256, 0},
		{FF_GUVENLIK_SOZCUGU_TEKRAR, "guvenlik_sozcugu_tekrar", 256, 0},
		{FF_BIRIM, "birim", 500, 0},
		{FF_UNVAN, "unvan", 500, 0},
		{FF_ADRES, "adres", 1500, 2},
		{FF_POSTA_KODU, "posta_kodu", 16, 0},
		{FF_IL, "il", 8, 0},
		{FF_ILCE, "ilce", 200, 0},
		{FF_EPOSTA, "eposta", 300, 0},
		{FF_IS_TEL, "is_tel", 32, 0},
		{FF_DAHILI, "dahili", 16, 0},
		{FF_CEP_TEL, "cep_tel", 32, 0},
		{FF_EV_TEL, "ev_tel", 32, 0},
		{FF_OPERATOR, "operator", 32, 1},
		{FF_BILGI_KANALI, "bilgi_kanali", 16, 1},
	};
	const struct form_field_def *t = form_field_table();

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), FF__MAX);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct form_field_def *d = &t[want[i].f];
		int kind = d->input == FORM_INPUT_CHOICE ? 1 : d->input == FORM_INPUT_MULTILINE ? 2 : 0;

		assert_int_equal(want[i].f, i);
		assert_string_equal(d->name, want[i].name);
		assert_int_equal(d->edge_max, want[i].max);
		assert_int_equal(kind, want[i].token);
	}
}

/* form_raw(in, f) is the member of struct app_form named like the field. */
static void raw_offsets(void **state)
{
	struct app_form in = {
		.basvuru_nedeni = "basvuru_nedeni", .kart_okuyucu = "kart_okuyucu",
		.sertifika_suresi = "sertifika_suresi", .guvenlik_sozcugu = "guvenlik_sozcugu",
		.guvenlik_sozcugu_tekrar = "guvenlik_sozcugu_tekrar", .birim = "birim",
		.unvan = "unvan", .adres = "adres", .posta_kodu = "posta_kodu", .il = "il",
		.ilce = "ilce", .eposta = "eposta", .is_tel = "is_tel", .dahili = "dahili",
		.cep_tel = "cep_tel", .ev_tel = "ev_tel", .operator = "operator",
		.bilgi_kanali = "bilgi_kanali",
	};

	(void)state;
	for (int i = 0; i < FF__MAX; i++)
		assert_string_equal(form_raw(&in, (enum form_field)i), form_field_name(i));
	assert_null(form_raw(&in, FF__MAX));
}

static char *read_template(void)
{
	FILE *fp = fopen(FORM_TEMPLATE, "rb");
	char *s = calloc(1, 64 * 1024);
	size_t n;

	assert_non_null(fp);
	assert_non_null(s);
	n = fread(s, 1, 64 * 1024 - 1, fp);
	fclose(fp);
	assert_true(n > 0 && n < 64 * 1024 - 1);
	return s;
}

/* Every row's label is the page's <label for=name>, with an input of the
 * same id and name; and every editable field of the page is a row (the
 * read-only ones have ids starting with "f_"). */
static void labels_match_template(void **state)
{
	const struct form_field_def *t = form_field_table();
	char *page = read_template(), want[256];
	const char *p;
	int labels = 0;

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		snprintf(want, sizeof(want), "<label for=\"%s\">%s</label>", t[i].name, t[i].label);
		assert_non_null(strstr(page, want));
		snprintf(want, sizeof(want), "id=\"%s\" name=\"%s\"", t[i].name, t[i].name);
		assert_non_null(strstr(page, want));
	}
	for (p = page; (p = strstr(p, "<label for=\"")) != NULL; p++) {
		const char *id = p + strlen("<label for=\"");
		size_t n = strcspn(id, "\"");
		int found = 0;

		if (strncmp(id, "f_", 2) == 0)
			continue;
		for (int i = 0; i < FF__MAX; i++)
			found |= strlen(t[i].name) == n && strncmp(t[i].name, id, n) == 0;
		assert_true(found);
		labels++;
	}
	assert_int_equal(labels, FF__MAX);
	free(page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_in_page_order),
		cmocka_unit_test(names_and_columns_unique),
		cmocka_unit_test(secrets_stay_secret),
		cmocka_unit_test(edge_limits_unchanged),
		cmocka_unit_test(raw_offsets),
		cmocka_unit_test(labels_match_template),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
