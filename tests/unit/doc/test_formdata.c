/* The printed form's rows come from the form table (domain/form.c): every
 * field with a print label has exactly one row, in table order, under its
 * section, with the value of its own entry of pdf_application.field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "doc/formdata.h"
#include "domain/form.h"

static void every_printed_field_has_its_row(void **state)
{
	const struct form_field_def *t = form_field_table();
	struct pdf_application a = {
		.tckn = "t",
		.first_name = "a",
		.last_name = "s",
		.birth_place = "y",
		.birth_date = "d",
		.staff_no = "n",
		.institution = "i",
	};
	/* The value each printed field must show, by field: its own entry of
	 * a.field (the fields without a print row are not shown). */
	static const char *const want[FF__MAX] = {
		[FF_BASVURU_NEDENI] = "r",
		[FF_KART_OKUYUCU] = "k",
		[FF_SERTIFIKA_SURESI] = "v",
		[FF_BIRIM] = "b",
		[FF_UNVAN] = "u",
		[FF_ADRES] = "adr",
		[FF_POSTA_KODU] = "p",
		[FF_IL] = "il",
		[FF_ILCE] = "ilce",
		[FF_EPOSTA] = "e",
		[FF_IS_TEL] = "w (Dahili: x)",
		[FF_CEP_TEL] = "m",
		[FF_EV_TEL] = "h",
		[FF_OPERATOR] = "o",
		[FF_BILGI_KANALI] = "c",
	};
	for (int f = 0; f < FF__MAX; f++)
		a.field[f] = want[f];
	a.field[FF_DAHILI] = "x"; /* not printed on its own */
	struct formdata_row rows[FORMDATA_MAX_ROWS];
	size_t n = formdata_rows(&a, rows), next = 0, printed = 0;

	(void)state;
	assert_int_equal(n, 22);
	for (int f = 0; f < FF__MAX; f++) {
		size_t k;

		if (t[f].pdf_label == NULL) {
			assert_null(want[f]);
			continue;
		}
		for (k = next; k < n && strcmp(rows[k].label, t[f].pdf_label) != 0; k++)
			;
		if (k == n)
			fail_msg("field %s: no row '%s' after row %zu", t[f].name, t[f].pdf_label,
				 next);
		assert_string_equal(rows[k].value, want[f]);
		next = k + 1;
		printed++;
	}
	assert_int_equal(printed, 15);
	assert_string_equal(rows[0].section, "Başvuru Bilgileri");
	assert_string_equal(rows[3].section, "Kimlik Bilgileri");
	assert_string_equal(rows[8].section, "Kurum Bilgileri");
	assert_string_equal(rows[16].section, "İletişim Bilgileri");
	for (size_t k = 0; k < n; k++)
		if (k != 0 && k != 3 && k != 8 && k != 16)
			assert_null(rows[k].section);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_printed_field_has_its_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
