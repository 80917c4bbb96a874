/* Turkish postal codes (rules.md section b). */
#ifndef EIMZA_DOMAIN_POSTAL_H
#define EIMZA_DOMAIN_POSTAL_H

/* 1 if s is exactly 5 ASCII digits whose first two are a plate code
 * 01..81, else 0 (also for NULL). */
int postal_code_valid(const char *s);

/* The province plate code 1..81 of a valid postal code, or 0 if invalid. */
int postal_code_province(const char *s);

/* 1 if code is valid and its first two digits are plate, else 0. */
int postal_code_matches(const char *code, int plate);

#endif
