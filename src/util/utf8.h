/* UTF-8 validation for everything that comes from outside. */
#ifndef EIMZA_UTF8_H
#define EIMZA_UTF8_H

#include <stddef.h>

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, nothing
 * above U+10FFFF), else 0. NUL bytes count as invalid. */
int utf8_valid(const char *s, size_t n);
/* 1 if s[0..n) contains a C0/C1 control character or DEL; TAB, CR and LF
 * are allowed when allow_newlines is set. Assumes valid UTF-8. */
int utf8_has_controls(const char *s, size_t n, int allow_newlines);
/* Number of code points in valid UTF-8. */
size_t utf8_length(const char *s, size_t n);

#endif
