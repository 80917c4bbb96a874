/* Turkish phone numbers (rules.md section c). Normalised numbers are the
 * 10-digit national number without the leading 0, NUL-terminated. */
#ifndef EIMZA_DOMAIN_PHONE_H
#define EIMZA_DOMAIN_PHONE_H

/* Drops spaces, '-', '(' and ')'; then removes a leading +90, 0090, 90
 * (only when 12 digits remain) or 0. If what remains matches ^5[0-9]{9}$
 * it is stored in out and 0 is returned; otherwise -1 and out is "".
 * A '+' is accepted only first and only as +90. */
int phone_normalize_mobile(const char *in, char out[11]);

/* Same normalisation for a landline: 10 digits starting with 2, 3 or 4
 * (area code + subscriber number). 0 and out set, or -1 and out "". */
int phone_normalize_landline(const char *in, char out[11]);

/* Operator that originally held the block of a normalised mobile number
 * ("Türk Telekom", "Turkcell", "Vodafone"), or NULL if unknown. Only a
 * hint: numbers can be ported. Returns a static string. */
const char *phone_operator_hint(const char norm10[11]);

/* Masks a normalised number for display, showing only its first digit and
 * last two: "5321234567" -> "0 (5**) *** ** 67". out is "" if norm10 is not
 * 10 digits. */
void phone_mask(const char norm10[11], char out[32]);

#endif
