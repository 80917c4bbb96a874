/* Password rules of staff accounts, as OWASP ASVS 4.0 level 2 asks
 * (V2.1.1-V2.1.9): at least 12 characters, at most 128, every character
 * allowed, no composition rules, and refused when found in a list of
 * common passwords. Pure: the list is passed in (the binary embeds
 * data/common_passwords.txt, see store/staff.c). */
#ifndef EIMZA_DOMAIN_PASSWORD_POLICY_H
#define EIMZA_DOMAIN_PASSWORD_POLICY_H

#include <stddef.h>

#define PASSWORD_MIN_CHARS 12
#define PASSWORD_MAX_CHARS 128

enum password_verdict {
	PASSWORD_OK,
	PASSWORD_TOO_SHORT, /* fewer than PASSWORD_MIN_CHARS characters (or NULL) */
	PASSWORD_TOO_LONG,  /* more than PASSWORD_MAX_CHARS characters */
	PASSWORD_COMMON,    /* in the list of common passwords */
};

/* The verdict on pw (UTF-8; characters are counted as code points). list
 * holds one password per line ('\n' or "\r\n"), lines starting with '#' and
 * empty lines ignored; it is compared ignoring ASCII case, so "Sifre123456"
 * matches "sifre123456". list may be NULL (no list check). */
enum password_verdict password_check(const char *pw, const char *list, size_t list_len);

/* The Turkish message shown beside the password field; "" for PASSWORD_OK. */
const char *password_verdict_message(enum password_verdict v);

#endif
