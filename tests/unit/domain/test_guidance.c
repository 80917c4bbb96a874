/* Table-driven tests of domain/guidance.h: the shared texts say what the
 * guide says, and the payment text refuses missing values and small
 * buffers instead of writing half an instruction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/guidance.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_texts(void **state)
{
	(void)state;
	const char *pin = guidance_edevlet_pin();
	assert_non_null(strstr(pin, "e-Devlet şifresine"));
	assert_non_null(strstr(pin, "6 haneli"));
	assert_non_null(strstr(pin, "mevcut e-imzaları ile"));
	const char *law = guidance_law_5070();
	assert_non_null(strstr(law, "5070 sayılı"));
	assert_non_null(strstr(law, "e-imza işlemleri kişiyi bağlar"));
}

static const struct {
	const char *amount, *payee, *iban, *ref;
	size_t n;
	int rc;
} pay_cases[] = {
	{"170,00 TL", "Örnek SM", "TR00 0000", "2026-000001", 512, 0},
	{"", "Örnek SM", "TR00 0000", "2026-000001", 512, -1},
	{"170,00 TL", NULL, "TR00 0000", "2026-000001", 512, -1},
	{"170,00 TL", "Örnek SM", "", "2026-000001", 512, -1},
	{"170,00 TL", "Örnek SM", "TR00 0000", "", 512, -1},
	{"170,00 TL", "Örnek SM", "TR00 0000", "2026-000001", 40, -1},
};

static void test_payment(void **state)
{
	(void)state;
	for (size_t i = 0; i < N(pay_cases); i++) {
		char out[512] = "x";
		int rc = guidance_payment(pay_cases[i].amount, pay_cases[i].payee,
					  pay_cases[i].iban, pay_cases[i].ref, out, pay_cases[i].n);
		assert_int_equal(rc, pay_cases[i].rc);
		if (rc != 0) {
			assert_string_equal(out, "");
			continue;
		}
		assert_non_null(strstr(out, pay_cases[i].amount));
		assert_non_null(strstr(out, pay_cases[i].payee));
		assert_non_null(strstr(out, pay_cases[i].iban));
		assert_non_null(strstr(out, pay_cases[i].ref));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_payment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
