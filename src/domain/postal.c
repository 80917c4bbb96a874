/* Postal code rules: 5 digits, the first two the province's plate code. */
#include "domain/postal.h"

#include <stddef.h>

int postal_code_valid(const char *s)
{
	int i, plate;

	if (s == NULL)
		return 0;
	for (i = 0; i < 5; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
	}
	if (s[5] != '\0')
		return 0;
	plate = (s[0] - '0') * 10 + (s[1] - '0');
	return plate >= 1 && plate <= 81;
}

int postal_code_province(const char *s)
{
	if (!postal_code_valid(s))
		return 0;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int postal_code_matches(const char *code, int plate)
{
	return plate >= 1 && plate <= 81 && postal_code_province(code) == plate;
}
