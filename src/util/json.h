/* JSON: writing strings safely and reading flat request objects.
 *
 * The writer side is json_append_string(); documents are assembled with
 * buf_printf around it. The reader is deliberately tiny: the JSON API takes
 * flat objects ({"key": "value", ...}), and json_get_* pick one top-level
 * member out of such an object after checking the whole text is valid JSON
 * (nesting at most JSON_MAX_DEPTH deep). */
#ifndef EIMZA_JSON_H
#define EIMZA_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define JSON_MAX_DEPTH 16

/* Appends s as a JSON string literal: quoted, with " \ and control
 * characters escaped (\n \r \t \b \f, others as \u00XX), and '<', '>', '&'
 * as \u003c \u003e \u0026 so the output is also safe inside HTML.
 * s must be valid UTF-8 (not checked). NULL appends `null`.
 * Returns 0, or -1 when the buffer's ceiling was hit. */
int json_append_string(buf *b, const char *s);

/* Finds the top-level member `key` of the JSON object `json` (n bytes) and
 * writes its string value, unescaped and NUL-terminated, into out (which is
 * reset first). Returns 0 when found, 1 when the member is absent, -1 when
 * the text is not a valid JSON object, the member is not a string, its
 * value holds \u0000 or a lone surrogate, or out overflows. */
int json_get_string(const char *json, size_t n, const char *key, buf *out);
/* The same for an integer member (no fraction or exponent). */
int json_get_int(const char *json, size_t n, const char *key, int64_t *out);

#endif
