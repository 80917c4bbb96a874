/* Small UTF-8 helpers shared by the domain rules (pure, no allocation). */
#ifndef EIMZA_DOMAIN_TEXT_H
#define EIMZA_DOMAIN_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..n). Returns its length in bytes (1..4)
 * and stores the code point in *cp, or -1 for malformed UTF-8 (overlong,
 * surrogate, above U+10FFFF, truncated) and for NUL. */
int text_decode(const char *s, size_t n, uint32_t *cp);

/* Appends the UTF-8 form of cp to out at *pos, keeping room for a final NUL.
 * Returns 0, or -1 if it does not fit (out is left NUL-terminated at *pos). */
int text_encode(uint32_t cp, char *out, size_t outlen, size_t *pos);

/* 1 for the whitespace the domain trims and collapses: ASCII space, TAB,
 * LF, VT, FF, CR and NO-BREAK SPACE (U+00A0). */
int text_is_space(uint32_t cp);

/* Copies in to out with surrounding whitespace trimmed and inner runs of
 * whitespace collapsed to one ASCII space. Fails (-1) on malformed UTF-8,
 * on control characters other than whitespace, when the result has more
 * than maxchars code points (-2), or when it does not fit out (-1).
 * Returns 0 and the cleaned string (possibly empty) otherwise. */
int text_clean(const char *in, char *out, size_t outlen, size_t maxchars);

#endif
