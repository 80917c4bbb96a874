/* The printed form's rows come from the form table (domain/form.c): every
 * field with a print label has exactly one row, in table order, under its
 * section, with the value of its own member of struct pdf_application. */
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
		.reason = "r", .reader_type = "k", .validity = "v", .tckn = "t", .first_name = "a",
		.last_name = "s", .birth_place = "y", .birth_date = "d", .staff_no = "n",
		.institution = "i", .unit = "b", .title = "u", .address = "adr",
		.postal_code = "p", .province = "il", .district = "ilce", .email = "e",
		.work_phone = "w", .work_ext = "x", .mobile = "m", .home_phone = "h",
		.operator_name = "o", .channel = "c",
	};
	/* The value each printed field must show, by field. */
	static const char *const want[FF__MAX] = {
		[FF_BASVURU_NEDENI] = "r", [FF_KART_OKUYUCU] = "k", [FF_SERTIFIKA_SURESI] = "v",
		[FF_BIRIM] = "b", [FF_UNVAN] = "u", [FF_ADRES] = "adr", [FF_POSTA_KODU] = "p",
		[FF_IL] = "il", [FF_ILCE] = "ilce", [FF_EPOSTA] = "e",
		[FF_IS_TEL] = "w (Dahili: x)", [FF_CEP_TEL] = "m", [FF_EV_TEL] = "h",
		[FF_OPERATOR] = "o", [FF_BILGI_KANALI] = "c",
	};
	struct formdata_row rows[FORMDATA_MAX_ROWS];
	char phone[64];
	size_t n = formdata_rows(&a, rows, phone, sizeof(phone)), next = 0, printed = 0;

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
