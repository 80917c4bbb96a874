/* Fees in kuruş: lookup, parsing and Turkish formatting. */
#include "domain/renewal.h"

#include <stdio.h>

long fee_for_reason(enum app_reason r, const long fee_kurus[REASON__MAX])
{
	if ((unsigned)r >= REASON__MAX || fee_kurus == NULL)
		return -1;
	return fee_kurus[r];
}

int fee_parse_tl(const char *s, long *kurus)
{
	long lira = 0, frac = 0;
	int digits = 0, decimals = 0;

	if (s == NULL)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 9)
			return -1;
		lira = lira * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	if (*s == '.' || *s == ',') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++decimals > 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
		if (decimals == 0)
			return -1;
		if (decimals == 1)
			frac *= 10;
	}
	if (*s != '\0')
		return -1;
	*kurus = lira * 100 + frac;
	return 0;
}

void fee_format_tl(long kurus, char out[32])
{
	char digits[24];
	unsigned long v, lira;
	size_t n, i, pos = 0;
	int len;

	v = kurus < 0 ? 0UL - (unsigned long)kurus : (unsigned long)kurus;
	lira = v / 100;
	len = snprintf(digits, sizeof(digits), "%lu", lira);
	n = len > 0 ? (size_t)len : 0;
	if (kurus < 0)
		out[pos++] = '-';
	for (i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[pos++] = '.';
		out[pos++] = digits[i];
	}
	(void)snprintf(out + pos, 32 - pos, ",%02lu TL", v % 100);
}
