/* Phone number normalisation, operator hint and masking. */
#include "domain/phone.h"

#include <stddef.h>
#include <string.h>

#define PHONE_MAX_DIGITS 16

/* Prefix table of /work/shared/data/mobile_prefixes.csv (41 rows). */
static const struct {
	int prefix;
	const char *op;
} phone_prefixes[] = {
	{500, "Türk Telekom"}, {501, "Türk Telekom"}, {502, "Türk Telekom"}, {503, "Türk Telekom"},
	{504, "Türk Telekom"}, {505, "Türk Telekom"}, {506, "Türk Telekom"}, {507, "Türk Telekom"},
	{508, "Türk Telekom"}, {509, "Türk Telekom"}, {530, "Turkcell"},     {531, "Turkcell"},
	{532, "Turkcell"},     {533, "Turkcell"},     {534, "Turkcell"},     {535, "Turkcell"},
	{536, "Turkcell"},     {537, "Turkcell"},     {538, "Turkcell"},     {539, "Turkcell"},
	{540, "Vodafone"},     {541, "Vodafone"},     {542, "Vodafone"},     {543, "Vodafone"},
	{544, "Vodafone"},     {545, "Vodafone"},     {546, "Vodafone"},     {547, "Vodafone"},
	{548, "Vodafone"},     {549, "Vodafone"},     {550, "Türk Telekom"}, {551, "Türk Telekom"},
	{552, "Türk Telekom"}, {553, "Türk Telekom"}, {554, "Türk Telekom"}, {555, "Türk Telekom"},
	{556, "Türk Telekom"}, {557, "Türk Telekom"}, {558, "Türk Telekom"}, {559, "Türk Telekom"},
	{561, "Turkcell"},
};

/* Collects the digits of in into d (NUL-terminated), dropping the allowed
 * separators and the country code prefix; -1 on any other character. */
static int phone_national_digits(const char *in, char d[PHONE_MAX_DIGITS + 1])
{
	size_t n = 0, i = 0, skip = 0;
	int plus = 0;

	if (in == NULL)
		return -1;
	for (; in[i] != '\0'; i++) {
		char c = in[i];

		if (c == ' ' || c == '-' || c == '(' || c == ')')
			continue;
		if (c == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (c < '0' || c > '9' || n == PHONE_MAX_DIGITS)
			return -1;
		d[n++] = c;
	}
	d[n] = '\0';
	if (plus) {
		if (n < 2 || memcmp(d, "90", 2) != 0)
			return -1;
		skip = 2;
	} else if (n >= 4 && memcmp(d, "0090", 4) == 0) {
		skip = 4;
	} else if (n == 12 && memcmp(d, "90", 2) == 0) {
		skip = 2;
	} else if (n > 0 && d[0] == '0') {
		skip = 1;
	}
	memmove(d, d + skip, n - skip + 1);
	return 0;
}

/* Normalises in and accepts it if it is 10 digits whose first is in first. */
static int phone_normalize(const char *in, char out[11], const char *first)
{
	char d[PHONE_MAX_DIGITS + 1];

	out[0] = '\0';
	if (phone_national_digits(in, d) < 0)
		return -1;
	if (strlen(d) != 10 || strchr(first, d[0]) == NULL)
		return -1;
	memcpy(out, d, 11);
	return 0;
}

int phone_normalize_mobile(const char *in, char out[11])
{
	return phone_normalize(in, out, "5");
}

int phone_normalize_landline(const char *in, char out[11])
{
	return phone_normalize(in, out, "234");
}

static int phone_is_norm10(const char *s)
{
	int i;

	for (i = 0; i < 10; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	return s[10] == '\0';
}

const char *phone_operator_hint(const char norm10[11])
{
	size_t k;
	int prefix;

	if (norm10 == NULL || !phone_is_norm10(norm10))
		return NULL;
	prefix = (norm10[0] - '0') * 100 + (norm10[1] - '0') * 10 + (norm10[2] - '0');
	for (k = 0; k < sizeof(phone_prefixes) / sizeof(phone_prefixes[0]); k++) {
		if (phone_prefixes[k].prefix == prefix)
			return phone_prefixes[k].op;
	}
	return NULL;
}

void phone_mask(const char norm10[11], char out[32])
{
	static const char tmpl[] = "0 (X**) *** ** YY";

	out[0] = '\0';
	if (norm10 == NULL || !phone_is_norm10(norm10))
		return;
	memcpy(out, tmpl, sizeof(tmpl));
	out[3] = norm10[0];
	out[15] = norm10[8];
	out[16] = norm10[9];
}
