/* The Turkish "try again after HH:MM" message of a lockout. */
#include "identity/lockout.h"

#include <stdio.h>

#include "domain/date.h"

/* Suffix after the last word of n (0..59) read aloud: vowel harmony of the
 * last vowel, and d -> t after a voiceless consonant (üç, dört, beş, kırk). */
static const char *number_suffix(int n)
{
	/* sıfır bir iki üç dört beş altı yedi sekiz dokuz */
	static const char *const ones[10] = {"dan", "den", "den", "ten", "ten",
					     "ten", "dan", "den", "den", "dan"};
	/* - on yirmi otuz kırk elli */
	static const char *const tens[6] = {"dan", "dan", "den", "dan", "tan", "den"};

	if (n < 0 || n > 59)
		return "dan";
	if (n % 10 != 0 || n == 0)
		return ones[n % 10];
	return tens[n / 10];
}

const char *lockout_time_suffix(int hour, int minute)
{
	/* "14:00" is read "on dört", "14:35" is read "on dört otuz beş". */
	return minute == 0 ? number_suffix(hour) : number_suffix(minute);
}

void lockout_format_until(int64_t until, char out[LOCKOUT_MSG_LEN])
{
	int64_t local = until + DATE_TR_OFFSET + 59; /* round up to the minute */
	int64_t secs = ((local % 86400) + 86400) % 86400;
	int hour = (int)(secs / 3600), minute = (int)(secs % 3600 / 60);

	snprintf(out, LOCKOUT_MSG_LEN,
		 "Çok fazla hatalı deneme. Lütfen %02d:%02d'%s sonra deneyin.", hour, minute,
		 lockout_time_suffix(hour, minute));
}
