/* The application form page's fields, drawn from the form table
 * (domain/form.c): one list item per field for templates/form_field.html. */
#ifndef EIMZA_WEB_FORM_FIELDS_H
#define EIMZA_WEB_FORM_FIELDS_H

#include "domain/form.h"
#include "http/http.h"

/* What the page shows in each field, indexed by field. */
struct form_fields_in {
	/* The text put back into a box, or the value a select box shows
	 * selected; NULL: none. A secret is never put back, whatever is here. */
	const char *value[FF__MAX];
	/* The static message beside a field; NULL: the field is fine. */
	const char *error[FF__MAX];
	/* 1: a first application, which shows the FORM_HTML_FIRST_ONLY rows. */
	int first_application;
};

/* The page's list of the fields of fieldset fs ("fields_sertifika", ...);
 * "?" if fs is bad. Static. */
const char *form_fields_list(enum form_fieldset fs);

/* Adds one item per shown field, in table order, to the page list of its
 * fieldset, with the options of a choice that has an option table. Sets
 * items[f] to field f's item, NULL when it is not shown, so that the
 * caller can give a select box whose options come from elsewhere its list
 * (form_fields_option). Everything lives in t's arena. */
void form_fields_add(tpl *t, const struct form_fields_in *in, tpl *items[FF__MAX]);

/* Appends an option to the select box of item (nothing when item is NULL). */
void form_fields_option(tpl *item, const char *value, const char *label, int selected);

#endif
