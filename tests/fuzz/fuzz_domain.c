/* libFuzzer target: the pure domain rules (src/domain) on the same input:
 * Turkish case and name keys, dates, phone numbers, e-mail, postal codes,
 * T.C. Kimlik No, and form_validate with the fields split from the input
 * on '\n'. Each call is checked against the promise in its header: a
 * name key is its own key, a parsed date exists and round-trips, a
 * normalised mobile number is 10 digits starting with 5, and so on. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/email.h"
#include "domain/form.h"
#include "domain/phone.h"
#include "domain/postal.h"
#include "domain/tckn.h"
#include "domain/trcase.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEY_MAX 1024

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void check_names(const char *s)
{
	static char key[KEY_MAX], key2[KEY_MAX], up[KEY_MAX], low[KEY_MAX];
	size_t n = strlen(s);

	if (trcase_upper(s, up, sizeof up) == 0 && !utf8_valid(up, strlen(up)))
		abort();
	if (trcase_lower(s, low, sizeof low) == 0 && !utf8_valid(low, strlen(low)))
		abort();
	if (trcase_name_key(s, key, sizeof key) == 0) {
		size_t k = strlen(key);
		if (!utf8_valid(key, k) || utf8_has_controls(key, k, 0))
			abort();
		if (k > 0 && (key[0] == ' ' || key[k - 1] == ' ' || strstr(key, "  ") != NULL))
			abort(); /* trimmed, runs collapsed */
		if (trcase_name_key(key, key2, sizeof key2) != 0 || strcmp(key, key2) != 0)
			abort(); /* a key is its own key */
		if (k < KEY_MAX - 1 && !trcase_name_equal(s, key))
			abort();
		if (k < KEY_MAX - 1 && !trcase_name_equal_loose(s, key))
			abort();
	}
	/* symmetry over the two halves of the input */
	char *a = strndup(s, n / 2);
	if (a == NULL)
		return;
	const char *b = s + n / 2;
	if (trcase_name_equal(a, b) != trcase_name_equal(b, a) ||
	    trcase_name_equal_loose(a, b) != trcase_name_equal_loose(b, a))
		abort();
	if (trcase_name_equal(a, b) && !trcase_name_equal_loose(a, b))
		abort(); /* loose never rejects what strict accepts */
	free(a);
}

static void check_date(const char *s)
{
	int y = -1, m = -1, d = -1, y2, m2, d2;
	if (date_parse(s, &y, &m, &d) != 0) {
		if (y != -1 || m != -1 || d != -1)
			abort(); /* outputs untouched on failure */
		return;
	}
	if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > date_days_in_month(y, m))
		abort();
	date_from_days(date_to_days(y, m, d), &y2, &m2, &d2);
	if (y2 != y || m2 != m || d2 != d)
		abort();
}

static void check_numbers(const char *s)
{
	char out[11], mask[32], full[12];
	size_t n = strlen(s);

	if (phone_normalize_mobile(s, out) == 0) {
		if (strlen(out) != 10 || out[0] != '5' || !all_digits(out, 10))
			abort();
		phone_mask(out, mask);
		if (strlen(mask) == 0)
			abort();
		(void)phone_operator_hint(out);
	} else if (out[0] != '\0') {
		abort();
	}
	if (phone_normalize_landline(s, out) == 0) {
		if (strlen(out) != 10 || out[0] < '2' || out[0] > '4' || !all_digits(out, 10))
			abort();
	} else if (out[0] != '\0') {
		abort();
	}
	if (email_valid(s)) {
		const char *at = strchr(s, '@');
		if (n > 254 || at == NULL || strchr(at + 1, '@') != NULL)
			abort();
	}
	if (postal_code_valid(s)) {
		int p = postal_code_province(s);
		if (n != 5 || !all_digits(s, 5) || p < 1 || p > 81 || !postal_code_matches(s, p))
			abort();
	}
	if (tckn_valid(s)) {
		if (n != 11 || !all_digits(s, 11) || s[0] == '0')
			abort();
		tckn_complete(s, full);
		if (strcmp(full, s) != 0)
			abort();
	}
}

static int district_ok(void *ctx, int plate, const char *ilce)
{
	(void)ctx;
	if (plate < 1 || plate > 81 || ilce == NULL || !utf8_valid(ilce, strlen(ilce)))
		abort(); /* form_validate passes only a checked province and text */
	return ilce[0] != 'x';
}

/* Splits a copy of s on '\n' into the form's fields (then ad, soyad, tckn). */
static void check_form(const char *s, unsigned reasons)
{
	const char *v[FF__MAX + 3] = {0};
	struct form_errors err;
	struct app_form_clean out;
	char *copy = strdup(s), *p = copy;
	int nv = 0;

	if (copy == NULL)
		return;
	while (p != NULL && nv < FF__MAX + 3) {
		char *nl = strchr(p, '\n');
		if (nl != NULL)
			*nl = '\0';
		v[nv++] = p;
		p = nl != NULL ? nl + 1 : NULL;
	}
	/* The first FF__MAX lines are the fields in page order, then ad,
	 * soyad and tckn. */
	struct app_form in = {
		.allowed_reasons = reasons,
		.district_ok = district_ok,
		.ad = v[FF__MAX],
		.soyad = v[FF__MAX + 1],
		.tckn = v[FF__MAX + 2],
	};
	for (int i = 0; i < FF__MAX; i++)
		in.raw[i] = v[i];
	memset(&err, 0, sizeof err);
	int bad = form_validate(&in, &err, &out), count = 0;
	for (int i = 0; i < FF__MAX; i++)
		count += err.msg[i] != NULL;
	if (bad != count || bad != err.count)
		abort();
	if (bad == 0) {
		const char *posta = out.value[FF_POSTA_KODU], *cep = out.value[FF_CEP_TEL];
		if (!postal_code_valid(posta) || postal_code_province(posta) != out.il)
			abort();
		if (strlen(cep) != 10 || cep[0] != '5')
			abort();
		if (out.years < 1 || out.years > 3 || out.channels < 1 || out.channels > 3)
			abort();
		if (out.guvenlik_sozcugu != v[FF_GUVENLIK_SOZCUGU] ||
		    !email_valid(out.value[FF_EPOSTA]))
			abort();
		if ((reasons & (1u << out.reason)) == 0)
			abort();
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_names(s);
	check_date(s);
	check_numbers(s);
	check_form(s, 0xFu);
	check_form(s, size > 0 ? data[0] & 0xFu : 0u);
	free(s);
	return 0;
}
