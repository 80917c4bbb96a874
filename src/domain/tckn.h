/* T.C. Kimlik No (TCKN) offline checks (rules.md section a). */
#ifndef EIMZA_DOMAIN_TCKN_H
#define EIMZA_DOMAIN_TCKN_H

/* 1 if s is exactly 11 ASCII digits, the first not 0, and both check digits
 * are right: d10 = ((d1+d3+d5+d7+d9)*7 - (d2+d4+d6+d8)) mod 10 and
 * d11 = (d1+...+d10) mod 10. 0 otherwise (also for NULL). Only proves the
 * number is well-formed, not that the person exists. */
int tckn_valid(const char *s);

/* Writes the 9-digit stem nine followed by its two check digits and a NUL
 * into out. nine must hold 9 ASCII digits (the first should not be 0 for
 * the result to be valid); out is "" if it does not. */
void tckn_complete(const char nine[9], char out[12]);

#endif
