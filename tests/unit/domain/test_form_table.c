/* The table of the form's fields (domain/form.c): one row per field in page
 * order, unique names and columns, the edge limits the route had before the
 * table, and how the page draws each row (the rendered page itself is
 * checked by tests/unit/web/test_form_page.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/form.h"

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
		int kind = d->input == FORM_INPUT_CHOICE      ? 1
			   : d->input == FORM_INPUT_MULTILINE ? 2
							      : 0;

		assert_int_equal(want[i].f, i);
		assert_string_equal(d->name, want[i].name);
		assert_int_equal(d->edge_max, want[i].max);
		assert_int_equal(kind, want[i].token);
	}
}

/* form_raw(in, f) is in->raw[f]. */
static void raw_by_field(void **state)
{
	struct app_form in = {0};

	(void)state;
	for (int i = 0; i < FF__MAX; i++)
		in.raw[i] = form_field_name((enum form_field)i);
	for (int i = 0; i < FF__MAX; i++)
		assert_string_equal(form_raw(&in, (enum form_field)i), form_field_name(i));
	assert_null(form_raw(&in, FF__MAX));
}

/* Every row's print kind is known; an OPTION row names its options, and a
 * CHOICE row with a fixed list prints its labels. */
static void print_kinds(void **state)
{
	const struct form_field_def *t = form_field_table();

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		assert_true((unsigned)t[i].print < FORM_PRINT__MAX);
		assert_true((t[i].print == FORM_PRINT_OPTION) == (t[i].options != NULL));
		if (t[i].options != NULL)
			assert_int_equal(t[i].input, FORM_INPUT_CHOICE);
		/* İş Telefonu carries the next row (Dahili), which has no row. */
		if (t[i].print == FORM_PRINT_PHONE_EXT) {
			assert_true(i + 1 < FF__MAX);
			assert_null(t[i + 1].pdf_label);
		}
	}
}

/* form_display shows stored values as the printed form did before the
 * table (labels, "N Yıl", grouped phones with Dahili, province names). */
static void display_by_kind(void **state)
{
	const char *stored[FF__MAX] = {
		[FF_BASVURU_NEDENI] = "KAYIP_CALINTI",
		[FF_KART_OKUYUCU] = "USB_TOKEN",
		[FF_SERTIFIKA_SURESI] = "2",
		[FF_BIRIM] = "Birim",
		[FF_IL] = "67",
		[FF_IS_TEL] = "3723161122",
		[FF_DAHILI] = "214",
		[FF_CEP_TEL] = "5321234567",
		[FF_EV_TEL] = "12",
		[FF_OPERATOR] = "TURK_TELEKOM",
		[FF_BILGI_KANALI] = "IKISI",
	};
	char out[128];

	(void)state;
	assert_string_equal(form_display(FF_BASVURU_NEDENI, stored, NULL, out, sizeof(out)),
			    app_reason_label_tr(REASON_KAYIP_CALINTI));
	assert_string_equal(form_display(FF_KART_OKUYUCU, stored, NULL, out, sizeof(out)),
			    "USB Token");
	assert_string_equal(form_display(FF_SERTIFIKA_SURESI, stored, NULL, out, sizeof(out)),
			    "2 Yıl");
	assert_string_equal(form_display(FF_BIRIM, stored, NULL, out, sizeof(out)), "Birim");
	assert_string_equal(form_display(FF_IL, stored, "Zonguldak", out, sizeof(out)),
			    "Zonguldak");
	assert_string_equal(form_display(FF_IL, stored, NULL, out, sizeof(out)), "67");
	assert_string_equal(form_display(FF_IS_TEL, stored, NULL, out, sizeof(out)),
			    "0 (372) 316 11 22 (Dahili: 214)");
	stored[FF_DAHILI] = NULL;
	assert_string_equal(form_display(FF_IS_TEL, stored, NULL, out, sizeof(out)),
			    "0 (372) 316 11 22");
	assert_string_equal(form_display(FF_CEP_TEL, stored, NULL, out, sizeof(out)),
			    "0 (532) 123 45 67");
	assert_string_equal(form_display(FF_EV_TEL, stored, NULL, out, sizeof(out)), "12");
	assert_string_equal(form_display(FF_OPERATOR, stored, NULL, out, sizeof(out)),
			    "Türk Telekom");
	assert_string_equal(form_display(FF_BILGI_KANALI, stored, NULL, out, sizeof(out)),
			    "E-posta ve SMS");
	assert_null(form_display(FF_UNVAN, stored, NULL, out, sizeof(out)));
	assert_null(form_display(FF__MAX, stored, NULL, out, sizeof(out)));
}

/* The console's CSV export has one form column today: Başvuru Nedeni. */
static void csv_columns(void **state)
{
	const struct form_field_def *t = form_field_table();
	int n = 0;

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		if (t[i].csv_label == NULL)
			continue;
		assert_non_null(t[i].column);
		n++;
	}
	assert_int_equal(n, 1);
	assert_string_equal(t[FF_BASVURU_NEDENI].csv_label, "Başvuru Nedeni");
}

/* Every row says how the page draws it: a known element in a known
 * fieldset (fieldsets never go back), a choice is a select box, a secret a
 * password box, a grid shares its fieldset with the next row, and only
 * İl lists districts. */
static void page_markup(void **state)
{
	const struct form_field_def *t = form_field_table();
	int districts = 0;

	(void)state;
	for (int i = 0; i < FF__MAX; i++) {
		const struct form_html *h = &t[i].html;

		assert_true((unsigned)h->element < FORM_EL__MAX);
		assert_true((unsigned)h->fieldset < FORM_FIELDSET__MAX);
		if (i > 0)
			assert_true(h->fieldset >= t[i - 1].html.fieldset);
		if (t[i].input == FORM_INPUT_CHOICE)
			assert_int_equal(h->element, FORM_EL_SELECT);
		assert_true((t[i].input == FORM_INPUT_SECRET) == (h->element == FORM_EL_PASSWORD));
		assert_true((t[i].input == FORM_INPUT_MULTILINE) ==
			    (h->element == FORM_EL_TEXTAREA));
		if (h->element == FORM_EL_SELECT)
			assert_int_equal(h->maxlength, 0);
		if (h->flags & FORM_HTML_BLANK)
			assert_int_equal(h->element, FORM_EL_SELECT);
		if (h->flags & FORM_HTML_GRID) {
			assert_true(i + 1 < FF__MAX);
			assert_int_equal(t[i + 1].html.fieldset, h->fieldset);
			assert_false(t[i + 1].html.flags & FORM_HTML_GRID);
		}
		if (h->flags & FORM_HTML_DISTRICTS) {
			assert_int_equal(i, FF_IL);
			districts++;
		}
	}
	assert_int_equal(districts, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows_in_page_order),  cmocka_unit_test(names_and_columns_unique),
		cmocka_unit_test(secrets_stay_secret), cmocka_unit_test(edge_limits_unchanged),
		cmocka_unit_test(raw_by_field),	       cmocka_unit_test(print_kinds),
		cmocka_unit_test(display_by_kind),     cmocka_unit_test(csv_columns),
		cmocka_unit_test(page_markup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
