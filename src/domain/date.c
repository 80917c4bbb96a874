/* Civil date arithmetic (days_from_civil / civil_from_days) and formats. */
#include "domain/date.h"

#include <string.h>

#define DATE_DAY 86400

int date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

/* Reads between min and max ASCII digits at *p into *v, advancing *p. */
static int date_digits(const char **p, int min, int max, int *v)
{
	int k = 0;

	*v = 0;
	while (k < max && (*p)[0] >= '0' && (*p)[0] <= '9') {
		*v = *v * 10 + ((*p)[0] - '0');
		(*p)++;
		k++;
	}
	return k >= min ? 0 : -1;
}

int date_parse(const char *s, int *y, int *m, int *d)
{
	const char *p = s;
	int yy, mm, dd;

	if (s == NULL)
		return -1;
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		if (date_digits(&p, 4, 4, &yy) < 0 || *p++ != '-' ||
		    date_digits(&p, 2, 2, &mm) < 0 || *p++ != '-' || date_digits(&p, 2, 2, &dd) < 0)
			return -1;
	} else {
		if (date_digits(&p, 1, 2, &dd) < 0 || *p++ != '.' ||
		    date_digits(&p, 1, 2, &mm) < 0 || *p++ != '.' || date_digits(&p, 4, 4, &yy) < 0)
			return -1;
	}
	if (*p != '\0' || yy < 1900 || yy > 2100 || dd < 1 || dd > date_days_in_month(yy, mm))
		return -1;
	*y = yy;
	*m = mm;
	*d = dd;
	return 0;
}

int64_t date_to_days(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void date_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t mm = mp < 10 ? mp + 3 : mp - 9;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

/* Splits epoch seconds into whole days (floored) and seconds of the day. */
static void date_split(int64_t t, int64_t *days, int64_t *sod)
{
	*days = t / DATE_DAY;
	*sod = t % DATE_DAY;
	if (*sod < 0) {
		*sod += DATE_DAY;
		(*days)--;
	}
}

int64_t date_add_years(int64_t epoch_seconds, int years)
{
	int64_t days, sod;
	int y, m, d;

	date_split(epoch_seconds, &days, &sod);
	date_from_days(days, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !date_is_leap(y))
		d = 28;
	return date_to_days(y, m, d) * DATE_DAY + sod;
}

/* Writes v (0..10^width - 1) as width zero-padded digits at p. */
static void date_put(char *p, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Writes "GG.AA.YYYY" of the day count into out (11 bytes), or "". */
static void date_put_day(int64_t days, char *out)
{
	int y, m, d;

	date_from_days(days, &y, &m, &d);
	out[0] = '\0';
	if (y < 0 || y > 9999)
		return;
	date_put(out, d, 2);
	out[2] = '.';
	date_put(out + 3, m, 2);
	out[5] = '.';
	date_put(out + 6, y, 4);
	out[10] = '\0';
}

void date_format_tr(int64_t epoch_seconds, char out[11])
{
	int64_t days, sod;

	date_split(epoch_seconds, &days, &sod);
	date_put_day(days, out);
}

void date_format_tr_time(int64_t t, char out[17])
{
	int64_t days, sod;

	date_split(t + DATE_TR_OFFSET, &days, &sod);
	date_put_day(days, out);
	if (out[0] == '\0')
		return;
	out[10] = ' ';
	date_put(out + 11, (int)(sod / 3600), 2);
	out[13] = ':';
	date_put(out + 14, (int)(sod % 3600 / 60), 2);
	out[16] = '\0';
}

int64_t date_tr_day_start(const char *s)
{
	int y, m, d;
	if (s == NULL || *s == '\0' || date_parse(s, &y, &m, &d) != 0)
		return 0;
	return date_to_days(y, m, d) * 86400 - DATE_TR_OFFSET;
}
