/* What the application form says, in one place, so the PDF (pdf.c) and the
 * signed application document (appdoc.c) can never disagree: the table of
 * (section, label, value) rows and the text of the undertaking. */
#ifndef EIMZA_DOC_FORMDATA_H
#define EIMZA_DOC_FORMDATA_H

#include <stddef.h>

#include "doc/pdf.h"
#include "util/buf.h"

/* One line of the form. `section` is non-NULL on the first row of each
 * section (its heading); `value` is never NULL. */
struct formdata_row {
	const char *section;
	const char *label;
	const char *value;
};

/* Upper bound on the rows formdata_rows produces. */
#define FORMDATA_MAX_ROWS 32

/* Fills rows[] with every field of the form in display order and returns
 * the count (at most FORMDATA_MAX_ROWS): the login's and the personnel
 * records' rows, then each field of the form table with a print label
 * (a->field[f]), under the table's sections. Values point into `a` or are
 * static strings ("-" for empty). Valid while `a` lives. */
size_t formdata_rows(const struct pdf_application *a, struct formdata_row *rows);

/* The value to print for s: s itself, or "-" if s is NULL or empty. */
const char *formdata_value(const char *s);

/* 1 if every string of `a` (NULL allowed) is valid UTF-8, else 0. */
int formdata_valid(const struct pdf_application *a);

/* Appends s to b (formdata_value(s) if empty) with every C0/C1 control
 * character and DEL replaced by a space, so a value cannot start a new
 * line of the signed document. Returns buf_append's result. */
int formdata_append_clean(buf *b, const char *s);

/* Headings of the two documents. Static strings. */
extern const char formdata_form_title[];
extern const char formdata_undertaking_title[];

/* The Sertifika Sahibi Taahhütnamesi: an opening sentence and numbered
 * commitments (NULL-terminated), and a closing sentence. Static strings. */
extern const char formdata_undertaking_intro[];
extern const char *const formdata_undertaking_items[];
extern const char formdata_undertaking_closing[];

#endif
