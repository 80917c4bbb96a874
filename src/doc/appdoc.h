/* The canonical application document for E-Onaylı Başvuru: the text a
 * holder signs with a detached CMS signature instead of signing the PDF in
 * ink. It carries the same rows and undertaking as the PDF (formdata.h). */
#ifndef EIMZA_DOC_APPDOC_H
#define EIMZA_DOC_APPDOC_H

#include "doc/pdf.h"
#include "util/buf.h"

/* First line of every application document; names its format version. */
#define APPDOC_MAGIC "EIMZA-BASVURU-BELGESI 1"

/* Appends the application document of `a` to out: UTF-8, LF line ends,
 * one "Label: value" line per field, then the undertaking. Deterministic:
 * the same input gives byte-identical output (no clock, no locale); the
 * only dates are a->created and a->birth_date. a->postal_address is not
 * part of it. Control characters in values become spaces. Returns 0, or -1
 * on a bad argument, invalid UTF-8 or a buffer failure (the caller owns
 * and frees out either way). */
int appdoc_render(const struct pdf_application *a, buf *out);

#endif
