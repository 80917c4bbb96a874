/* Turkish case mapping and name comparison keys (rules.md section e).
 * All functions take and produce NUL-terminated UTF-8 and write only into
 * the caller's buffer. */
#ifndef EIMZA_DOMAIN_TRCASE_H
#define EIMZA_DOMAIN_TRCASE_H

#include <stddef.h>

/* Turkish upper case: i->İ, ı->I, ç ğ ö ş ü â î û -> Ç Ğ Ö Ş Ü Â Î Û,
 * ASCII a-z -> A-Z, other Latin-1 lower-case letters (é, à...) to their
 * capitals; every other code point is copied. Returns 0, or -1 if the
 * result does not fit outlen bytes (with NUL) or in is malformed UTF-8. */
int trcase_upper(const char *in, char *out, size_t outlen);

/* Turkish lower case: I->ı, İ->i, I+U+0307->i, Ç Ğ Ö Ş Ü Â Î Û -> ç ğ ö ş ü
 * â î û, ASCII A-Z -> a-z, other Latin-1 capitals to lower case. Same return
 * contract as trcase_upper. */
int trcase_lower(const char *in, char *out, size_t outlen);

/* The key used to compare a name with the population registry: composes
 * the decomposed forms met in Turkish text (I+U+0307 -> İ, i+U+0307 -> i,
 * c/s+U+0327 -> ç/ş, g+U+0306 -> ğ, o/u+U+0308 -> ö/ü, a/i/u+U+0302 ->
 * â/î/û, and the capitals), trims, collapses whitespace runs (incl. TAB,
 * newlines, U+00A0) to one space, then applies trcase_upper. Control
 * characters are rejected. Returns 0, or -1 (no fit / malformed UTF-8). */
int trcase_name_key(const char *in, char *out, size_t outlen);

/* 1 if both names have the same trcase_name_key, else 0 (also when either
 * is NULL, malformed, or its key exceeds 1023 bytes). */
int trcase_name_equal(const char *a, const char *b);

/* Like trcase_name_equal but also folds circumflex letters (Â->A, Î->İ,
 * Û->U) in both keys, since how MERNİS stores them is unconfirmed. */
int trcase_name_equal_loose(const char *a, const char *b);

#endif
