/* T.C. Kimlik No check digits. */
#include "domain/tckn.h"

#include <string.h>

/* Computes both check digits of the digit values d[0..8]. */
static void tckn_check_digits(const int d[9], int *d10, int *d11)
{
	int odd = d[0] + d[2] + d[4] + d[6] + d[8];
	int even = d[1] + d[3] + d[5] + d[7];
	int sum = odd + even;

	*d10 = ((odd * 7 - even) % 10 + 10) % 10;
	*d11 = (sum + *d10) % 10;
}

int tckn_valid(const char *s)
{
	int d[11], d10, d11, i;

	if (s == NULL)
		return 0;
	for (i = 0; i < 11; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		d[i] = s[i] - '0';
	}
	if (s[11] != '\0' || d[0] == 0)
		return 0;
	tckn_check_digits(d, &d10, &d11);
	return d[9] == d10 && d[10] == d11;
}

void tckn_complete(const char nine[9], char out[12])
{
	int d[9], d10, d11, i;

	out[0] = '\0';
	for (i = 0; i < 9; i++) {
		if (nine[i] < '0' || nine[i] > '9')
			return;
		d[i] = nine[i] - '0';
	}
	tckn_check_digits(d, &d10, &d11);
	memcpy(out, nine, 9);
	out[9] = (char)('0' + d10);
	out[10] = (char)('0' + d11);
	out[11] = '\0';
}
